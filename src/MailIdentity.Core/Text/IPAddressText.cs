using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailIdentity.Text;

/// <summary>Strict IP address parsing: what an admin means by an IP, not what inet_aton accepts.</summary>
public static class IPAddressText
{
    /// <summary>
    /// Parses a dotted-quad IPv4 or an IPv6 address (an [IPv6] literal too). Unlike IPAddress.TryParse it
    /// rejects "1", "10.1" and "0x7f.1", which are almost always a mistyped cell, not an address.
    /// </summary>
    public static bool TryParse(string? text, out IPAddress? address)
    {
        address = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0 || value.Length > 64)
        {
            return false;
        }

        if (value.StartsWith("[", StringComparison.Ordinal) && value.EndsWith("]", StringComparison.Ordinal))
        {
            value = value.Substring(1, value.Length - 2);
        }

        // "[2001:db8::1]:25" parses in IPAddress.TryParse with the port silently dropped: not an address.
        if (value.IndexOf('[') >= 0 || value.IndexOf(']') >= 0)
        {
            return false;
        }

        if (value.IndexOf(':') >= 0)
        {
            if (IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6;
                return true;
            }

            return false;
        }

        var parts = value.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0') ||
                !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }
}
