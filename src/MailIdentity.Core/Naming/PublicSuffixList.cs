using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using MailIdentity.Text;

namespace MailIdentity.Naming;

/// <summary>
/// Registrable domains ("eTLD+1") by the Public Suffix List (https://publicsuffix.org/list/), both
/// its ICANN and its private sections. The list (MPL-2.0, Debian package <c>publicsuffix</c>) is
/// embedded in the DLL and parsed once, on first use. Names come back lower case, without a
/// trailing dot, with IDN labels in their ASCII (xn--) form. No method throws on any input.
/// </summary>
public static class PublicSuffixList
{
    internal const string ResourceName = "MailIdentity.Naming.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixRules> Embedded =
        new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The registrable domain of <paramref name="host"/>: its public suffix plus one more label,
    /// e.g. <c>example.co.uk</c> for <c>mail.example.co.uk</c>. A TLD that is not on the list
    /// counts as a public suffix (the PSL default rule <c>*</c>), so <c>mail.c01.example</c>
    /// gives <c>c01.example</c>. Returns null for a bare public suffix, an IP address, or text
    /// that is not a host name.
    /// </summary>
    public static string? RegistrableDomain(string? host) => Embedded.Value.RegistrableDomain(host, includePrivateDomains: true);

    /// <summary>
    /// As <see cref="RegistrableDomain(string)"/>; with <paramref name="includePrivateDomains"/> false the
    /// list's private section (suffixes run by companies, such as <c>github.io</c> or
    /// <c>*.compute.amazonaws.com</c>) is ignored, which gives the domain that was bought from a registry:
    /// <c>amazonaws.com</c> for <c>ec2-203-0-113-5.eu-west-1.compute.amazonaws.com</c>.
    /// </summary>
    public static string? RegistrableDomain(string? host, bool includePrivateDomains) =>
        Embedded.Value.RegistrableDomain(host, includePrivateDomains);

    /// <summary>
    /// The public suffix of <paramref name="host"/> by the prevailing rule, e.g. <c>co.uk</c> for
    /// <c>mail.example.co.uk</c> and <c>example</c> for <c>c01.example</c> (default rule).
    /// Returns null for an IP address or text that is not a host name.
    /// </summary>
    public static string? PublicSuffix(string? host) => Embedded.Value.PublicSuffix(host, includePrivateDomains: true);

    /// <summary>
    /// True when both hosts have a registrable domain and it is the same one
    /// (e.g. <c>mail.example.com</c> and <c>mx.eu.example.com</c>). False if either has none.
    /// </summary>
    public static bool AreSameRegistrableDomain(string? a, string? b)
    {
        var left = RegistrableDomain(a);
        return left is not null && string.Equals(left, RegistrableDomain(b), StringComparison.Ordinal);
    }

    /// <summary>The rules embedded in this assembly (loaded on first use).</summary>
    internal static PublicSuffixRules Rules => Embedded.Value;

    private static PublicSuffixRules LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                "The Public Suffix List resource '" + ResourceName + "' is missing from " +
                typeof(PublicSuffixList).Assembly.FullName + "; the build is broken.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return PublicSuffixRules.Parse(reader);
    }
}

/// <summary>A parsed Public Suffix List and the PSL matching algorithm. Immutable and thread-safe.</summary>
internal sealed class PublicSuffixRules
{
    // Each map holds ASCII (xn--), lower-case rule text: "co.uk"; for "*.ck" the part after "*.";
    // for "!www.ck" the part after "!". The value is true for a rule of the private section.
    private readonly Dictionary<string, bool> normal;
    private readonly Dictionary<string, bool> wildcard;
    private readonly Dictionary<string, bool> exception;

    private PublicSuffixRules(Dictionary<string, bool> normal, Dictionary<string, bool> wildcard, Dictionary<string, bool> exception, int privateCount)
    {
        this.normal = normal;
        this.wildcard = wildcard;
        this.exception = exception;
        PrivateRuleCount = privateCount;
    }

    /// <summary>Number of rules of all kinds.</summary>
    public int Count => normal.Count + wildcard.Count + exception.Count;

    /// <summary>Number of rules read from the "===BEGIN PRIVATE DOMAINS===" section.</summary>
    public int PrivateRuleCount { get; }

    /// <summary>
    /// Reads the list format: one rule per line, read up to the first white space; "//" comments and
    /// blank lines skipped; Unicode rules mapped to ASCII with IDNA (rules IDNA rejects are skipped).
    /// </summary>
    public static PublicSuffixRules Parse(TextReader reader)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        var idn = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false };
        var normal = new Dictionary<string, bool>(StringComparer.Ordinal);
        var wildcard = new Dictionary<string, bool>(StringComparer.Ordinal);
        var exception = new Dictionary<string, bool>(StringComparer.Ordinal);
        var inPrivate = false;
        var privateCount = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith("//", StringComparison.Ordinal))
            {
                if (text.IndexOf("===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal) >= 0)
                {
                    inPrivate = true;
                }
                else if (text.IndexOf("===END PRIVATE DOMAINS===", StringComparison.Ordinal) >= 0)
                {
                    inPrivate = false;
                }

                continue;
            }

            var end = 0;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            var rule = text.Substring(0, end);
            var target = normal;
            if (rule.StartsWith("!", StringComparison.Ordinal))
            {
                target = exception;
                rule = rule.Substring(1);
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                target = wildcard;
                rule = rule.Substring(2);
            }

            var ascii = ToAscii(idn, rule);
            if (ascii is null)
            {
                continue;
            }

            if (!target.ContainsKey(ascii))
            {
                target.Add(ascii, inPrivate);
                privateCount += inPrivate ? 1 : 0;
            }
        }

        return new PublicSuffixRules(normal, wildcard, exception, privateCount);
    }

    public string? PublicSuffix(string? host, bool includePrivateDomains)
    {
        var name = Prepare(host);
        if (name is null)
        {
            return null;
        }

        var starts = LabelStarts(name);
        return name.Substring(starts[starts.Count - SuffixLabelCount(name, starts, includePrivateDomains)]);
    }

    public string? RegistrableDomain(string? host, bool includePrivateDomains)
    {
        var name = Prepare(host);
        if (name is null)
        {
            return null;
        }

        var starts = LabelStarts(name);
        var suffix = SuffixLabelCount(name, starts, includePrivateDomains);
        return starts.Count > suffix ? name.Substring(starts[starts.Count - suffix - 1]) : null;
    }

    /// <summary>
    /// Normalised host name (lower case, xn--, no trailing dot) of LDH/underscore labels, or null when
    /// it is not something the list can apply to (blank, an IP address, bad characters, empty or long labels).
    /// </summary>
    internal static string? Prepare(string? host)
    {
        if (host is null || host.Length > 1024)
        {
            return null;
        }

        var name = HostName.Normalize(host);
        if (name.Length == 0 || name.Length > HostName.MaxLength || name.IndexOf(':') >= 0 || IPAddress.TryParse(name, out _))
        {
            return null;
        }

        var labelLength = 0;
        var lastLabelAllDigits = true;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return null;
                }

                labelLength = 0;
                lastLabelAllDigits = true;
                continue;
            }

            // Letters, digits, hyphen, and underscore (service labels such as _dmarc are real names).
            var ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok || ++labelLength > 63)
            {
                return null;
            }

            lastLabelAllDigits &= c >= '0' && c <= '9';
        }

        // Empty last label (".." at the end) or an all-digit TLD (an address in disguise): not a host name.
        return labelLength == 0 || lastLabelAllDigits ? null : name;
    }

    private static List<int> LabelStarts(string name)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '.')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    /// <summary>How many trailing labels of <paramref name="name"/> form its public suffix.</summary>
    private int SuffixLabelCount(string name, List<int> starts, bool includePrivate)
    {
        var count = starts.Count;

        // An exception rule wins over every other rule; its public suffix is the rule minus its first label.
        for (var i = 0; i < count; i++)
        {
            if (Has(exception, name.Substring(starts[i]), includePrivate))
            {
                return count - i - 1;
            }
        }

        // Otherwise the longest matching rule, normal or wildcard; none: the default rule "*".
        for (var i = 0; i < count; i++)
        {
            if (Has(normal, name.Substring(starts[i]), includePrivate) ||
                (i + 1 < count && Has(wildcard, name.Substring(starts[i + 1]), includePrivate)))
            {
                return count - i;
            }
        }

        return 1;
    }

    private static bool Has(Dictionary<string, bool> rules, string suffix, bool includePrivate) =>
        rules.TryGetValue(suffix, out var isPrivate) && (includePrivate || !isPrivate);

    private static string? ToAscii(IdnMapping idn, string rule)
    {
        if (rule.Length == 0)
        {
            return null;
        }

        var ascii = true;
        foreach (var c in rule)
        {
            if (c > 0x7F)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return rule.ToLowerInvariant();
        }

        try
        {
            return idn.GetAscii(rule).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
