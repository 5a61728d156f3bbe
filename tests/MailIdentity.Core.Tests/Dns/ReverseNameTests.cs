using System;
using System.Linq;
using System.Net;
using MailIdentity.Dns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

public sealed class ReverseNameTests
{
    [Theory]
    [InlineData("192.0.2.6", "6.2.0.192.in-addr.arpa")]
    [InlineData("127.0.0.1", "1.0.0.127.in-addr.arpa")]
    [InlineData("0.0.0.0", "0.0.0.0.in-addr.arpa")]
    [InlineData("255.255.255.255", "255.255.255.255.in-addr.arpa")]
    [InlineData("::ffff:192.0.2.6", "6.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    [InlineData("::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa")]
    [InlineData("2001:DB8:ABCD:12::FE", "e.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.1.0.0.d.c.b.a.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void Reverse_name_is_the_rfc_form(string address, string expected) =>
        Assert.Equal(expected, ReverseName.For(IPAddress.Parse(address)));

    [Fact]
    public void Ipv6_reverse_name_has_32_lower_case_nibbles_that_read_back_to_the_address()
    {
        var random = new Random(2317);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            var address = new IPAddress(bytes);
            if (address.IsIPv4MappedToIPv6)
            {
                continue;
            }

            var name = ReverseName.For(address);
            var nibbles = name[..^".ip6.arpa".Length].Split('.');
            Assert.Equal(32, nibbles.Length);
            Assert.All(nibbles, n => Assert.Matches("^[0-9a-f]$", n));
            var hex = string.Concat(nibbles.Reverse());
            Assert.Equal(bytes, Convert.FromHexString(hex));
        }
    }

    [Fact]
    public void Ipv4_reverse_name_reads_back_to_the_address()
    {
        var random = new Random(1035);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[4];
            random.NextBytes(bytes);
            var name = ReverseName.For(new IPAddress(bytes));
            var octets = name[..^".in-addr.arpa".Length].Split('.').Select(byte.Parse).Reverse().ToArray();
            Assert.Equal(bytes, octets);
        }
    }

    [Fact]
    public void Scope_id_does_not_leak_into_the_name()
    {
        var scoped = IPAddress.Parse("fe80::1%2");
        Assert.Equal(ReverseName.For(IPAddress.Parse("fe80::1")), ReverseName.For(scoped));
    }

    [Fact]
    public void Null_is_rejected_by_name() =>
        Assert.Equal("address", Assert.Throws<ArgumentNullException>(() => ReverseName.For(null!)).ParamName);
}
