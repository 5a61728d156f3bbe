using System;
using System.Net;
using MailIdentity.Dns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

public sealed class DnsServerEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("127.0.0.1:5300", "127.0.0.1", 5300)]
    [InlineData("  192.0.2.53:1  ", "192.0.2.53", 1)]
    [InlineData("192.0.2.53:65535", "192.0.2.53", 65535)]
    [InlineData("::1", "::1", 53)]
    [InlineData("2001:db8::53", "2001:db8::53", 53)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("[2001:db8::53]:5300", "2001:db8::53", 5300)]
    [InlineData("[2001:DB8::53]:53", "2001:db8::53", 53)]
    public void Parses_the_forms_an_admin_types(string text, string address, int port)
    {
        var endpoint = DnsServerEndpoint.Parse(text);

        Assert.Equal(IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("dns.example.com")]
    [InlineData("dns.example.com:53")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1:+53")]
    [InlineData("127.0.0.1:53a")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1: 53")]
    [InlineData("127.0.0.1:5300:1")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[::1]:")]
    [InlineData("[::1]:99999")]
    [InlineData("[127.0.0.1]:53x")]
    [InlineData("[]:53")]
    [InlineData("::1:53:")]
    [InlineData("1")]
    [InlineData("10.1")]
    [InlineData("10.1:53")]
    [InlineData("0x7f.1")]
    [InlineData("127.1:5300")]
    [InlineData("127.0.0.01")]
    [InlineData("192.0.2.53/24")]
    public void Rejects_garbage_with_a_message_naming_the_input(string text)
    {
        Assert.False(DnsServerEndpoint.TryParse(text, out var endpoint, out var problem));
        Assert.Null(endpoint);
        Assert.False(string.IsNullOrWhiteSpace(problem));
        if (text.Trim().Length > 0)
        {
            Assert.Contains(text.Trim(), problem, StringComparison.Ordinal);
        }

        var error = Assert.Throws<FormatException>(() => DnsServerEndpoint.Parse(text));
        Assert.Equal(problem, error.Message);
    }

    [Fact]
    public void Null_is_rejected_with_a_message()
    {
        Assert.False(DnsServerEndpoint.TryParse(null, out _, out var problem));
        Assert.Contains("empty", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5300")]
    [InlineData("[::1]:53")]
    [InlineData("[2001:db8::53]:5300")]
    public void Format_is_read_back_by_parse(string text)
    {
        var endpoint = DnsServerEndpoint.Parse(text);

        Assert.Equal(text, DnsServerEndpoint.Format(endpoint));
        Assert.Equal(endpoint, DnsServerEndpoint.Parse(DnsServerEndpoint.Format(endpoint)));
    }

    [Fact]
    public void Random_endpoints_round_trip_through_format_and_parse()
    {
        var random = new Random(53);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = new byte[i % 2 == 0 ? 4 : 16];
            random.NextBytes(bytes);
            var address = new IPAddress(bytes);
            if (address.IsIPv4MappedToIPv6)
            {
                continue;
            }

            var endpoint = new IPEndPoint(address, random.Next(1, 65536));
            Assert.Equal(endpoint, DnsServerEndpoint.Parse(DnsServerEndpoint.Format(endpoint)));
        }
    }
}
