using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Dns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

public sealed class CachingDnsResolverTests
{
    private static readonly string[] Zone =
    {
        "mail.cache.test A 127.0.0.10",
        "slow.cache.test A 127.0.0.11",
        "bad.cache.test A 127.0.0.12",
    };

    [Fact]
    public async Task Same_question_is_asked_once_whatever_its_spelling()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(2)));

        var first = await cache.QueryAsync("mail.cache.test", DnsRecordType.A, FaultServer.Guard());
        var second = await cache.QueryAsync("MAIL.Cache.Test.", DnsRecordType.A, FaultServer.Guard());
        var other = await cache.QueryAsync("mail.cache.test", DnsRecordType.AAAA, FaultServer.Guard());

        Assert.Same(first, second);
        Assert.Equal(DnsLookupStatus.Found, first.Status);
        Assert.Equal(DnsLookupStatus.NoData, other.Status);
        Assert.Equal(2, server.QueryCount);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Definite_absence_is_kept()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(2)));

        await cache.QueryAsync("nope.cache.test", DnsRecordType.A, FaultServer.Guard());
        var again = await cache.QueryAsync("nope.cache.test", DnsRecordType.A, FaultServer.Guard());

        Assert.Equal(DnsLookupStatus.NotFound, again.Status);
        Assert.Equal(1, server.QueryCount);
    }

    [Theory]
    [InlineData("servfail")]
    [InlineData("refused")]
    [InlineData("drop")]
    [InlineData("malformed")]
    [InlineData("wrong-id")]
    public async Task Temporary_failure_is_not_kept_so_the_next_row_asks_again(string fault)
    {
        await using var server = await FaultServer.StartAsync(Zone, $"bad.cache.test={fault}");
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(0.5)));

        var first = await cache.QueryAsync("bad.cache.test", DnsRecordType.A, FaultServer.Guard());
        var before = server.QueryCount;
        var second = await cache.QueryAsync("bad.cache.test", DnsRecordType.A, FaultServer.Guard());

        Assert.True(first.Status.IsTemporaryFailure());
        Assert.True(second.Status.IsTemporaryFailure());
        Assert.True(server.QueryCount > before, "the second ask did not reach the server");
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Concurrent_askers_share_one_query()
    {
        await using var server = await FaultServer.StartAsync(Zone, "slow.cache.test=slow:300");
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(3)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => cache.QueryAsync("slow.cache.test", DnsRecordType.A, FaultServer.Guard())));

        Assert.All(answers, a => Assert.Equal(DnsLookupStatus.Found, a.Status));
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task One_askers_cancellation_does_not_cancel_the_shared_query()
    {
        await using var server = await FaultServer.StartAsync(Zone, "slow.cache.test=slow:500");
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(3)));
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var cancelled = cache.QueryAsync("slow.cache.test", DnsRecordType.A, impatient.Token);
        var patient = cache.QueryAsync("slow.cache.test", DnsRecordType.A, FaultServer.Guard());

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(450), $"the cancelled asker waited {watch.Elapsed}");
        Assert.Equal(DnsLookupStatus.Found, (await patient).Status);
        Assert.Equal(1, server.QueryCount);
    }

    [Fact]
    public async Task Cache_never_grows_past_its_capacity()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(2)), capacity: 3);

        for (var i = 0; i < 10; i++)
        {
            await cache.QueryAsync($"n{i}.cache.test", DnsRecordType.A, FaultServer.Guard());
            Assert.InRange(cache.Count, 1, 3);
        }
    }

    [Fact]
    public async Task Resolver_that_throws_is_not_remembered_as_a_thrown_answer()
    {
        // An IDnsResolver should never throw for DNS failures, but if one does the failure must not be
        // cached: every later row would get the same exception without asking again.
        var inner = new ThrowOnceResolver();
        var cache = new CachingDnsResolver(inner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.QueryAsync("x.cache.test", DnsRecordType.A, CancellationToken.None));
        var answer = await cache.QueryAsync("x.cache.test", DnsRecordType.A, CancellationToken.None);

        Assert.Equal(DnsLookupStatus.Found, answer.Status);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Failure_that_comes_back_at_once_is_not_kept()
    {
        // An inner resolver that answers synchronously (another cache, a fake) used to complete before
        // its task entered the cache, so the "forget failures" step found nothing and SERVFAIL stuck.
        var inner = new ImmediateResolver(DnsLookupStatus.ServerFailure);
        var cache = new CachingDnsResolver(inner);

        await cache.QueryAsync("x.cache.test", DnsRecordType.A, CancellationToken.None);
        await cache.QueryAsync("x.cache.test", DnsRecordType.A, CancellationToken.None);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Later_asker_of_a_pending_query_can_cancel_too()
    {
        await using var server = await FaultServer.StartAsync(Zone, "slow.cache.test=slow:1500");
        var cache = new CachingDnsResolver(FaultServer.Resolver(server, TimeSpan.FromSeconds(3)));
        var first = cache.QueryAsync("slow.cache.test", DnsRecordType.A, FaultServer.Guard());
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.QueryAsync("slow.cache.test", DnsRecordType.A, impatient.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(1000), $"the later asker waited {watch.Elapsed}");
        Assert.Equal(DnsLookupStatus.Found, (await first).Status);
    }

    [Fact]
    public void Null_inner_resolver_is_rejected_by_name() =>
        Assert.Equal("inner", Assert.Throws<ArgumentNullException>(() => new CachingDnsResolver(null!)).ParamName);

    private sealed class ImmediateResolver : IDnsResolver
    {
        private readonly DnsLookupStatus _status;
        private int _calls;

        public ImmediateResolver(DnsLookupStatus status) => _status = status;

        public int Calls => _calls;

        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(DnsAnswer.Failed(name, type.ToString(), _status, null, TimeSpan.Zero, "test failure"));
        }
    }

    private sealed class ThrowOnceResolver : IDnsResolver
    {
        private int _calls;

        public int Calls => _calls;

        public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new InvalidOperationException("first call fails");
            }

            return new DnsAnswer(name, type.ToString(), DnsLookupStatus.Found,
                new[] { new DnsRecordData(name, "A", "127.0.0.1", 60) }, Array.Empty<string>(), null, TimeSpan.Zero, null);
        }
    }
}
