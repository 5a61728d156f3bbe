using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.Dns;

/// <summary>
/// Shares answers within one run: bulk checks ask for the same MX and host names again and again.
/// Concurrent askers of the same question share one query. Temporary failures are not kept, so a later
/// row asks again. The cache is cleared when it reaches <see cref="Capacity"/>, so memory stays bounded.
/// </summary>
public sealed class CachingDnsResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Task<DnsAnswer>> _cache = new();

    // ConcurrentDictionary.Count takes every one of its locks (up to 1024 as the table grows); asking it on
    // each miss cost 10-20 us and stalled the other askers. This approximate count (exact unless two askers
    // race on the same new key) is what the capacity check reads.
    private int _entries;

    /// <param name="inner">The resolver that asks the network.</param>
    /// <param name="capacity">
    /// The most answers kept before the cache is cleared. 10,000 answers (~0.9 KiB each) keep the repeated
    /// MX and host names of a bulk run; the PTR and A answers of distinct addresses are rarely asked twice.
    /// </param>
    public CachingDnsResolver(IDnsResolver inner, int capacity = 10_000)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Capacity = capacity;
    }

    /// <summary>The most answers kept at once.</summary>
    public int Capacity { get; }

    /// <summary>How many answers are kept now.</summary>
    public int Count => _cache.Count;

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var key = (Text.HostName.Normalize(name), type);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (Volatile.Read(ref _entries) >= Capacity)
        {
            _cache.Clear();
            Interlocked.Exchange(ref _entries, 0);
        }

        // The shared query must not die with the first asker's token; each asker still stops on its own.
        var task = _cache.GetOrAdd(key, k =>
        {
            Interlocked.Increment(ref _entries);
            return QueryAndForgetFailuresAsync(k);
        });
        return task.IsCompleted ? task : WithCancellation(task, cancellationToken);
    }

    private async Task<DnsAnswer> QueryAndForgetFailuresAsync((string Name, DnsRecordType Type) key)
    {
        var answer = await _inner.QueryAsync(key.Name, key.Type, CancellationToken.None).ConfigureAwait(false);
        if (answer.Status.IsTemporaryFailure() && _cache.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _entries);
        }

        return answer;
    }

    private static async Task<DnsAnswer> WithCancellation(Task<DnsAnswer> task, CancellationToken token)
    {
        if (!token.CanBeCanceled)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                token.ThrowIfCancellationRequested();
            }
        }

        return await task.ConfigureAwait(false);
    }
}
