using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Xunit;
using MailIdentity.Text;
using Xunit;

namespace MailIdentity.Core.Tests.Text;

[Properties(Arbitrary = new[] { typeof(TextArbitraries) }, MaxTest = 1000)]
public sealed class IPAddressTextPropertyTests
{
    [Property]
    public bool Never_throws_on_any_text_and_sets_the_address_exactly_on_success(NastyText text) =>
        IPAddressText.TryParse(text.Value, out var address) == (address is not null);

    [Property]
    public bool Never_throws_on_arbitrary_strings(string? text) =>
        IPAddressText.TryParse(text, out var address) == (address is not null);

    [Property]
    public bool Canonical_dotted_quad_round_trips(byte a, byte b, byte c, byte d)
    {
        var text = string.Join(".", new[] { a, b, c, d }.Select(x => x.ToString(CultureInfo.InvariantCulture)));
        return IPAddressText.TryParse(text, out var address) && address!.ToString() == text &&
               address.GetAddressBytes().SequenceEqual(new[] { a, b, c, d });
    }

    [Property]
    public bool Ipv6_round_trips_bare_and_bracketed(NonNull<byte[]> seed)
    {
        var bytes = new byte[16];
        seed.Get.Take(16).ToArray().CopyTo(bytes, 0);
        var original = new IPAddress(bytes);
        var text = original.ToString();
        var expected = original.IsIPv4MappedToIPv6 ? original.MapToIPv4() : original;
        return IPAddressText.TryParse(text, out var bare) && bare!.Equals(expected) &&
               IPAddressText.TryParse("[" + text + "]", out var bracketed) && bracketed!.Equals(expected) &&
               IPAddressText.TryParse(bare.ToString(), out var again) && again!.Equals(expected);
    }

    [Property]
    public bool Accepted_ipv4_is_exactly_the_canonical_dotted_quad(AddressLike text)
    {
        if (!IPAddressText.TryParse(text.Value, out var address) || address!.AddressFamily != AddressFamily.InterNetwork || text.Value.Contains(':'))
        {
            return true;
        }

        var value = text.Value.Trim();
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            value = value[1..^1];
        }

        return value == address.ToString();
    }

    [Property]
    public bool Accepted_ipv6_text_is_an_address_and_nothing_more(AddressLike text)
    {
        // A port, a prefix length or stray brackets must not be silently dropped.
        if (!IPAddressText.TryParse(text.Value, out var address) || !text.Value.Contains(':'))
        {
            return true;
        }

        var value = text.Value.Trim();
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            value = value[1..^1];
        }

        var scope = value.IndexOf('%', StringComparison.Ordinal);
        var core = scope < 0 ? value : value[..scope];
        return core.All(c => Uri.IsHexDigit(c) || c == ':' || c == '.') && IPAddress.Parse(core).Equals(address!.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Parse(core).MapToIPv4() : IPAddress.Parse(core));
    }

    [Property]
    public bool Result_is_never_an_ipv4_mapped_address(AddressLike text) =>
        !IPAddressText.TryParse(text.Value, out var address) || !address!.IsIPv4MappedToIPv6;

    [Theory]
    [InlineData("1")]
    [InlineData("10.1")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.-4")]
    [InlineData("1.2.3.+4")]
    [InlineData("1.2.3. 4")]
    [InlineData("１.２.３.４")]
    [InlineData("[::1]:53")]
    [InlineData("[192.0.2.1]:25")]
    [InlineData("2001:db8::1/64")]
    [InlineData("2001:db8::1]")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_what_is_not_an_address(string? text) => Assert.False(IPAddressText.TryParse(text, out _));

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData(" 192.0.2.1 ", "192.0.2.1")]
    [InlineData("[192.0.2.1]", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    public void Accepts_addresses(string text, string expected)
    {
        Assert.True(IPAddressText.TryParse(text, out var address));
        Assert.Equal(expected, address!.ToString());
    }
}
