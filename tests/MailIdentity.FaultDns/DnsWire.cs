using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace MailIdentity.FaultDns;

/// <summary>One question read from a DNS query message (RFC 1035 section 4.1).</summary>
/// <param name="Id">The transaction ID.</param>
/// <param name="Opcode">The opcode (0 = standard query).</param>
/// <param name="RecursionDesired">The RD bit, echoed in the answer.</param>
/// <param name="Name">The question name, lower case, without the trailing dot ("" for the root).</param>
/// <param name="Type">The question type code (1 = A, 12 = PTR, ...).</param>
/// <param name="Class">The question class code (1 = IN).</param>
/// <param name="QuestionBytes">The question section exactly as sent, echoed in the answer.</param>
public sealed record DnsQuestion(ushort Id, int Opcode, bool RecursionDesired, string Name, ushort Type, ushort Class, byte[] QuestionBytes);

/// <summary>Reads queries and writes answers in DNS wire format. Only what a test server needs.</summary>
public static class DnsWire
{
    /// <summary>The size of the fixed DNS header.</summary>
    public const int HeaderLength = 12;

    /// <summary>The largest answer sent over UDP: the server does not do EDNS, so RFC 1035's 512 bytes.</summary>
    public const int MaxUdpAnswer = 512;

    /// <summary>The longest name in wire format (RFC 1035 section 2.3.4).</summary>
    public const int MaxNameWireLength = 255;

    /// <summary>Response codes used by the server.</summary>
    public const int NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5;

    /// <summary>Reads the transaction ID, or null when the message is shorter than a header.</summary>
    public static ushort? ReadId(ReadOnlySpan<byte> message) =>
        message.Length >= HeaderLength ? BinaryPrimitives.ReadUInt16BigEndian(message) : null;

    /// <summary>
    /// Reads the header and the single question of a query. False for anything that is not a standard
    /// query with exactly one well-formed question; <paramref name="problem"/> says what was wrong.
    /// </summary>
    public static bool TryReadQuery(ReadOnlySpan<byte> message, out DnsQuestion? question, out string problem)
    {
        question = null;
        problem = string.Empty;
        if (message.Length < HeaderLength)
        {
            problem = $"message of {message.Length} bytes is shorter than a DNS header";
            return false;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) != 0)
        {
            problem = "message is a response, not a query";
            return false;
        }

        var opcode = (flags >> 11) & 0xF;
        var qdCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        if (qdCount != 1)
        {
            problem = $"query has {qdCount} questions, not 1";
            return false;
        }

        var offset = HeaderLength;
        if (!TryReadName(message, ref offset, out var name, out problem))
        {
            return false;
        }

        if (offset + 4 > message.Length)
        {
            problem = "question ends before its type and class";
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var klass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        offset += 4;
        question = new DnsQuestion(id, opcode, (flags & 0x0100) != 0, name, type, klass, message[HeaderLength..offset].ToArray());
        return true;
    }

    /// <summary>Reads a name, following compression pointers a bounded number of times.</summary>
    public static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, out string name, out string problem)
    {
        name = string.Empty;
        problem = string.Empty;
        var builder = new StringBuilder();
        var position = offset;
        var end = -1;
        var wireLength = 0;
        for (var jumps = 0; ;)
        {
            if (position >= message.Length)
            {
                problem = "name runs past the end of the message";
                return false;
            }

            var length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++jumps > 16)
                {
                    problem = "name has a broken or looping compression pointer";
                    return false;
                }

                if (end < 0)
                {
                    end = position + 2;
                }

                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                problem = $"name has an unknown label type 0x{length:X2}";
                return false;
            }

            if (length == 0)
            {
                offset = end >= 0 ? end : position + 1;
                name = builder.ToString().ToLowerInvariant();
                return true;
            }

            wireLength += length + 1;
            if (wireLength + 1 > MaxNameWireLength || position + 1 + length > message.Length)
            {
                problem = "name is longer than 255 bytes or runs past the end of the message";
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.Latin1.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }
    }

    /// <summary>Writes <paramref name="name"/> (dotted, no trailing dot) in uncompressed wire format.</summary>
    public static void WriteName(List<byte> output, string name)
    {
        foreach (var label in SplitLabels(name))
        {
            output.Add((byte)label.Length);
            output.AddRange(Encoding.Latin1.GetBytes(label));
        }

        output.Add(0);
    }

    /// <summary>Checks that <paramref name="name"/> can be written: labels 1-63 bytes, 255 in all, Latin-1 only.</summary>
    public static bool IsWritableName(string name, out string problem)
    {
        problem = string.Empty;
        var total = 1;
        foreach (var label in SplitLabels(name))
        {
            if (label.Length == 0 || label.Length > 63)
            {
                problem = $"label '{label}' is {label.Length} characters; a label is 1 to 63";
                return false;
            }

            foreach (var c in label)
            {
                if (c > 0xFF)
                {
                    problem = $"label '{label}' has a character that is not Latin-1 (use the xn-- form)";
                    return false;
                }
            }

            total += label.Length + 1;
        }

        if (total > MaxNameWireLength)
        {
            problem = $"name is {total} bytes in wire format; the limit is 255";
            return false;
        }

        return true;
    }

    /// <summary>Builds a response: header, the echoed question, then <paramref name="answers"/>.</summary>
    public static byte[] BuildResponse(DnsQuestion question, int responseCode, bool truncated, IReadOnlyList<ZoneRecord> answers, ushort? idOverride = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answers);
        var output = new List<byte>(512);
        WriteHeader(output, idOverride ?? question.Id, question, responseCode, truncated, answers.Count);
        output.AddRange(question.QuestionBytes);
        foreach (var record in answers)
        {
            WriteRecord(output, record);
        }

        return output.ToArray();
    }

    /// <summary>A bare header with a response code, for queries whose question could not be read.</summary>
    public static byte[] BuildHeaderOnly(ushort id, int opcode, int responseCode)
    {
        var output = new List<byte>(HeaderLength);
        AddUInt16(output, id);
        AddUInt16(output, (ushort)(0x8000 | ((opcode & 0xF) << 11) | (responseCode & 0xF)));
        for (var i = 0; i < 4; i++)
        {
            AddUInt16(output, 0);
        }

        return output.ToArray();
    }

    /// <summary>
    /// A response with the right ID and a plausible header whose body is broken: it promises two answers,
    /// then sends one record whose owner name claims a 63-byte label and stops after a few bytes.
    /// </summary>
    public static byte[] BuildBrokenBody(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var output = new List<byte>(64);
        WriteHeader(output, question.Id, question, NoError, truncated: false, answerCount: 2);
        output.AddRange(question.QuestionBytes);
        output.AddRange(new byte[] { 0x3F, (byte)'b', (byte)'r', (byte)'o', (byte)'k', (byte)'e', (byte)'n' });
        return output.ToArray();
    }

    /// <summary>
    /// A response with the right ID whose one answer starts with a name that is a compression pointer to
    /// itself: a parser without a jump limit loops for ever.
    /// </summary>
    public static byte[] BuildPointerLoop(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var output = new List<byte>(64);
        WriteHeader(output, question.Id, question, NoError, truncated: false, answerCount: 1);
        output.AddRange(question.QuestionBytes);
        var at = output.Count;
        output.Add((byte)(0xC0 | (at >> 8)));
        output.Add((byte)at);
        output.AddRange(new byte[] { 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 127, 0, 0, 1 });
        return output.ToArray();
    }

    /// <summary>The name of a record type code, or TYPEnnn.</summary>
    public static string TypeName(ushort type) => type switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        255 => "ANY",
        _ => "TYPE" + type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void WriteHeader(List<byte> output, ushort id, DnsQuestion question, int responseCode, bool truncated, int answerCount)
    {
        var flags = 0x8000 | ((question.Opcode & 0xF) << 11) | 0x0400 | (responseCode & 0xF);
        if (truncated)
        {
            flags |= 0x0200;
        }

        if (question.RecursionDesired)
        {
            flags |= 0x0100;
        }

        AddUInt16(output, id);
        AddUInt16(output, (ushort)flags);
        AddUInt16(output, 1);
        AddUInt16(output, (ushort)answerCount);
        AddUInt16(output, 0);
        AddUInt16(output, 0);
    }

    private static void WriteRecord(List<byte> output, ZoneRecord record)
    {
        WriteName(output, record.Name);
        AddUInt16(output, record.TypeCode);
        AddUInt16(output, 1);
        AddUInt32(output, (uint)record.TimeToLive);
        var lengthAt = output.Count;
        AddUInt16(output, 0);
        var start = output.Count;
        switch (record.Type)
        {
            case "A":
            case "AAAA":
                output.AddRange(record.Address!.GetAddressBytes());
                break;
            case "MX":
                AddUInt16(output, (ushort)record.Preference);
                WriteName(output, record.Target!);
                break;
            default:
                WriteName(output, record.Target!);
                break;
        }

        var length = output.Count - start;
        output[lengthAt] = (byte)(length >> 8);
        output[lengthAt + 1] = (byte)length;
    }

    private static string[] SplitLabels(string name) =>
        name.Length == 0 ? Array.Empty<string>() : name.Split('.');

    private static void AddUInt16(List<byte> output, ushort value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }

    private static void AddUInt32(List<byte> output, uint value)
    {
        AddUInt16(output, (ushort)(value >> 16));
        AddUInt16(output, (ushort)value);
    }
}
