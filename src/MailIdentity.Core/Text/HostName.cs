using System;
using System.Globalization;
using System.Net;

namespace MailIdentity.Text;

/// <summary>Host-name normalisation and shape checks. Never throws on any input.</summary>
public static class HostName
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    /// <summary>The longest host name DNS can carry (RFC 1035), without the trailing dot.</summary>
    public const int MaxLength = 253;

    /// <summary>
    /// Lower case, no trailing dot, IDN labels in their ASCII (xn--) form. Returns an empty string for
    /// null or blank input; text that is not a valid name comes back lower-cased and trimmed.
    /// </summary>
    public static string Normalize(string? name)
    {
        if (name is null)
        {
            return string.Empty;
        }

        var value = WithoutRootDot(name.Trim());
        if (value.Length == 0)
        {
            return string.Empty;
        }

        if (!IsAscii(value))
        {
            try
            {
                // IDN maps the ideographic full stops (U+3002 ...) to '.', so a root dot can appear only now.
                value = WithoutRootDot(Idn.GetAscii(value));
            }
            catch (ArgumentException)
            {
                // Not a valid IDN: keep it as it is; the shape checks will call it invalid.
            }
        }

        return value.ToLowerInvariant();
    }

    /// <summary>
    /// Drops the one root dot of "name." — but not from "name.." or "name. .", which are invalid and must
    /// stay so (and stay the same when normalised again).
    /// </summary>
    private static string WithoutRootDot(string value)
    {
        if (!value.EndsWith(".", StringComparison.Ordinal))
        {
            return value;
        }

        var rest = value.Substring(0, value.Length - 1);
        return rest.Length > 0 && (rest[rest.Length - 1] == '.' || char.IsWhiteSpace(rest[rest.Length - 1])) ? value : rest;
    }

    /// <summary>True when both names are the same host (case-insensitive, trailing dot ignored, IDN folded).</summary>
    public static bool AreSame(string? left, string? right)
    {
        var a = Normalize(left);
        return a.Length > 0 && string.Equals(a, Normalize(right), StringComparison.Ordinal);
    }

    /// <summary>
    /// True when <paramref name="name"/> is a fully-qualified host name: two or more LDH labels of 1 to
    /// 63 characters, 253 in all, and a top-level label that is not all digits (so not an IP address).
    /// </summary>
    public static bool IsFqdn(string? name)
    {
        var value = Normalize(name);
        if (value.Length == 0 || value.Length > MaxLength || IPAddress.TryParse(value, out _))
        {
            return false;
        }

        var labels = value.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (!IsLdhLabel(label))
            {
                return false;
            }
        }

        var top = labels[labels.Length - 1];
        foreach (var c in top)
        {
            if (c < '0' || c > '9')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="name"/> is usable as a DNS name: LDH labels (IDN folded to xn--), 253
    /// characters at most, one label allowed. With <paramref name="allowUnderscore"/>, underscores count as
    /// letters (real MX and service names carry them).
    /// </summary>
    public static bool IsValidName(string? name, bool allowUnderscore = false)
    {
        var value = Normalize(name);
        if (value.Length == 0 || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var label in value.Split('.'))
        {
            if (!IsLdhLabel(allowUnderscore ? label.Replace('_', 'a') : label))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for a label of letters, digits and inner hyphens, 1 to 63 characters (RFC 1123).</summary>
    public static bool IsLdhLabel(string label)
    {
        if (label is null || label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAscii(string value)
    {
        foreach (var c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
