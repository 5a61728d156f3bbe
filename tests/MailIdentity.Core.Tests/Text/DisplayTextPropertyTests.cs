using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using MailIdentity.Text;
using Xunit;

namespace MailIdentity.Core.Tests.Text;

[Properties(Arbitrary = new[] { typeof(TextArbitraries) }, MaxTest = 1000)]
public sealed class DisplayTextPropertyTests
{
    private static bool IsUnsafe(char c) =>
        c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

    [Property]
    public bool Output_holds_no_control_character(NastyText text) => !DisplayText.Escape(text.Value).Any(IsUnsafe);

    [Property]
    public bool Output_holds_no_control_character_for_arbitrary_strings(string? text) => !DisplayText.Escape(text).Any(IsUnsafe);

    [Property]
    public bool Every_escape_character_is_shown_as_backslash_e(NastyText text)
    {
        var escaped = DisplayText.Escape(text.Value);
        var escapes = text.Value?.Count(c => c == '\x1b') ?? 0;
        var shown = escaped.Split("\\e").Length - 1;
        return !escaped.Contains('\x1b', StringComparison.Ordinal) && shown >= escapes;
    }

    [Property]
    public bool Safe_text_comes_back_unchanged(NastyText text)
    {
        var value = text.Value ?? string.Empty;
        return value.Any(IsUnsafe) || ReferenceEquals(value, DisplayText.Escape(value)) || value.Length == 0;
    }

    [Property]
    public bool Printable_characters_survive_in_order(NastyText text)
    {
        // Escaping only inserts: the safe characters of the input appear in the output, in order.
        var safe = new string((text.Value ?? string.Empty).Where(c => !IsUnsafe(c)).ToArray());
        var output = DisplayText.Escape(text.Value);
        var at = 0;
        foreach (var c in output)
        {
            if (at < safe.Length && c == safe[at])
            {
                at++;
            }
        }

        return at == safe.Length;
    }

    [Theory]
    [InlineData("220 mail\u001b[31m.example", "220 mail\\e[31m.example")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("bell\u0007", "bell\\x07")]
    [InlineData("csi\u009b2J", "csi\\x9B2J")]
    [InlineData("del\u007f", "del\\x7F")]
    [InlineData("rtl\u202egnp.exe", "rtl\\u202Egnp.exe")]
    [InlineData("münchen", "münchen")]
    [InlineData(null, "")]
    public void Escape_examples(string? text, string expected) => Assert.Equal(expected, DisplayText.Escape(text));
}
