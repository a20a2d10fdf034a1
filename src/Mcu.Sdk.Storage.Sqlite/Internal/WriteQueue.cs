using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>
/// The single writer with group commit: every write of the store is queued here, and one thread runs them. It opens a
/// transaction, runs the queued writes as they come, commits once — one fsync for the whole batch — and only then
/// completes each caller's task. A batch takes as many writes as the previous commit released plus those that queued
/// meanwhile (waiting for them at most the commit delay), so concurrent callers share one commit and throughput does not
/// collapse under concurrency; a lone caller never waits.
/// </summary>
/// <remarks>
/// A write that fails before changing a row (a version conflict, a lost lease, an unknown id) fails alone; an idempotency
/// hit is not a failure. A write that fails after changing rows (a duplicate outbox id, a constraint, a trigger) rolls the
/// transaction back and the batch runs again without it, so it fails alone too and nothing of it is stored. When SQLite
/// abandons the transaction by itself (disk full, I/O error) or the commit fails, every write of the batch fails and
/// nothing of it is stored.
/// </remarks>
internal sealed class WriteQueue
{
    private static readonly Meter Meter = new("Mcu.Sdk", typeof(WriteQueue).Assembly.GetName().Version?.ToString());
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("mcu.store.batch_size", "{write}", "Writes committed together in one SQLite transaction (group commit).");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("mcu.store.commit.duration", "ms", "Time to run and commit one batch of writes, fsync included.");
    private static readonly Counter<long> FailedBatches = Meter.CreateCounter<long>("mcu.store.batch.failures", "{batch}", "Batches whose transaction failed as a whole.");

    /// <summary>How many rounds the writer spins for the next write before it blocks (see <see cref="SpinForWrites"/>).</summary>
    private const int SpinRounds = 100;

    /// <summary>How long a <see cref="BatchCompletion"/> waits for its commit before it leaves the completion to the writer: 2 ms.</summary>
    private static readonly long CompletionSpinTicks = Stopwatch.Frequency / 500;

    private readonly object _gate = new();
    private readonly Queue<WriteRequest> _pending = new();
    private readonly WriteSession _session;
    private readonly Checkpointer _checkpointer;
    private readonly int _maxBatch;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KeyValuePair<string, object?> _storeTag;
    private readonly long _maxDelayTicks;
    private bool _closed;
    private long _commits;
    private int _expected;

    // The queue length, readable without the gate: the writer spins on it briefly before it blocks.
    private int _pendingCount;

    public WriteQueue(WriteSession session, Checkpointer checkpointer, int maxBatch, TimeSpan maxCommitDelay, string dataSource)
    {
        _session = session;
        _checkpointer = checkpointer;
        _maxBatch = maxBatch;
        _maxDelayTicks = (long)(maxCommitDelay.TotalSeconds * Stopwatch.Frequency);
        _storeTag = new KeyValuePair<string, object?>("store", "sqlite");
        _thread = new Thread(Loop) { IsBackground = true, Name = "Mcu.Sdk SQLite writer (" + Path.GetFileName(dataSource) + ")" };
        _thread.Start();
    }

    /// <summary>Gets the number of batches committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Gets the number of writes waiting for the writer thread.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Queues a write.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="request">The write.</param>
    /// <returns>A task that completes after the write's transaction committed.</returns>
    /// <exception cref="ObjectDisposedException">The store is closing.</exception>
    public Task<T> Enqueue<T>(WriteRequest<T> request)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(SqliteAppealStore));
            _pending.Enqueue(request);
            Volatile.Write(ref _pendingCount, _pending.Count);
            if (_pending.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        return request.Task;
    }

    /// <summary>Stops taking writes, runs those already queued, and stops the writer thread.</summary>
    /// <returns>A task that completes when the thread stopped.</returns>
    public Task CloseAsync()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        return _stopped.Task;
    }

    private void Loop()
    {
        var batch = new List<WriteRequest>(_maxBatch);
        var errors = new List<Exception?>(_maxBatch);
        try
        {
            while (true)
            {
                if (_expected > 1)
                {
                    // Concurrent callers just served write again within microseconds: catch the first of their writes
                    // without a sleep and a wake-up of this thread, as within a batch (see SpinForWrites).
                    SpinForWrites(Stopwatch.GetTimestamp() + _maxDelayTicks);
                }

                lock (_gate)
                {
                    while (_pending.Count == 0)
                    {
                        if (_closed)
                        {
                            return;
                        }

                        Monitor.Wait(_gate);
                    }
                }

                RunBatch(batch, errors);
                batch.Clear();
                errors.Clear();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Runs one batch: opens a transaction, runs the queued writes as they come, and commits once the batch holds as many
    /// writes as the previous commit completed plus those that queued during it — the callers just served usually write
    /// again at once — or the commit delay has passed, or nothing more is queued for a lone writer. Concurrent callers thus
    /// share one commit (and one fsync) instead of alternating between two half batches, and their statements run while
    /// the others are still preparing theirs. Then every caller's task completes.
    /// </summary>
    private void RunBatch(List<WriteRequest> batch, List<Exception?> errors)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + _maxDelayTicks;
        Exception? batchError = null;
        BatchCompletion? completion = null;
        try
        {
            _session.Begin();
            while (true)
            {
                var first = batch.Count;
                lock (_gate)
                {
                    Take(batch, errors);
                }

                if (!RunFrom(batch, errors, first))
                {
                    // A write failed after it had changed rows: the transaction was rolled back; run the others again.
                    do
                    {
                        _session.Begin();
                    }
                    while (!RunFrom(batch, errors, 0));
                }

                if (batch.Count >= _maxBatch || !WaitForMore(batch.Count, deadline))
                {
                    break;
                }
            }

            if (batch.Count > 1)
            {
                // A pool thread gets ready to complete the callers while the commit (and its fsync) runs; it completes
                // them only once the commit has returned (see BatchCompletion).
                completion = new BatchCompletion(batch, errors, CompletionSpinTicks);
                ThreadPool.UnsafeQueueUserWorkItem(completion, preferLocal: false);
            }

            _session.Commit();
            Interlocked.Increment(ref _commits);
            _checkpointer.OnCommit(_session.Connection);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            batchError = ex is BatchAbandonedException abandoned
                ? new McuException("The write was rolled back with its batch because the database failed another write of the same transaction; nothing of it was stored. Retry it.", abandoned.InnerException)
                : ex;
            _session.TryRollback();
            FailedBatches.Add(1, _storeTag);
        }

        lock (_gate)
        {
            // The callers completed below usually write again at once: expect them, with those already waiting.
            _expected = Math.Min(batch.Count + _pending.Count, _maxBatch);
        }

        if (completion is null || !completion.Release(batchError))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(errors[i] ?? batchError);
            }
        }

        if (batch.Count > 0)
        {
            BatchSize.Record(batch.Count, _storeTag);
            CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _storeTag);
        }
    }

    /// <summary>Moves queued writes into the batch (cancelled ones are cancelled instead). Runs under the gate.</summary>
    private void Take(List<WriteRequest> batch, List<Exception?> errors)
    {
        while (batch.Count < _maxBatch && _pending.TryDequeue(out var request))
        {
            Volatile.Write(ref _pendingCount, _pending.Count);
            if (request.IsCancellationRequested)
            {
                request.Cancel();
            }
            else
            {
                batch.Add(request);
                errors.Add(null);
            }
        }
    }

    /// <summary>Tells whether the open batch should take more writes, waiting for them until the deadline if needed.</summary>
    /// <param name="count">The writes in the batch so far.</param>
    /// <param name="deadline">When the batch must commit at the latest.</param>
    /// <returns><see langword="true"/> when writes are queued to be taken into the batch.</returns>
    private bool WaitForMore(int count, long deadline)
    {
        if (count < _expected)
        {
            SpinForWrites(deadline);
        }

        lock (_gate)
        {
            while (_pending.Count == 0)
            {
                var remaining = deadline - Stopwatch.GetTimestamp();
                if (count >= _expected || _closed || remaining <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            }

            return true;
        }
    }

    /// <summary>
    /// Spins briefly (yielding the processor after the first few rounds) until a write is queued, the store closes or the
    /// deadline passes. The callers just served usually write again within microseconds: catching their writes here
    /// saves a sleep and a wake-up of the writer thread per write, which on a small machine costs more than running it.
    /// </summary>
    /// <param name="deadline">When the batch must commit at the latest.</param>
    private void SpinForWrites(long deadline)
    {
        var spinner = default(SpinWait);
        for (var i = 0; i < SpinRounds && Volatile.Read(ref _pendingCount) == 0 && !Volatile.Read(ref _closed); i++)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>
    /// Runs the writes of the batch from an index on, skipping those that have failed. A write that fails before changing a
    /// row (a version conflict, a lost lease) fails alone and the others go on. A write that fails after changing rows makes
    /// the transaction roll back: the method returns <see langword="false"/> and the caller runs the batch again without it.
    /// No savepoint is needed on the common path.
    /// </summary>
    private bool RunFrom(List<WriteRequest> batch, List<Exception?> errors, int first)
    {
        for (var i = first; i < batch.Count; i++)
        {
            if (errors[i] is not null)
            {
                continue;
            }

            var changes = _session.TotalChanges;
            try
            {
                batch[i].Run(_session);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors[i] = ex;
                if (!_session.InTransaction)
                {
                    // SQLite abandoned the whole transaction (disk full, I/O error): the other writes are gone with it.
                    throw new BatchAbandonedException(ex);
                }

                if (_session.TotalChanges != changes)
                {
                    _session.TryRollback();
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Completes the callers of a batch of concurrent writes on a pool thread. The writer queues it just before the commit,
    /// so that the pool thread is awake and waiting (spinning, yielding the processor) when the commit returns: the callers
    /// are then completed — and write again — without first waking a pool thread, which on a small machine takes longer than
    /// running a write. The callers are completed only after <see cref="Release"/>, that is after the commit returned (or
    /// failed). When the commit takes longer than the spin allows (a slow disk), the pool thread leaves and the writer
    /// completes the callers itself; a pool thread is never blocked.
    /// </summary>
    internal sealed class BatchCompletion : IThreadPoolWorkItem
    {
        private const int Waiting = 0;
        private const int Released = 1;
        private const int Left = 2;

        private readonly WriteRequest[] _requests;
        private readonly Exception?[] _errors;
        private readonly long _spinTicks;
        private Exception? _batchError;
        private int _state;

        /// <summary>Initializes a new instance of the <see cref="BatchCompletion"/> class.</summary>
        /// <param name="batch">The writes of the batch.</param>
        /// <param name="errors">The error of each write, or <see langword="null"/>, as the batch ran.</param>
        /// <param name="spinTicks">How long to wait for the commit, in <see cref="Stopwatch"/> ticks.</param>
        public BatchCompletion(List<WriteRequest> batch, List<Exception?> errors, long spinTicks)
        {
            _requests = [.. batch];
            _errors = [.. errors];
            _spinTicks = spinTicks;
        }

        /// <summary>Called by the writer once the commit returned or failed: lets the pool thread complete the callers.</summary>
        /// <param name="batchError">The error of the whole batch (the commit failed), or <see langword="null"/>.</param>
        /// <returns><see langword="false"/> when the pool thread has left: the writer must complete the callers itself.</returns>
        public bool Release(Exception? batchError)
        {
            _batchError = batchError;
            return Interlocked.CompareExchange(ref _state, Released, Waiting) == Waiting;
        }

        /// <summary>Waits for <see cref="Release"/> (or leaves after the spin) and completes the callers.</summary>
        public void Execute()
        {
            var until = Stopwatch.GetTimestamp() + _spinTicks;
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _state) == Waiting)
            {
                if (Stopwatch.GetTimestamp() >= until && Interlocked.CompareExchange(ref _state, Left, Waiting) == Waiting)
                {
                    return;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            for (var i = 0; i < _requests.Length; i++)
            {
                _requests[i].Complete(_errors[i] ?? _batchError);
            }
        }
    }

    /// <summary>SQLite rolled the batch's transaction back by itself.</summary>
    private sealed class BatchAbandonedException(Exception inner) : Exception(inner.Message, inner);
}
