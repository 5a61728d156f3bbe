using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailIdentity.Dns;
using Xunit;
using Xunit.Abstractions;

namespace MailIdentity.Core.Tests.Dns;

/// <summary>Runs alone: it counts the process's open files, which other tests' sockets would disturb.</summary>
[CollectionDefinition(nameof(SocketCountCollection), DisableParallelization = true)]
public sealed class SocketCountCollection
{
}

[Collection(nameof(SocketCountCollection))]
public sealed class SocketLeakTests
{
    private static readonly string[] Zone = { "mail.leak.test A 127.0.0.10", "10.0.0.127.in-addr.arpa PTR mail.leak.test" };
    private readonly ITestOutputHelper _output;

    public SocketLeakTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("*=drop")]
    [InlineData("*=truncate-tcp-drop")]
    [InlineData("*=garbage")]
    public async Task Many_concurrent_lookups_against_a_failing_server_leave_no_sockets_open(string fault)
    {
        await using var server = await FaultServer.StartAsync(Zone, fault);
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(1), retries: 1);
        var check = new ForwardConfirmation(resolver);

        // Warm up: DnsClient, the thread pool and the socket engine open a few long-lived handles once.
        await resolver.QueryAsync("warm.leak.test", DnsRecordType.A, FaultServer.Guard());
        var before = await SettledHandleCountAsync(-1);

        var watch = Stopwatch.StartNew();
        var lookups = Enumerable.Range(0, 100).Select(i => resolver.QueryAsync($"n{i}.leak.test", DnsRecordType.A, FaultServer.Guard())).ToArray();
        var checks = Enumerable.Range(0, 50).Select(i => check.CheckAsync(IPAddress.Parse("127.0.0.10"), FaultServer.Guard())).ToArray();
        var answers = await Task.WhenAll(lookups);
        var results = await Task.WhenAll(checks);
        _output.WriteLine($"{fault}: 150 lookups in {watch.Elapsed.TotalMilliseconds:0} ms; {server.UdpQueryCount} udp, {server.TcpQueryCount} tcp queries");

        Assert.All(answers, a => Assert.True(a.Status.IsTemporaryFailure(), a.Status.ToString()));
        Assert.All(results, r => Assert.Equal(ForwardConfirmationStatus.Inconclusive, r.Status));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");

        var after = await SettledHandleCountAsync(before);
        _output.WriteLine($"open handles before {before}, after {after}; server holds {server.OpenTcpConnections} tcp connections");
        Assert.True(after <= before + 4, $"{after - before} more open handles than before: sockets leaked");
        await WaitForAsync(() => server.OpenTcpConnections == 0);
        Assert.Equal(0, server.OpenTcpConnections);
    }

    /// <summary>Open file descriptors on Linux (sockets are files); the handle count elsewhere.</summary>
    private static int HandleCount()
    {
        if (Directory.Exists("/proc/self/fd"))
        {
            return Directory.GetFiles("/proc/self/fd").Length;
        }

        using var process = Process.GetCurrentProcess();
        return process.HandleCount;
    }

    private static async Task<int> SettledHandleCountAsync(int target)
    {
        // Closing is asynchronous in places (a timed-out TCP connect, the finalizer thread): allow a moment,
        // but no garbage collection: a socket only closed by a finalizer is a leak for a long bulk run.
        var count = HandleCount();
        for (var i = 0; i < 20 && (target < 0 || count > target); i++)
        {
            await Task.Delay(100);
            var next = HandleCount();
            if (target < 0 && next == count)
            {
                break;
            }

            count = next;
        }

        return count;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
