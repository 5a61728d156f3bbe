using System;
using System.Linq;
using System.Net;
using FsCheck;
using FsCheck.Xunit;
using MailIdentity.Core.Tests.Text;
using MailIdentity.Dns;

namespace MailIdentity.Core.Tests.Dns;

[Properties(Arbitrary = new[] { typeof(TextArbitraries) }, MaxTest = 1000)]
public sealed class DnsServerEndpointPropertyTests
{
    [Property]
    public bool Never_throws_and_either_parses_or_names_the_input(NastyText text)
    {
        var ok = DnsServerEndpoint.TryParse(text.Value, out var endpoint, out var problem);
        var trimmed = text.Value?.Trim() ?? string.Empty;
        return ok
            ? endpoint is not null && problem.Length == 0 && endpoint.Port is >= 1 and <= 65535
            : endpoint is null && problem.Length > 0 && problem.All(c => c >= ' ') &&
              (trimmed.Length == 0 || problem.Contains(MailIdentity.Text.DisplayText.Escape(trimmed), StringComparison.Ordinal));
    }

    [Property]
    public bool Address_like_text_parses_only_to_what_it_says(AddressLike text)
    {
        if (!DnsServerEndpoint.TryParse(text.Value, out var endpoint, out _))
        {
            return true;
        }

        // Whatever was accepted must read back the same through Format, and the address must be strict.
        return DnsServerEndpoint.Parse(DnsServerEndpoint.Format(endpoint!)).Equals(endpoint) &&
               MailIdentity.Text.IPAddressText.TryParse(endpoint!.Address.ToString(), out var strict) && strict!.Equals(endpoint.Address);
    }

    [Property]
    public bool Any_endpoint_round_trips(byte a, byte b, byte c, byte d, ushort port)
    {
        var endpoint = new IPEndPoint(new IPAddress(new[] { a, b, c, d }), Math.Max((int)port, 1));
        return DnsServerEndpoint.Parse(DnsServerEndpoint.Format(endpoint)).Equals(endpoint);
    }
}
