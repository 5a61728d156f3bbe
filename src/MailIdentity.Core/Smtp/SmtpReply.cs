using System;
using System.Collections.Generic;

namespace MailIdentity.Smtp;

/// <summary>
/// One SMTP reply as read: its code, its lines (decoded, NOT escaped: escape them with
/// <see cref="Text.DisplayText.Escape"/> before showing them) and the raw bytes.
/// </summary>
public sealed class SmtpReply
{
    internal SmtpReply(int? code, IReadOnlyList<string> lines, string? trailing, byte[] raw,
        SmtpReplyProblem problem, bool bareLineFeeds)
    {
        Code = code;
        Lines = lines;
        Trailing = trailing;
        Raw = raw;
        Problem = problem;
        BareLineFeeds = bareLineFeeds;
    }

    /// <summary>The three-digit reply code of the first line; null when no line carried one.</summary>
    public int? Code { get; }

    /// <summary>The complete lines, code included, without their line ends; decoded as UTF-8, unescaped.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>A started line that had no line end when reading stopped (cut at the line limit); else null.</summary>
    public string? Trailing { get; }

    /// <summary>The bytes the reply was parsed from (up to the total limit).</summary>
    public byte[] Raw { get; }

    /// <summary>None for a complete, well-formed reply; otherwise why it is not one.</summary>
    public SmtpReplyProblem Problem { get; }

    /// <summary>True when the final line has been read and every line was well formed.</summary>
    public bool IsComplete => Problem == SmtpReplyProblem.None;

    /// <summary>True when a line ended in a bare LF instead of CRLF (tolerated, as most clients do).</summary>
    public bool BareLineFeeds { get; }

    /// <summary>The text of each line after the code and its separator ("220-" / "220 ").</summary>
    public IReadOnlyList<string> Texts
    {
        get
        {
            var texts = new string[Lines.Count];
            for (var i = 0; i < Lines.Count; i++)
            {
                texts[i] = TextOf(Lines[i]);
            }

            return texts;
        }
    }

    /// <summary>The class of the code: 2 (success), 3, 4 (temporary), 5 (permanent); 0 without a code.</summary>
    public int CodeClass => Code is int c ? c / 100 : 0;

    internal static string TextOf(string line) => line.Length > 4 ? line.Substring(4) : string.Empty;

    public override string ToString() => Lines.Count > 0 ? string.Join(" / ", Lines) : Problem.ToString();

    internal static SmtpReply Empty(SmtpReplyProblem problem) =>
        new(null, Array.Empty<string>(), null, Array.Empty<byte>(), problem, false);
}
