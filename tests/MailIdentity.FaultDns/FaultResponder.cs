using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;

namespace MailIdentity.FaultDns;

/// <summary>What the server does with one query: the bytes to send (null = stay silent) and when.</summary>
/// <param name="Reply">The message to send, or null to send nothing.</param>
/// <param name="DelayMilliseconds">How long to wait before sending.</param>
/// <param name="Rule">The fault rule that applied, or null for a normal answer.</param>
public sealed record FaultReply(byte[]? Reply, int DelayMilliseconds, FaultRule? Rule);

/// <summary>
/// The server's brain, without sockets: zone data plus fault rules, turned into reply bytes. Behaves like
/// a small authoritative server: records of the asked type, else the name's CNAME (followed inside the
/// zone, bounded), else NODATA when the name or a name below it exists, else NXDOMAIN. No EDNS: UDP answers
/// above 512 bytes are sent with TC=1 and no records.
/// </summary>
public sealed class FaultResponder
{
    private const int MaxChase = 16;
    private readonly Dictionary<string, List<ZoneRecord>> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _existing = new(StringComparer.Ordinal);
    private readonly List<FaultRule> _rules = new();

    /// <summary>Builds a responder; throws <see cref="FormatException"/> naming the first bad line or rule.</summary>
    public FaultResponder(IEnumerable<string> zoneLines, IEnumerable<string> faultRules)
    {
        ArgumentNullException.ThrowIfNull(zoneLines);
        ArgumentNullException.ThrowIfNull(faultRules);
        foreach (var raw in zoneLines)
        {
            var line = raw?.Trim() ?? string.Empty;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            Add(ZoneRecord.Parse(line));
        }

        foreach (var raw in faultRules)
        {
            var text = raw?.Trim() ?? string.Empty;
            if (text.Length == 0)
            {
                continue;
            }

            var rule = FaultRule.Parse(text);
            if (_rules.Any(r => r.Pattern == rule.Pattern))
            {
                throw new FormatException($"The fault rule '{text}' repeats the name '{rule.Pattern}'; give one rule per name.");
            }

            _rules.Add(rule);
        }

        Records = _byName.Values.SelectMany(r => r).ToArray();
        Rules = _rules.ToArray();
    }

    /// <summary>Every record served.</summary>
    public IReadOnlyList<ZoneRecord> Records { get; }

    /// <summary>Every fault rule.</summary>
    public IReadOnlyList<FaultRule> Rules { get; }

    /// <summary>The rule for <paramref name="name"/>: an exact name first, then the longest *.zone, then *.</summary>
    public FaultRule? RuleFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        FaultRule? best = null;
        var bestRank = -1;
        foreach (var rule in _rules)
        {
            int rank;
            if (rule.Kind == FaultKind.CnameLoop && rule.Partner == name)
            {
                rank = int.MaxValue;
            }
            else if (!rule.AppliesTo(name))
            {
                continue;
            }
            else
            {
                rank = rule.Pattern == "*" ? 0 : rule.Pattern.StartsWith("*.", StringComparison.Ordinal) ? rule.Pattern.Length : int.MaxValue;
            }

            if (rank > bestRank)
            {
                best = rule;
                bestRank = rank;
            }
        }

        return best;
    }

    /// <summary>Decides the reply to <paramref name="query"/> received over UDP or TCP.</summary>
    public FaultReply Respond(ReadOnlySpan<byte> query, bool overTcp)
    {
        if (!DnsWire.TryReadQuery(query, out var question, out _))
        {
            // A readable header gets FORMERR (NOTIMP for other opcodes); anything shorter is ignored, as servers do.
            var id = DnsWire.ReadId(query);
            if (id is null || (query[2] & 0x80) != 0)
            {
                return new FaultReply(null, 0, null);
            }

            return new FaultReply(DnsWire.BuildHeaderOnly(id.Value, (query[2] >> 3) & 0xF, DnsWire.FormErr), 0, null);
        }

        var q = question!;
        if (q.Opcode != 0)
        {
            return new FaultReply(DnsWire.BuildResponse(q, DnsWire.NotImp, false, Array.Empty<ZoneRecord>()), 0, null);
        }

        var rule = RuleFor(q.Name);
        switch (rule?.Kind)
        {
            case FaultKind.Drop:
                return new FaultReply(null, 0, rule);
            case FaultKind.ServFail:
                return new FaultReply(DnsWire.BuildResponse(q, DnsWire.ServFail, false, Array.Empty<ZoneRecord>()), 0, rule);
            case FaultKind.Refused:
                return new FaultReply(DnsWire.BuildResponse(q, DnsWire.Refused, false, Array.Empty<ZoneRecord>()), 0, rule);
            case FaultKind.Rcode:
                return new FaultReply(DnsWire.BuildResponse(q, rule.ResponseCode, false, Array.Empty<ZoneRecord>()), 0, rule);
            case FaultKind.NxDomain:
                return new FaultReply(DnsWire.BuildResponse(q, DnsWire.NxDomain, false, Array.Empty<ZoneRecord>()), 0, rule);
            case FaultKind.Malformed:
                return new FaultReply(DnsWire.BuildBrokenBody(q), 0, rule);
            case FaultKind.PointerLoop:
                return new FaultReply(DnsWire.BuildPointerLoop(q), 0, rule);
            case FaultKind.Garbage:
                return new FaultReply(Garbage(q.Id), 0, rule);
            case FaultKind.TruncateTcpDrop when overTcp:
                return new FaultReply(null, 0, rule);
            case FaultKind.Truncate or FaultKind.TruncateTcpDrop when !overTcp:
                return new FaultReply(DnsWire.BuildResponse(q, DnsWire.NoError, true, Array.Empty<ZoneRecord>()), 0, rule);
            case FaultKind.CnameLoop:
                var other = rule.Partner == q.Name ? rule.Pattern : rule.Partner!;
                var loop = new[] { ZoneRecord.ForName(q.Name, "CNAME", other), ZoneRecord.ForName(other, "CNAME", q.Name) };
                return Finish(q, DnsWire.NoError, loop, overTcp, rule);
        }

        var (code, answers) = Lookup(q.Name, q.Type, chase: rule?.Kind != FaultKind.CnameOnly);
        if (rule?.Kind == FaultKind.Large)
        {
            // The name is made to exist: a large answer is the point of the rule.
            answers = AddFiller(q, code == DnsWire.NoError ? answers : Array.Empty<ZoneRecord>());
            code = DnsWire.NoError;
        }

        var reply = Finish(q, code, answers, overTcp, rule);
        if (rule?.Kind == FaultKind.WrongId && reply.Reply is { } bytes)
        {
            var wrong = (ushort)(q.Id ^ 0x5A5A);
            bytes[0] = (byte)(wrong >> 8);
            bytes[1] = (byte)wrong;
        }

        return rule?.Kind == FaultKind.Slow ? reply with { DelayMilliseconds = rule.DelayMilliseconds } : reply;
    }

    /// <summary>The authoritative answer from the zone data: response code and answer records.</summary>
    public (int ResponseCode, IReadOnlyList<ZoneRecord> Answers) Lookup(string name, ushort type, bool chase = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        var answers = new List<ZoneRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = name;
        for (var hop = 0; hop <= MaxChase && seen.Add(current); hop++)
        {
            _byName.TryGetValue(current, out var records);
            records ??= new List<ZoneRecord>();
            var matching = records.Where(r => type == 255 || r.TypeCode == type).ToArray();
            if (matching.Length > 0)
            {
                answers.AddRange(matching);
                return (DnsWire.NoError, answers);
            }

            var cname = records.FirstOrDefault(r => r.Type == "CNAME");
            if (cname is null)
            {
                var exists = _existing.Contains(current);
                return (answers.Count > 0 || exists ? DnsWire.NoError : DnsWire.NxDomain, answers);
            }

            answers.Add(cname);
            if (!chase)
            {
                break;
            }

            current = cname.Target!;
        }

        return (DnsWire.NoError, answers);
    }

    private static FaultReply Finish(DnsQuestion q, int code, IReadOnlyList<ZoneRecord> answers, bool overTcp, FaultRule? rule)
    {
        var bytes = DnsWire.BuildResponse(q, code, false, answers);
        if (!overTcp && bytes.Length > DnsWire.MaxUdpAnswer)
        {
            bytes = DnsWire.BuildResponse(q, code, true, Array.Empty<ZoneRecord>());
        }
        else if (overTcp && bytes.Length > ushort.MaxValue)
        {
            bytes = DnsWire.BuildResponse(q, DnsWire.ServFail, false, Array.Empty<ZoneRecord>());
        }

        return new FaultReply(bytes, 0, rule);
    }

    private static List<ZoneRecord> AddFiller(DnsQuestion q, IReadOnlyList<ZoneRecord> answers)
    {
        // Filler goes on the name that holds the answer (the end of a CNAME chain), so the resolver keeps it.
        var owner = answers.Count > 0 && answers[^1].Type != "CNAME" ? answers[^1].Name
            : answers.Count > 0 ? answers[^1].Target! : q.Name;
        var result = new List<ZoneRecord>(answers);
        for (var i = 1; i <= 200 && DnsWire.BuildResponse(q, 0, false, result).Length <= 2 * DnsWire.MaxUdpAnswer; i++)
        {
            ZoneRecord? filler = q.Type switch
            {
                1 => ZoneRecord.ForAddress(owner, new IPAddress(new byte[] { 127, 255, (byte)(i >> 8), (byte)i })),
                28 => ZoneRecord.ForAddress(owner, IPAddress.Parse("2001:db8::ff:" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))),
                12 => ZoneRecord.ForName(owner, "PTR", $"filler{i}.large.test"),
                15 => ZoneRecord.ForName(owner, "MX", $"filler{i}.large.test", preference: 100 + i),
                _ => null,
            };
            if (filler is null || !DnsWire.IsWritableName(owner, out _))
            {
                break;
            }

            result.Add(filler);
        }

        return result;
    }

    private static byte[] Garbage(ushort avoidId)
    {
        var length = RandomNumberGenerator.GetInt32(1, 48);
        var bytes = RandomNumberGenerator.GetBytes(length);
        if (bytes.Length >= 2 && ((bytes[0] << 8) | bytes[1]) == avoidId)
        {
            bytes[0] ^= 0xFF;
        }

        return bytes;
    }

    private void Add(ZoneRecord record)
    {
        if (!_byName.TryGetValue(record.Name, out var list))
        {
            list = new List<ZoneRecord>();
            _byName[record.Name] = list;
        }

        if (!list.Any(r => r.ToString() == record.ToString()))
        {
            list.Add(record);
        }

        // The name and every name above it exist (empty non-terminals answer NODATA, not NXDOMAIN).
        var name = record.Name;
        while (name.Length > 0 && _existing.Add(name))
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            name = dot < 0 ? string.Empty : name[(dot + 1)..];
        }
    }
}
