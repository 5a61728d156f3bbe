using System;
using System.Collections.Generic;
using System.Linq;
using MailIdentity.Text;

namespace MailIdentity.Smtp;

/// <summary>
/// What a greeting says about the server: the host it names (the first token of the first line, RFC
/// 5321 section 4.2), what kind of token that is, and its reply code. Pure: usable without a socket.
/// </summary>
public sealed class SmtpGreeting
{
    private static readonly char[] Blanks = { ' ', '\t' };

    // Words that greetings put where the host belongs when the host is left out ("220 ESMTP").
    private static readonly HashSet<string> NotHostWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ESMTP", "SMTP", "ESMTPS", "ESMTPA", "ESMTPSA", "LMTP", "UTF8SMTP", "SMTPUTF8", "Service", "Server",
        "Ready", "Welcome", "Hello", "Hi", "Mail", "Mailserver", "Postfix", "Exim", "Sendmail", "Microsoft",
        "Too", "Sorry", "Go", "Access", "Connection", "Please", "No", "Not", "Temporary", "Try", "Error",
    };

    private SmtpGreeting(SmtpReply reply, string? hostToken, BannerHostKind kind)
    {
        Reply = reply;
        HostToken = hostToken;
        HostKind = kind;
        Host = kind is BannerHostKind.Masked or BannerHostKind.Missing || hostToken is null
            ? null
            : DisplayText.Escape(HostName.Normalize(hostToken));
    }

    /// <summary>The reply the greeting was read as.</summary>
    public SmtpReply Reply { get; }

    /// <summary>The reply code, or null when the bytes carry none.</summary>
    public int? Code => Reply.Code;

    /// <summary>The host token exactly as sent (unescaped), or null when there is none.</summary>
    public string? HostToken { get; }

    /// <summary>The host named by the greeting, lower case, escaped for display; null when Masked or Missing.</summary>
    public string? Host { get; }

    /// <summary>Fqdn, NotFqdn, AddressLiteral, Masked or Missing.</summary>
    public BannerHostKind HostKind { get; }

    /// <summary>Reads a greeting from raw bytes; never throws.</summary>
    public static SmtpGreeting Parse(byte[]? bytes, SmtpReplyLimits? limits = null) =>
        FromReply(SmtpReplyParser.Parse(bytes, limits));

    /// <summary>Analyses an already-read reply.</summary>
    public static SmtpGreeting FromReply(SmtpReply reply)
    {
        if (reply is null || reply.Lines.Count == 0 || reply.Code is null)
        {
            return new SmtpGreeting(reply ?? SmtpReply.Empty(SmtpReplyProblem.Incomplete), null, BannerHostKind.Missing);
        }

        var (token, kind) = ClassifyHost(SmtpReply.TextOf(reply.Lines[0]), reply.Code.Value);
        return new SmtpGreeting(reply, token, kind);
    }

    /// <summary>
    /// Finds the host in the text of a greeting's first line (after "220 "). A 4xx/5xx greeting may put an
    /// enhanced status code ("5.7.1") first; a bare word that is no host ("ESMTP", "Too") means Missing.
    /// </summary>
    public static (string? Token, BannerHostKind Kind) ClassifyHost(string? text, int code)
    {
        var tokens = (text ?? string.Empty).Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        var index = 0;
        if (code >= 400 && tokens.Length > 0 && IsEnhancedStatus(tokens[0]))
        {
            index = 1;
        }

        if (index >= tokens.Length)
        {
            return (null, BannerHostKind.Missing);
        }

        var token = tokens[index].TrimEnd(',', ';', ':');
        if (token.Length == 0)
        {
            return (null, BannerHostKind.Missing);
        }

        if (token.IndexOf('*') >= 0 && token.Count(c => c == '*') * 2 >= token.Length)
        {
            return (token, BannerHostKind.Masked);
        }

        if (token.Length > 2 && token[0] == '[' && token[token.Length - 1] == ']')
        {
            return (token, BannerHostKind.AddressLiteral);
        }

        if (HostName.IsFqdn(token))
        {
            return (token, BannerHostKind.Fqdn);
        }

        // Only a 220 greeting promises a host first; a lone word in a 421/554 is text ("421 Too many ...").
        if (code / 100 != 2 || NotHostWords.Contains(token) || !LooksLikeHostToken(token))
        {
            return (null, BannerHostKind.Missing);
        }

        return (token, BannerHostKind.NotFqdn);
    }

    /// <summary>RFC 3463 "class.subject.detail", e.g. 5.7.1 or 4.3.2.</summary>
    internal static bool IsEnhancedStatus(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 3 && parts[0].Length == 1 && (parts[0] == "2" || parts[0] == "4" || parts[0] == "5") &&
               parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsDigit) &&
               parts[2].Length is >= 1 and <= 3 && parts[2].All(char.IsDigit);
    }

    // A token that could be meant as a host: letters, digits, hyphens, dots and underscores, not all digits.
    private static bool LooksLikeHostToken(string token) =>
        token.Length <= HostName.MaxLength &&
        token.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '-' or '.' or '_') &&
        token.Any(c => !char.IsDigit(c) && c != '.');
}
