using System;
using System.Collections.Generic;
using System.Net;

namespace MailIdentity.Dns;

/// <summary>How the resolver talks to DNS.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>The servers to ask, in order; empty means the system's configured resolvers.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; set; } = Array.Empty<IPEndPoint>();

    /// <summary>The bound on one lookup, retries and CNAME hops included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a query that got no answer is sent again.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Ask again over TCP when a UDP answer comes back truncated.</summary>
    public bool UseTcpFallback { get; set; } = true;
}
