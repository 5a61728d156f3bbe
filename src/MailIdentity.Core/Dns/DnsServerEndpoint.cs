using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailIdentity.Dns;

/// <summary>Parses the forms an admin types for a DNS server: <c>ip</c>, <c>ip:port</c>, <c>[ipv6]:port</c>.</summary>
public static class DnsServerEndpoint
{
    /// <summary>The DNS port used when none is given.</summary>
    public const int DefaultPort = 53;

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> naming it.</summary>
    public static IPEndPoint Parse(string text)
    {
        if (TryParse(text, out var endpoint, out var problem))
        {
            return endpoint!;
        }

        throw new FormatException(problem);
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string? text, out IPEndPoint? endpoint, out string problem)
    {
        endpoint = null;
        problem = string.Empty;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            problem = "The DNS server is empty. Give an address such as 192.0.2.53, 192.0.2.53:5300 or [2001:db8::53]:53.";
            return false;
        }

        // Messages quote the input; escaped, so a pasted ANSI sequence cannot reach the terminal.
        var shown = Text.DisplayText.Escape(value);
        string host = value;
        string? portText = null;
        if (value.StartsWith("[", StringComparison.Ordinal))
        {
            var close = value.IndexOf(']');
            if (close < 0)
            {
                problem = $"The DNS server '{shown}' has '[' without ']'. Use the form [2001:db8::53]:53.";
                return false;
            }

            host = value.Substring(1, close - 1);
            var rest = value.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(":", StringComparison.Ordinal))
                {
                    problem = $"The DNS server '{shown}' has text after ']' that is not ':port'.";
                    return false;
                }

                portText = rest.Substring(1);
            }
        }
        else if (value.IndexOf(':') is var colon && colon >= 0 && value.IndexOf(':', colon + 1) < 0)
        {
            // Exactly one colon: IPv4 with a port. Several colons: a bare IPv6 address.
            host = value.Substring(0, colon);
            portText = value.Substring(colon + 1);
        }

        // Strict: IPAddress.TryParse takes inet_aton shorthand, so a typo such as "10.1" would mean 10.0.0.1.
        if (!Text.IPAddressText.TryParse(host, out var address) || address is null ||
            (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            problem = $"The DNS server '{shown}' is not an IP address. Give an address such as 192.0.2.53, 192.0.2.53:5300 or [2001:db8::53]:53.";
            return false;
        }

        var port = DefaultPort;
        if (portText != null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535))
        {
            problem = $"The DNS server '{shown}' has an invalid port '{Text.DisplayText.Escape(portText)}'; a port is 1 to 65535.";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>Formats an endpoint the way <see cref="Parse"/> reads it.</summary>
    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
}
