using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using MailIdentity.Text;
using HostName = MailIdentity.Text.HostName;
using Xunit;

namespace MailIdentity.Core.Tests.Text;

[Properties(Arbitrary = new[] { typeof(TextArbitraries) }, MaxTest = 1000)]
public sealed class HostNamePropertyTests
{
    [Property]
    public void Never_throws_on_any_text(NastyText text)
    {
        _ = HostName.Normalize(text.Value);
        _ = HostName.IsFqdn(text.Value);
        _ = HostName.AreSame(text.Value, text.Value);
        _ = HostName.AreSame(text.Value, "mail.example.com");
        _ = HostName.IsLdhLabel(text.Value ?? string.Empty);
    }

    [Property]
    public void Never_throws_on_arbitrary_strings(string? text)
    {
        _ = HostName.Normalize(text);
        _ = HostName.IsFqdn(text);
        _ = HostName.AreSame(text, text);
    }

    [Property]
    public bool Normalize_is_idempotent(NastyText text)
    {
        var once = HostName.Normalize(text.Value);
        return HostName.Normalize(once) == once;
    }

    [Property]
    public bool Normalize_is_idempotent_on_host_names(HostLike host)
    {
        var once = HostName.Normalize(host.Value);
        return HostName.Normalize(once) == once;
    }

    [Property]
    public bool Normalized_text_has_no_upper_case_ascii_and_no_trailing_dot_unless_invalid(NastyText text)
    {
        var normalized = HostName.Normalize(text.Value);
        return !normalized.Any(c => c >= 'A' && c <= 'Z') && (!normalized.EndsWith('.') || !HostName.IsFqdn(normalized));
    }

    [Property]
    public bool IsFqdn_is_false_beyond_253_characters(NastyText text) =>
        HostName.Normalize(text.Value).Length <= HostName.MaxLength || !HostName.IsFqdn(text.Value);

    [Property]
    public bool Generated_host_names_are_fqdns_exactly_when_their_shape_allows(HostLike host)
    {
        var bare = host.Value.TrimEnd('.');
        var labels = bare.Split('.');
        var expected = bare.Length <= HostName.MaxLength && labels.Length >= 2 &&
                       labels.All(l => l.Length is >= 1 and <= 63 && l[0] != '-' && l[^1] != '-') &&
                       !labels[^1].All(char.IsAsciiDigit);
        return HostName.IsFqdn(host.Value) == expected;
    }

    [Property]
    public bool Same_name_whatever_case_and_root_dot(HostLike host)
    {
        var bare = host.Value.TrimEnd('.');
        return HostName.AreSame(host.Value, bare.ToUpperInvariant() + ".") && HostName.AreSame(bare.ToLowerInvariant(), host.Value);
    }

    [Property]
    public bool AreSame_is_symmetric(NastyText left, NastyText right) =>
        HostName.AreSame(left.Value, right.Value) == HostName.AreSame(right.Value, left.Value);

    [Property]
    public bool AreSame_is_reflexive_for_any_non_blank_name(NastyText text) =>
        HostName.Normalize(text.Value).Length == 0 || HostName.AreSame(text.Value, text.Value);

    [Property]
    public bool Ip_addresses_are_never_fqdns(byte a, byte b, byte c, byte d) =>
        !HostName.IsFqdn($"{a}.{b}.{c}.{d}") && !HostName.IsFqdn($"{a}.{b}.{c}.{d}.");

    [Fact]
    public void Long_names_are_refused_at_the_limit()
    {
        var label = new string('a', 63);
        var name253 = string.Join(".", label, label, label, new string('b', 61));
        Assert.Equal(253, name253.Length);
        Assert.True(HostName.IsFqdn(name253));
        Assert.True(HostName.IsFqdn(name253 + "."));
        Assert.False(HostName.IsFqdn(name253 + "c"));
    }

    [Theory]
    [InlineData("mail.example.com..")]
    [InlineData("mail.example.com. .")]
    [InlineData("mail.example.com.\t.")]
    [InlineData("mail。example。com。")]
    public void Names_that_end_in_more_than_one_root_dot_normalise_stably(string text)
    {
        var once = HostName.Normalize(text);
        Assert.Equal(once, HostName.Normalize(once));
        Assert.Equal(text.Contains('。', StringComparison.Ordinal), HostName.IsFqdn(text));
    }

    [Theory]
    [InlineData("MAIL.Example.COM.", "mail.example.com")]
    [InlineData("  mail.example.com  ", "mail.example.com")]
    [InlineData("münchen.example", "xn--mnchen-3ya.example")]
    [InlineData("MÜNCHEN.example.", "xn--mnchen-3ya.example")]
    [InlineData(null, "")]
    [InlineData(" . ", "")]
    public void Normalize_examples(string? text, string expected) => Assert.Equal(expected, HostName.Normalize(text));
}
