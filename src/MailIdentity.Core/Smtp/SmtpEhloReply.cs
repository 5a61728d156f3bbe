using System;
using System.Collections.Generic;
using MailIdentity.Text;

namespace MailIdentity.Smtp;

/// <summary>
/// An EHLO (or HELO) reply: the host the server names in its first line and the service extensions it
/// lists on the others (RFC 5321 section 4.1.1.1). Pure: usable without a socket.
/// </summary>
public sealed class SmtpEhloReply
{
    private static readonly char[] TokenEnds = { ' ', '\t', '=' };

    private SmtpEhloReply(SmtpReply reply, string? host, IReadOnlyList<string> extensions, IReadOnlyList<string> keywords)
    {
        Reply = reply;
        Host = host;
        Extensions = extensions;
        Keywords = keywords;
    }

    /// <summary>The reply as read.</summary>
    public SmtpReply Reply { get; }

    /// <summary>The reply code, or null when there is none.</summary>
    public int? Code => Reply.Code;

    /// <summary>The host named first in the reply, lower case, escaped for display; null when absent.</summary>
    public string? Host { get; }

    /// <summary>Each extension line as sent ("SIZE 10240000", "AUTH PLAIN LOGIN"), escaped for display.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The extension keywords, upper case ("SIZE", "STARTTLS", "AUTH"), escaped for display.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>True when the server lists STARTTLS.</summary>
    public bool OffersStartTls => Has("STARTTLS");

    /// <summary>True when the server lists <paramref name="keyword"/> (case-insensitive).</summary>
    public bool Has(string keyword)
    {
        foreach (var k in Keywords)
        {
            if (string.Equals(k, keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads an EHLO reply from raw bytes; never throws.</summary>
    public static SmtpEhloReply Parse(byte[]? bytes, SmtpReplyLimits? limits = null) => FromReply(SmtpReplyParser.Parse(bytes, limits));

    /// <summary>Analyses an already-read reply. Only a 2xx reply lists extensions.</summary>
    public static SmtpEhloReply FromReply(SmtpReply reply)
    {
        reply ??= SmtpReply.Empty(SmtpReplyProblem.Incomplete);
        var extensions = new List<string>();
        var keywords = new List<string>();
        string? host = null;
        if (reply.CodeClass == 2 && reply.Lines.Count > 0)
        {
            var texts = reply.Texts;
            var first = FirstToken(texts[0]);
            if (first.Length > 0)
            {
                // Only a name is normalised (lower case); anything else is shown as sent, escaped, so that
                // "\e[2J" does not read as "\e[2j".
                host = Array.TrueForAll(first.TrimEnd('.').Split('.'), HostName.IsLdhLabel)
                    ? HostName.Normalize(first)
                    : DisplayText.Escape(first);
            }

            for (var i = 1; i < texts.Count; i++)
            {
                var line = texts[i].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                extensions.Add(DisplayText.Escape(line));
                keywords.Add(DisplayText.Escape(FirstToken(line).ToUpperInvariant()));
            }
        }

        return new SmtpEhloReply(reply, host, extensions, keywords);
    }

    private static string FirstToken(string text)
    {
        var trimmed = text.TrimStart(' ', '\t');
        var end = trimmed.IndexOfAny(TokenEnds);
        return end < 0 ? trimmed : trimmed.Substring(0, end);
    }
}
