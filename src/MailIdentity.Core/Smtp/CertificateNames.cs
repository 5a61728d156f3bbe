using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailIdentity.Text;

namespace MailIdentity.Smtp;

/// <summary>The names a certificate is valid for, and whether it names a given host (RFC 6125 rules).</summary>
public static class CertificateNames
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>
    /// The subjectAltName entries: DNS names as written ("*.example.com" stays) and IP addresses as text.
    /// Read from the DER directly, so the result is the same on every platform. Never throws.
    /// </summary>
    public static IReadOnlyList<string> GetSubjectAlternativeNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        if (certificate is null)
        {
            return names;
        }

        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == SubjectAltNameOid)
            {
                ReadGeneralNames(extension.RawData, names);
            }
        }

        return names;
    }

    /// <summary>
    /// True when <paramref name="host"/> (a host name, an IP address or an [address literal]) is one of
    /// <paramref name="names"/>; "*." matches exactly one left-most label. With no SAN at all, the
    /// subject CN is used, as older clients do.
    /// </summary>
    public static bool Matches(IReadOnlyList<string> names, string? commonName, string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        var value = host!.Trim();
        if (value.StartsWith("[", StringComparison.Ordinal) && value.EndsWith("]", StringComparison.Ordinal))
        {
            value = value.Substring(1, value.Length - 2);
            if (value.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                value = value.Substring(5);
            }
        }

        var candidates = names.Count > 0 ? names : (commonName is null ? Array.Empty<string>() : new[] { commonName });
        if (IPAddress.TryParse(value, out var address))
        {
            foreach (var name in candidates)
            {
                if (IPAddress.TryParse(name, out var other) && other.Equals(address))
                {
                    return true;
                }
            }

            return false;
        }

        var wanted = HostName.Normalize(value);
        foreach (var name in candidates)
        {
            var pattern = HostName.Normalize(name);
            if (pattern.Length == 0)
            {
                continue;
            }

            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = wanted.IndexOf('.');
                if (dot > 0 && string.Equals(wanted.Substring(dot), pattern.Substring(1), StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (string.Equals(pattern, wanted, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // GeneralNames ::= SEQUENCE OF GeneralName; dNSName [2] IA5String, iPAddress [7] OCTET STRING.
    private static void ReadGeneralNames(byte[] der, List<string> names)
    {
        if (der is null || !TryReadHeader(der, 0, out var tag, out var start, out var length) || tag != 0x30)
        {
            return;
        }

        var position = start;
        var end = start + length;
        while (position < end && TryReadHeader(der, position, out tag, out var valueStart, out var valueLength))
        {
            if (valueStart + valueLength > end)
            {
                return;
            }

            if (tag == 0x82)
            {
                var chars = new char[valueLength];
                for (var i = 0; i < valueLength; i++)
                {
                    chars[i] = (char)der[valueStart + i];
                }

                names.Add(new string(chars));
            }
            else if (tag == 0x87 && (valueLength == 4 || valueLength == 16))
            {
                var bytes = new byte[valueLength];
                Array.Copy(der, valueStart, bytes, 0, valueLength);
                names.Add(new IPAddress(bytes).ToString());
            }

            position = valueStart + valueLength;
        }
    }

    private static bool TryReadHeader(byte[] der, int position, out int tag, out int valueStart, out int length)
    {
        tag = 0;
        valueStart = 0;
        length = 0;
        if (position + 2 > der.Length)
        {
            return false;
        }

        tag = der[position];
        int first = der[position + 1];
        var next = position + 2;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            var count = first & 0x7F;
            if (count == 0 || count > 3 || next + count > der.Length)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | der[next + i];
            }

            next += count;
        }

        valueStart = next;
        return length >= 0 && next + length <= der.Length;
    }
}
