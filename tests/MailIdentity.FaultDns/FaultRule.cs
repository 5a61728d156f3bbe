using System;
using System.Globalization;

namespace MailIdentity.FaultDns;

/// <summary>How the server misbehaves for a name.</summary>
public enum FaultKind
{
    /// <summary>Answer SERVFAIL.</summary>
    ServFail,
    /// <summary>Answer REFUSED.</summary>
    Refused,
    /// <summary>Answer NXDOMAIN even when the zone has the name.</summary>
    NxDomain,
    /// <summary>Answer with the response code in <see cref="FaultRule.ResponseCode"/> (FORMERR, NOTIMP, ...).</summary>
    Rcode,
    /// <summary>Never answer (UDP and TCP; a TCP connection is held open without a reply).</summary>
    Drop,
    /// <summary>Answer normally after <see cref="FaultRule.DelayMilliseconds"/>.</summary>
    Slow,
    /// <summary>Over UDP answer with TC=1 and no records; over TCP answer in full.</summary>
    Truncate,
    /// <summary>Over UDP answer with TC=1 and no records; over TCP read the query and never answer (TCP/53 blocked).</summary>
    TruncateTcpDrop,
    /// <summary>Add filler records until the answer exceeds 512 bytes: TC over UDP, in full over TCP.</summary>
    Large,
    /// <summary>Reply with the right ID and a plausible header, but a body that breaks off mid-record.</summary>
    Malformed,
    /// <summary>Reply with the right ID and one answer whose owner name is a compression pointer to itself.</summary>
    PointerLoop,
    /// <summary>Reply with random bytes (often shorter than a DNS header).</summary>
    Garbage,
    /// <summary>Reply with a correct answer under a different transaction ID.</summary>
    WrongId,
    /// <summary>Answer name CNAME partner and partner CNAME name: a loop (partner defaults to loop.&lt;name&gt;).</summary>
    CnameLoop,
    /// <summary>Answer only the name's own CNAME record, without following it (like a server that is not authoritative for the target).</summary>
    CnameOnly,
}

/// <summary>
/// One fault rule, written <c>name=rule</c>: rule is servfail, refused, nxdomain, rcode:&lt;0-15&gt;, drop, slow:&lt;ms&gt;,
/// truncate, truncate-tcp-drop, large, malformed, pointer-loop, garbage, wrong-id, cname-loop[:&lt;partner&gt;] or cname-only. The name is
/// an exact name, <c>*.zone</c> (the zone and every name under it) or <c>*</c> (every name).
/// </summary>
public sealed class FaultRule
{
    /// <summary>The longest delay the slow rule accepts, so a typo cannot park a handler for hours.</summary>
    public const int MaxDelayMilliseconds = 600_000;

    private FaultRule(string pattern, FaultKind kind, int delayMilliseconds, string? partner, int responseCode = 0)
    {
        ResponseCode = responseCode;
        Pattern = pattern;
        Kind = kind;
        DelayMilliseconds = delayMilliseconds;
        Partner = partner;
    }

    /// <summary>The name the rule applies to: exact, "*.zone" or "*".</summary>
    public string Pattern { get; }

    /// <summary>What the server does.</summary>
    public FaultKind Kind { get; }

    /// <summary>For <see cref="FaultKind.Slow"/>: how long to wait before answering.</summary>
    public int DelayMilliseconds { get; }

    /// <summary>For <see cref="FaultKind.Rcode"/>: the response code, 0 to 15.</summary>
    public int ResponseCode { get; }

    /// <summary>For <see cref="FaultKind.CnameLoop"/>: the other name of the loop.</summary>
    public string? Partner { get; }

    /// <summary>Reads <c>name=rule</c>; throws <see cref="FormatException"/> naming the text when it is wrong.</summary>
    public static FaultRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new FormatException($"The fault rule '{text}' is not 'name=rule' (for example mail.example.test=servfail).");
        }

        var pattern = ZoneRecord.NormalizeName(text[..equals]);
        var rule = text[(equals + 1)..].Trim().ToLowerInvariant();
        var colon = rule.IndexOf(':', StringComparison.Ordinal);
        var head = colon < 0 ? rule : rule[..colon];
        var argument = colon < 0 ? null : rule[(colon + 1)..];
        if (pattern.Length == 0 || (pattern.Contains('*', StringComparison.Ordinal) && pattern != "*" && !(pattern.StartsWith("*.", StringComparison.Ordinal) && pattern.LastIndexOf('*') == 0)))
        {
            throw new FormatException($"The fault rule '{text}' names '{text[..equals]}'; give a name, *.zone or *.");
        }

        FaultKind kind = head switch
        {
            "servfail" => FaultKind.ServFail,
            "refused" => FaultKind.Refused,
            "nxdomain" => FaultKind.NxDomain,
            "rcode" => FaultKind.Rcode,
            "drop" => FaultKind.Drop,
            "slow" => FaultKind.Slow,
            "truncate" => FaultKind.Truncate,
            "truncate-tcp-drop" => FaultKind.TruncateTcpDrop,
            "large" => FaultKind.Large,
            "malformed" => FaultKind.Malformed,
            "garbage" => FaultKind.Garbage,
            "pointer-loop" => FaultKind.PointerLoop,
            "wrong-id" => FaultKind.WrongId,
            "cname-loop" => FaultKind.CnameLoop,
            "cname-only" => FaultKind.CnameOnly,
            _ => throw new FormatException(
                $"The fault rule '{text}' has the unknown rule '{head}'; use servfail, refused, nxdomain, rcode:<n>, drop, slow:<ms>, truncate, truncate-tcp-drop, large, malformed, pointer-loop, garbage, wrong-id, cname-loop or cname-only."),
        };

        var delay = 0;
        var code = 0;
        string? partner = null;
        if (kind == FaultKind.Rcode)
        {
            if (argument is null || !int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out code) || code > 15)
            {
                throw new FormatException($"The fault rule '{text}' needs rcode:<0 to 15> (1 FORMERR, 4 NOTIMP, 9 NOTAUTH).");
            }
        }
        else if (kind == FaultKind.Slow)
        {
            if (argument is null || !int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out delay) || delay > MaxDelayMilliseconds)
            {
                throw new FormatException($"The fault rule '{text}' needs slow:<milliseconds>, 0 to {MaxDelayMilliseconds}.");
            }
        }
        else if (kind == FaultKind.CnameLoop)
        {
            if (pattern.StartsWith('*'))
            {
                throw new FormatException($"The fault rule '{text}' needs an exact name: a CNAME loop joins two real names.");
            }

            partner = string.IsNullOrWhiteSpace(argument) ? "loop." + pattern : ZoneRecord.NormalizeName(argument);
            if (partner == pattern || !DnsWire.IsWritableName(partner, out _) || !DnsWire.IsWritableName(pattern, out _))
            {
                throw new FormatException($"The fault rule '{text}' needs two different, valid names for the loop.");
            }
        }
        else if (argument is not null)
        {
            throw new FormatException($"The fault rule '{text}': '{head}' takes no argument.");
        }

        return new FaultRule(pattern, kind, delay, partner, code);
    }

    /// <summary>True when the rule applies to <paramref name="name"/> (lower case, no trailing dot).</summary>
    public bool AppliesTo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Pattern == "*")
        {
            return true;
        }

        if (Pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var zone = Pattern[2..];
            return name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);
        }

        return name == Pattern;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FaultKind.Slow => $"{Pattern}=slow:{DelayMilliseconds.ToString(CultureInfo.InvariantCulture)}",
        FaultKind.Rcode => $"{Pattern}=rcode:{ResponseCode.ToString(CultureInfo.InvariantCulture)}",
        FaultKind.CnameLoop => $"{Pattern}=cname-loop:{Partner}",
        FaultKind.WrongId => $"{Pattern}=wrong-id",
        FaultKind.CnameOnly => $"{Pattern}=cname-only",
        FaultKind.TruncateTcpDrop => $"{Pattern}=truncate-tcp-drop",
        FaultKind.PointerLoop => $"{Pattern}=pointer-loop",
        _ => $"{Pattern}={Kind.ToString().ToLowerInvariant()}",
    };
}
