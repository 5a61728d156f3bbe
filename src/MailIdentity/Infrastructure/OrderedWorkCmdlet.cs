using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.Commands.Infrastructure;

/// <summary>
/// Runs one piece of network work per input on the thread pool, at most <see cref="Throttle"/> at once,
/// while input is still arriving, and writes the results in input order. Only the pipeline thread calls
/// Write*: workers hand their verbose lines over a queue. StopProcessing (Ctrl+C) cancels every worker.
/// </summary>
public abstract class OrderedWorkCmdlet : PSCmdlet, IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Queue<Task<IReadOnlyList<object>>> _pending = new();
    private readonly ConcurrentQueue<string> _verbose = new();
    private readonly Stopwatch _progressClock = Stopwatch.StartNew();
    private SemaphoreSlim? _slots;
    private int _submitted;
    private int _written;
    private bool _disposed;

    /// <summary>How many inputs are worked on at once.</summary>
    protected abstract int Throttle { get; }

    /// <summary>The Write-Progress activity; null for none.</summary>
    protected virtual string? ProgressActivity => null;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Queues a verbose line from any thread; the pipeline thread writes it.</summary>
    protected void QueueVerbose(string message) => _verbose.Enqueue(message);

    /// <summary>Queues an already-known output (a result or an ErrorRecord) in input order.</summary>
    protected void SubmitCompleted(object output)
    {
        _submitted++;
        _pending.Enqueue(Task.FromResult<IReadOnlyList<object>>(new[] { output }));
        WriteReady(block: false);
    }

    /// <summary>
    /// Starts <paramref name="work"/> for one input. Its outputs (results and ErrorRecords) are written in
    /// input order. An unexpected exception becomes an ErrorRecord naming <paramref name="target"/>.
    /// </summary>
    protected void Submit(object target, Func<CancellationToken, Task<IReadOnlyList<object>>> work)
    {
        _slots ??= new SemaphoreSlim(Math.Max(1, Throttle));
        while (!_slots.Wait(PollInterval))
        {
            WriteReady(block: false);
        }

        ThrowIfStopping();
        _submitted++;
        var token = _stopping.Token;
        var slots = _slots;
        _pending.Enqueue(Task.Run(async () =>
        {
            try
            {
                return await work(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return (IReadOnlyList<object>)Array.Empty<object>();
            }
            catch (Exception ex)
            {
                return new object[] { Errors.Unexpected(ex, target) };
            }
            finally
            {
                slots.Release();
            }
        }));

        // Finished results wait for the slow one ahead of them; bound how many may wait.
        WriteReady(block: _pending.Count > Math.Max(16, Throttle * 4));
    }

    protected override void EndProcessing()
    {
        while (_pending.Count > 0)
        {
            WriteReady(block: true);
        }

        FlushVerbose();
        if (ProgressActivity is not null && _submitted > 0)
        {
            WriteProgress(new ProgressRecord(1, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Writes every finished output at the head of the queue; with block, waits for the head first.</summary>
    private void WriteReady(bool block)
    {
        FlushVerbose();
        while (_pending.Count > 0)
        {
            var head = _pending.Peek();
            if (!head.IsCompleted)
            {
                if (!block)
                {
                    return;
                }

                while (!head.Wait(PollInterval))
                {
                    FlushVerbose();
                    ThrowIfStopping();
                }
            }

            block = false;
            _pending.Dequeue();
            FlushVerbose();
            ThrowIfStopping();
            foreach (var output in head.Result)
            {
                if (output is ErrorRecord error)
                {
                    WriteError(error);
                }
                else
                {
                    WriteObject(output);
                }
            }

            _written++;
            ReportProgress();
        }
    }

    private void ReportProgress()
    {
        if (ProgressActivity is null || _progressClock.ElapsedMilliseconds < 250)
        {
            return;
        }

        _progressClock.Restart();
        var status = $"{_written} of {_submitted} inputs checked so far";
        WriteProgress(new ProgressRecord(1, ProgressActivity, status));
    }

    private void FlushVerbose()
    {
        while (_verbose.TryDequeue(out var line))
        {
            WriteVerbose(line);
        }
    }

    private void ThrowIfStopping()
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _stopping.Cancel();
            _stopping.Dispose();
            _slots?.Dispose();
        }
    }
}
