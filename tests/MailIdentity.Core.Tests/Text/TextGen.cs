using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace MailIdentity.Core.Tests.Text;

/// <summary>Text that trips up parsers: control characters, ANSI, bidi, IDN, dots and very long runs.</summary>
public sealed record NastyText(string? Value)
{
    public override string ToString() => Value is null ? "<null>" : string.Concat(Value.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}

/// <summary>A host-name-shaped string: LDH labels, mixed case, sometimes a trailing dot, sometimes too long.</summary>
public sealed record HostLike(string Value);

/// <summary>Text shaped like an IP address, right or subtly wrong.</summary>
public sealed record AddressLike(string Value);

/// <summary>The generators, registered with [Property(Arbitrary = new[] { typeof(TextArbitraries) })].</summary>
public static class TextArbitraries
{
    private static readonly char[] Pool =
        "abcxyzABCXYZ0189-._ :[]%/\\@*"
        .Concat(Enumerable.Range(0, 0x20).Select(i => (char)i))
        .Concat(new[] { '\x7f', '\x80', '\x85', '\x9b', '\x9f', '\xa0', 'ü', 'ß', 'İ', 'ı', 'Ω', 'ж', '中', '。', '．', '｡', '\u200b', '\u200d', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ufffd', '\ud800', '\udc00', '\u0130', '\u212a' })
        .ToArray();

    private static readonly string[] Chunks =
    {
        "\u001b[31m", "\u001b]0;title\u0007", "\u009b2J", "\r\n", "..", "xn--", "xn--mnchen-3ya", "münchen", "\u001b", "[::1]", "127.0.0.1",
        new string('a', 63), new string('a', 64), "-", ".", "%eth0", "\u202e",
    };

    public static Arbitrary<NastyText> Nasty()
    {
        var pieces = Gen.Frequency(
            (6, Gen.Elements(Pool).Select(c => c.ToString())),
            (2, Gen.Elements(Chunks)),
            (1, ArbMap.Default.GeneratorFor<char>().Select(c => c.ToString())));
        var text = Gen.Sized(size => Gen.Choose(0, Math.Max(1, size * 3)).SelectMany(n => Gen.ArrayOf(pieces, n)))
            .Select(parts => string.Concat(parts));
        var withNull = Gen.Frequency((20, text.Select(t => (string?)t)), (1, Gen.Constant((string?)null)));
        return withNull.Select(v => new NastyText(v)).ToArbitrary();
    }

    public static Arbitrary<HostLike> Hosts()
    {
        var ldh = Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray());
        var label = Gen.Choose(1, 63).SelectMany(n => Gen.ArrayOf(ldh, n)).Select(chars => new string(chars));
        var hyphenated = Gen.Two(label).Select(t => t.Item1[..Math.Min(t.Item1.Length, 30)] + "-" + t.Item2[..Math.Min(t.Item2.Length, 30)]);
        var anyLabel = Gen.Frequency((5, label), (1, hyphenated));
        var name = Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(anyLabel, n)).Select(labels => string.Join(".", labels));
        var dotted = Gen.Zip(name, Gen.Elements(false, false, true)).Select(t => t.Item2 ? t.Item1 + "." : t.Item1);
        return dotted.Select(v => new HostLike(v)).ToArbitrary();
    }

    public static Arbitrary<AddressLike> Addresses()
    {
        var octet = Gen.Frequency(
            (6, Gen.Choose(0, 255).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Elements("00", "01", "007", "256", "999", "-1", "+1", "0x7f", "1e2", " 1", "1 ", "", "１", "0000", "٣")));
        var v4 = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(octet, n)).Select(parts => string.Join(".", parts));
        var v6 = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 16)
            .Select(bytes => new System.Net.IPAddress(bytes).ToString());
        var v6Odd = Gen.Zip(v6, Gen.Elements("", "%eth0", "%1", ":", "]", ":53", "::", "/64", ".1"))
            .Select(t => t.Item1 + t.Item2);
        var bracketed = Gen.Zip(Gen.OneOf(v4, v6), Gen.Elements("[{0}]", "[{0}]:53", "[{0}", "{0}]", " {0} ", "{0}"))
            .Select(t => string.Format(System.Globalization.CultureInfo.InvariantCulture, t.Item2, t.Item1));
        return Gen.OneOf(v4, v6, v6Odd, bracketed).Select(v => new AddressLike(v)).ToArbitrary();
    }
}
