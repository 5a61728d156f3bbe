using System;
using System.Collections.Generic;
using System.Net;

namespace MailIdentity.Dns;

/// <summary>What the reverse DNS says about one IP address (the output of Get-PtrRecord).</summary>
public sealed class PtrLookupResult
{
    internal PtrLookupResult(IPAddress address, string reverseName, DnsAnswer answer, IReadOnlyList<string> hostnames)
    {
        IPAddress = address;
        ReverseName = reverseName;
        Answer = answer;
        Hostnames = hostnames;
    }

    /// <summary>The address looked up.</summary>
    public IPAddress IPAddress { get; }

    /// <summary>The name asked for: d.c.b.a.in-addr.arpa or the ip6.arpa nibbles.</summary>
    public string ReverseName { get; }

    /// <summary>Every PTR name, lower case, without the trailing dot, sorted.</summary>
    public IReadOnlyList<string> Hostnames { get; }

    /// <summary>The first PTR name, or null when there is none.</summary>
    public string? Hostname => Hostnames.Count > 0 ? Hostnames[0] : null;

    /// <summary>Found, NotFound (NXDOMAIN), NoData, ServerFailure, Refused, Timeout or Error.</summary>
    public DnsLookupStatus Status => Answer.Status;

    /// <summary>True when the lookup failed temporarily and says nothing certain about the PTR.</summary>
    public bool IsTemporaryFailure => Answer.Status.IsTemporaryFailure();

    /// <summary>The CNAME hops followed to reach the PTR (RFC 2317 classless delegation), else empty.</summary>
    public IReadOnlyList<string> CnameChain => Answer.CnameChain;

    /// <summary>The name that holds the PTR records when reached through a CNAME; null otherwise.</summary>
    public string? CanonicalName => Answer.CnameChain.Count > 0 ? Answer.CnameChain[Answer.CnameChain.Count - 1] : null;

    /// <summary>The smallest TTL of the PTR records, in seconds.</summary>
    public int? TimeToLive => Answer.MinimumTimeToLive;

    /// <summary>The DNS server that answered, as ip:port.</summary>
    public string? Server => Answer.Server;

    public TimeSpan Duration => Answer.Duration;

    /// <summary>What went wrong when the lookup failed; null otherwise.</summary>
    public string? ErrorMessage => Answer.ErrorMessage;

    /// <summary>The full DNS answer.</summary>
    public DnsAnswer Answer { get; }

    public override string ToString() => Hostnames.Count > 0 ? string.Join(", ", Hostnames) : Status.ToString();
}
