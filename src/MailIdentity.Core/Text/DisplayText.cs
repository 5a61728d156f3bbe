using System.Globalization;
using System.Text;

namespace MailIdentity.Text;

/// <summary>
/// Makes untrusted text (server banners, DNS data, input cells) safe to print: control characters,
/// including ESC that starts ANSI sequences, are shown as visible escapes (\e, \r, \x07, \u009B), so
/// a server cannot move the cursor, recolour or retitle the admin's terminal. Never throws.
/// </summary>
public static class DisplayText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var value = text!;
        var clean = true;
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (!NeedsEscape(c))
            {
                builder.Append(c);
                continue;
            }

            switch (c)
            {
                case '\x1b': builder.Append("\\e"); break;
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    builder.Append(c <= 0xFF ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)
                                             : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// True for characters a terminal may act on: C0 and C1 controls, DEL and bidi overrides.
    /// </summary>
    private static bool NeedsEscape(char c) =>
        c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
        (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
}
