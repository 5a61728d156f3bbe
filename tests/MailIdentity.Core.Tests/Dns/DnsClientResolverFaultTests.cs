#pragma warning disable CA1861 // Expected values read best inline in a test.

using System;
using System.Linq;
using System.Threading.Tasks;
using MailIdentity.Dns;
using Xunit;
using Xunit.Abstractions;

namespace MailIdentity.Core.Tests.Dns;

public sealed class DnsClientResolverFaultTests
{
    private static readonly string[] Zone =
    {
        "mail.fault.test A 127.0.0.10",
        "mail.fault.test AAAA ::1",
        "fault.test MX 10 mail.fault.test",
        "10.0.0.127.in-addr.arpa PTR mail.fault.test",
        "alias.fault.test CNAME mail.fault.test",
    };

    private readonly ITestOutputHelper _output;

    public DnsClientResolverFaultTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("servfail", DnsLookupStatus.ServerFailure)]
    [InlineData("refused", DnsLookupStatus.Refused)]
    [InlineData("nxdomain", DnsLookupStatus.NotFound)]
    [InlineData("rcode:1", DnsLookupStatus.Error)]
    [InlineData("rcode:4", DnsLookupStatus.Error)]
    [InlineData("rcode:9", DnsLookupStatus.Error)]
    [InlineData("drop", DnsLookupStatus.Timeout)]
    [InlineData("slow:4000", DnsLookupStatus.Timeout)]
    [InlineData("slow:100", DnsLookupStatus.Found)]
    [InlineData("truncate", DnsLookupStatus.Found)]
    [InlineData("large", DnsLookupStatus.Found)]
    [InlineData("malformed", DnsLookupStatus.Error)]
    [InlineData("pointer-loop", DnsLookupStatus.Error)]
    [InlineData("garbage", DnsLookupStatus.Error)]
    [InlineData("wrong-id", DnsLookupStatus.Error)]
    [InlineData("cname-loop", DnsLookupStatus.Error)]
    [InlineData("truncate-tcp-drop", DnsLookupStatus.Timeout)]
    public async Task Each_fault_maps_to_its_status_within_the_timeout(string fault, DnsLookupStatus expected)
    {
        await using var server = await FaultServer.StartAsync(Zone, $"mail.fault.test={fault}");
        var timeout = FaultServer.TimeoutFor(fault);
        var resolver = FaultServer.Resolver(server, timeout);

        var (answer, elapsed) = await FaultServer.TimeAsync(() => resolver.QueryAsync("mail.fault.test", DnsRecordType.A, FaultServer.Guard()));

        _output.WriteLine($"{fault}: {answer.Status} in {elapsed.TotalMilliseconds:0} ms, {server.UdpQueryCount} udp/{server.TcpQueryCount} tcp: {answer.ErrorMessage}");
        Assert.Equal(expected, answer.Status);
        Assert.True(elapsed < timeout + FaultServer.Margin, $"{fault} took {elapsed}");
        Assert.True(server.QueryCount > 0);
    }

    [Fact]
    public async Task Truncated_udp_answer_is_asked_again_over_tcp()
    {
        await using var server = await FaultServer.StartAsync(Zone, "mail.fault.test=truncate");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));

        var answer = await resolver.QueryAsync("mail.fault.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.Equal(new[] { "127.0.0.10" }, answer.Values);
        Assert.True(server.UdpQueryCount >= 1, "asked over UDP first");
        Assert.True(server.TcpQueryCount >= 1, "then over TCP");
    }

    [Theory]
    [InlineData(DnsRecordType.A, "127.0.0.10")]
    [InlineData(DnsRecordType.AAAA, "::1")]
    [InlineData(DnsRecordType.MX, "mail.fault.test")]
    public async Task Answer_larger_than_512_bytes_arrives_whole_over_tcp(DnsRecordType type, string real)
    {
        await using var server = await FaultServer.StartAsync(Zone, "mail.fault.test=large", "fault.test=large");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));
        var name = type == DnsRecordType.MX ? "fault.test" : "mail.fault.test";

        var answer = await resolver.QueryAsync(name, type, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.Contains(real, answer.Values);
        Assert.True(answer.Records.Count > 20, $"only {answer.Records.Count} records");
        Assert.Equal(answer.Records.Count, answer.Values.Distinct().Count());
        Assert.True(server.TcpQueryCount >= 1);
    }

    [Fact]
    public async Task Truncated_answer_without_tcp_fallback_is_a_failure_not_an_empty_answer()
    {
        // A TC answer holds no records; reading it as "no such record" would turn a transport limit into
        // a definite finding (FCrDNS NotConfirmed instead of Inconclusive).
        await using var server = await FaultServer.StartAsync(Zone, "mail.fault.test=truncate");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(1), tcpFallback: false);

        var answer = await resolver.QueryAsync("mail.fault.test", DnsRecordType.A, FaultServer.Guard());

        Assert.True(answer.Status.IsTemporaryFailure(), $"status {answer.Status}");
        Assert.Equal(0, server.TcpQueryCount);
    }

    [Fact]
    public async Task Dropped_queries_are_retried_and_still_end_within_the_timeout()
    {
        await using var server = await FaultServer.StartAsync(Zone, "*=drop");
        var timeout = TimeSpan.FromSeconds(1.5);
        var resolver = FaultServer.Resolver(server, timeout, retries: 2);

        var (answer, elapsed) = await FaultServer.TimeAsync(() => resolver.QueryAsync("mail.fault.test", DnsRecordType.A, FaultServer.Guard()));

        Assert.Equal(DnsLookupStatus.Timeout, answer.Status);
        Assert.Contains("mail.fault.test", answer.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.ErrorMessage, StringComparison.Ordinal);
        Assert.True(elapsed < timeout + FaultServer.Margin, $"took {elapsed}");
        Assert.True(server.QueryCount >= 2, $"only {server.QueryCount} queries: the retries were not sent");
    }

    [Fact]
    public async Task Answer_just_inside_the_timeout_is_found()
    {
        await using var server = await FaultServer.StartAsync(Zone, "mail.fault.test=slow:300");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));

        var answer = await resolver.QueryAsync("mail.fault.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.True(answer.Duration >= TimeSpan.FromMilliseconds(250), $"duration {answer.Duration}");
    }

    [Fact]
    public async Task Normal_answers_found_nodata_and_nxdomain()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));
        var token = FaultServer.Guard();

        var found = await resolver.QueryAsync("MAIL.Fault.Test.", DnsRecordType.A, token);
        var mx = await resolver.QueryAsync("fault.test", DnsRecordType.MX, token);
        var noData = await resolver.QueryAsync("mail.fault.test", DnsRecordType.MX, token);
        var missing = await resolver.QueryAsync("nope.fault.test", DnsRecordType.A, token);

        Assert.Equal(DnsLookupStatus.Found, found.Status);
        Assert.Equal("mail.fault.test", found.Question);
        Assert.Equal(300, found.MinimumTimeToLive);
        Assert.Equal(FaultDns.FaultDnsServer.Format(server.EndPoint), found.Server);
        Assert.Equal(DnsLookupStatus.Found, mx.Status);
        Assert.Equal(10, mx.Records.Single().Preference);
        Assert.Equal("mail.fault.test", mx.Values.Single());
        Assert.Equal(DnsLookupStatus.NoData, noData.Status);
        Assert.Null(noData.ErrorMessage);
        Assert.Equal(DnsLookupStatus.NotFound, missing.Status);
        Assert.Null(missing.ErrorMessage);
    }

    [Fact]
    public async Task Cname_inside_one_answer_is_followed()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));

        var answer = await resolver.QueryAsync("alias.fault.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.Equal(new[] { "mail.fault.test" }, answer.CnameChain);
        Assert.Equal(new[] { "127.0.0.10" }, answer.Values);
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Cname_the_server_does_not_follow_is_asked_for_separately()
    {
        await using var server = await FaultServer.StartAsync(Zone, "alias.fault.test=cname-only");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));

        var answer = await resolver.QueryAsync("alias.fault.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.Equal(new[] { "mail.fault.test" }, answer.CnameChain);
        Assert.Equal(new[] { "127.0.0.10" }, answer.Values);
        Assert.Equal(2, server.QueryCount);
    }

    [Fact]
    public async Task Cname_loop_across_queries_is_an_error_after_a_bounded_number_of_queries()
    {
        await using var server = await FaultServer.StartAsync(
            new[] { "a.loop.test CNAME b.loop.test", "b.loop.test CNAME a.loop.test" }, "*.loop.test=cname-only");
        var timeout = TimeSpan.FromSeconds(3);
        var resolver = FaultServer.Resolver(server, timeout);

        var (answer, elapsed) = await FaultServer.TimeAsync(() => resolver.QueryAsync("a.loop.test", DnsRecordType.PTR, FaultServer.Guard()));

        Assert.Equal(DnsLookupStatus.Error, answer.Status);
        Assert.Contains("loop", answer.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "b.loop.test", "a.loop.test" }, answer.CnameChain);
        Assert.True(server.QueryCount <= 3, $"{server.QueryCount} queries for a two-name loop");
        Assert.True(elapsed < timeout, $"took {elapsed}");
    }

    [Fact]
    public async Task Cname_chain_longer_than_the_hop_limit_is_an_error()
    {
        var zone = Enumerable.Range(0, 12).Select(i => $"h{i}.chain.test CNAME h{i + 1}.chain.test").Append("h12.chain.test A 127.0.0.12");
        await using var server = await FaultServer.StartAsync(zone, "*.chain.test=cname-only");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(3));

        var answer = await resolver.QueryAsync("h0.chain.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.Error, answer.Status);
        Assert.True(server.QueryCount <= 10, $"{server.QueryCount} queries");
    }

    [Fact]
    public async Task Cancellation_ends_a_lookup_against_a_silent_server_promptly()
    {
        await using var server = await FaultServer.StartAsync(Zone, "*=drop");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(20), retries: 3);
        using var cancel = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.QueryAsync("mail.fault.test", DnsRecordType.A, cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Already_cancelled_token_throws_instead_of_reporting_a_timeout()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => resolver.QueryAsync("mail.fault.test", DnsRecordType.A, new System.Threading.CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Each_garbage_reply_is_an_error_never_an_exception()
    {
        // Garbage is random: ask several times so different shapes (short, long, header-like) are seen.
        await using var server = await FaultServer.StartAsync(Zone, "*=garbage");
        var resolver = FaultServer.Resolver(server, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 25; i++)
        {
            var answer = await resolver.QueryAsync($"n{i}.fault.test", DnsRecordType.A, FaultServer.Guard());
            Assert.True(answer.Status is DnsLookupStatus.Error or DnsLookupStatus.Timeout, $"{i}: {answer.Status}");
            Assert.False(string.IsNullOrEmpty(answer.ErrorMessage));
        }
    }
}
