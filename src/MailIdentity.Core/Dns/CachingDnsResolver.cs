using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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

    // ConcurrentDictionary.Count takes every one of its locks; asking it on each miss cost 10-20 us and
    // stalled the other askers (measured by bench/). This approximate count is what the capacity check reads.
    private int _entries;

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
        if (!_cache.TryGetValue(key, out var task))
        {
            if (Volatile.Read(ref _entries) >= Capacity)
            {
                _cache.Clear();
                Interlocked.Exchange(ref _entries, 0);
            }

            var mine = new TaskCompletionSource<DnsAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _cache.GetOrAdd(key, mine.Task);
            if (task == mine.Task)
            {
                Interlocked.Increment(ref _entries);
                // Started only once the entry is in the cache, so that a quick failure can take it out again.
                _ = QueryAndForgetFailuresAsync(key, mine);
            }
        }

        // The shared query must not die with the first asker's token; each asker, first or later, still stops on its own.
        return task.IsCompleted ? task : WithCancellation(task, cancellationToken);
    }

    private async Task QueryAndForgetFailuresAsync((string Name, DnsRecordType Type) key, TaskCompletionSource<DnsAnswer> completion)
    {
        try
        {
            var answer = await _inner.QueryAsync(key.Name, key.Type, CancellationToken.None).ConfigureAwait(false);
            if (answer.Status.IsTemporaryFailure())
            {
                Forget(key, completion.Task);
            }

            completion.TrySetResult(answer);
        }
        catch (Exception ex)
        {
            // A resolver that throws must not leave its exception behind for every later asker.
            Forget(key, completion.Task);
            completion.TrySetException(ex);
        }
    }

    private void Forget((string Name, DnsRecordType Type) key, Task<DnsAnswer> task)
    {
        if (((ICollection<KeyValuePair<(string Name, DnsRecordType Type), Task<DnsAnswer>>>)_cache)
            .Remove(new KeyValuePair<(string Name, DnsRecordType Type), Task<DnsAnswer>>(key, task)))
        {
            Interlocked.Decrement(ref _entries);
        }
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
