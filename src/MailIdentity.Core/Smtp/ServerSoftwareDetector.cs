using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace MailIdentity.Smtp;

/// <summary>
/// Recognises the server software from the greeting and EHLO reply text, by the markers each product
/// puts there by default. Hidden or customised banners give Unknown, never a guess.
/// </summary>
public static class ServerSoftwareDetector
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    // Order matters: Microsoft 365 before Exchange (same banner text), Mail-in-a-Box is Postfix.
    private static readonly (ServerSoftware Software, Regex Pattern)[] Markers =
    {
        (ServerSoftware.Microsoft365, Rx(@"\.mail\.protection\.outlook\.[a-z]+\b|\boutlook\.com\b")),
        (ServerSoftware.Exchange, Rx(@"Microsoft ESMTP MAIL Service|\bXEXCH50\b|\bX-ANONYMOUSTLS\b|\bX-EXPS\b|Microsoft Exchange")),
        (ServerSoftware.Postfix, Rx(@"\bPostfix\b")),
        (ServerSoftware.Exim, Rx(@"\bExim(?:[ /](?<v>\d+\.\d+(?:\.\d+)*))?")),
        (ServerSoftware.Sendmail, Rx(@"\bSendmail(?:[ /](?<v>\d+\.\d+(?:\.\d+)*))?")),
        (ServerSoftware.HMailServer, Rx(@"\bhMailServer\b")),
        (ServerSoftware.MDaemon, Rx(@"\bMDaemon(?:[ /]v?(?<v>\d+\.\d+(?:\.\d+)*))?")),
        (ServerSoftware.OpenSmtpd, Rx(@"\bOpenSMTPD\b")),
        (ServerSoftware.Haraka, Rx(@"\bHaraka(?:[ /](?<v>\d+\.\d+(?:\.\d+)*))?")),
        (ServerSoftware.Qmail, Rx(@"\b(?:net)?qmail\b")),
        (ServerSoftware.Courier, Rx(@"\bCourier\b.*\bESMTP\b|\bESMTP\b.*\bCourier\b")),
        (ServerSoftware.Kerio, Rx(@"\bKerio (?:Connect|MailServer)(?: (?<v>\d+\.\d+(?:\.\d+)*))?")),
        (ServerSoftware.IceWarp, Rx(@"\bIceWarp(?: (?<v>\d+\.\d+(?:\.\d+)*))?")),
        (ServerSoftware.SmarterMail, Rx(@"\bSmarterMail\b")),
        (ServerSoftware.MailEnable, Rx(@"\bMailEnable\b")),
        (ServerSoftware.CommuniGate, Rx(@"\bCommuniGate Pro\b(?: (?:ESMTP )?(?<v>\d+\.\d+(?:\.\d+)*))?")),
    };

    /// <summary>
    /// Detects the software from the greeting lines and EHLO lines (either may be empty), and the
    /// version when the product shows one (Exim, Sendmail, Haraka...).
    /// </summary>
    public static (ServerSoftware Software, string? Version) Detect(IEnumerable<string>? greetingLines, IEnumerable<string>? ehloLines = null)
    {
        var text = string.Join("\n", Join(greetingLines), Join(ehloLines));
        if (text.Length > 128 * 1024)
        {
            text = text.Substring(0, 128 * 1024);
        }

        foreach (var (software, pattern) in Markers)
        {
            try
            {
                var match = pattern.Match(text);
                if (match.Success)
                {
                    var version = match.Groups["v"];
                    return (software, version.Success ? version.Value : null);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological banner: no verdict from this marker.
            }
        }

        return (ServerSoftware.Unknown, null);
    }

    private static string Join(IEnumerable<string>? lines) => lines is null ? string.Empty : string.Join("\n", lines);

    private static Regex Rx(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeout);
}
