using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.FaultDns;

namespace MailIdentity.Core.Tests.Dns;

/// <summary>Starts fault servers and resolvers aimed at them, loopback only.</summary>
internal static class FaultServer
{
    /// <summary>The slack allowed over a configured timeout: the machine is shared and slow at times.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The timeout for a test: short where the fault makes the lookup wait it out, roomy where an answer is
    /// expected, so that a busy machine does not turn a correct answer into a timeout.
    /// </summary>
    public static TimeSpan TimeoutFor(params string[] faults) =>
        Array.Exists(faults, f => f.Contains("drop", StringComparison.Ordinal) || SlowMilliseconds(f) >= 1000)
            ? TimeSpan.FromSeconds(1)
            : TimeSpan.FromSeconds(4);

    private static int SlowMilliseconds(string fault)
    {
        var at = fault.IndexOf("slow:", StringComparison.Ordinal);
        return at >= 0 && int.TryParse(fault.AsSpan(at + 5), out var ms) ? ms : 0;
    }

    public static Task<FaultDnsServer> StartAsync(IEnumerable<string> zone, params string[] faults) =>
        FaultDnsServer.StartAsync(IPAddress.Loopback, 0, zone, faults);

    public static DnsClientResolver Resolver(FaultDnsServer server, TimeSpan timeout, int retries = 0, bool tcpFallback = true) =>
        new(new DnsResolverOptions
        {
            Servers = new[] { server.EndPoint },
            Timeout = timeout,
            Retries = retries,
            UseTcpFallback = tcpFallback,
        });

    public static async Task<(T Result, TimeSpan Elapsed)> TimeAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        return (result, watch.Elapsed);
    }

    /// <summary>A token that ends a test that would otherwise hang, long after any configured timeout.</summary>
    public static CancellationToken Guard(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
