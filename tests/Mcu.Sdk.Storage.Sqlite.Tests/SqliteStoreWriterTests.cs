using Mcu.Sdk.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>The single writer: group commit, a failing write failing alone, cancellation, draining on dispose.</summary>
public sealed class SqliteStoreWriterTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _file;

    public SqliteStoreWriterTests() => _file = _folder.File("writer.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AddAsync_ManyConcurrentWrites_ShareOneTransaction()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_file));
        var appeals = Enumerable.Range(0, 65).Select(i => Some.Appeal($"m-{i}", Some.T0.AddSeconds(i))).ToArray();
        var before = store.CommittedBatches;

        // While another connection holds the write lock, the writer waits to begin its transaction and the writes queue up.
        using (var writeLock = new WriteLock(_file))
        {
            var writes = appeals.Select(a => store.AddAsync(a, [Some.Outbox(a)]).AsTask()).ToArray();
            Assert.Equal(65, store.PendingWrites);
            Assert.All(writes, t => Assert.False(t.IsCompleted));
            writeLock.Release();
            await Task.WhenAll(writes);
        }

        Assert.Equal(before + 1, store.CommittedBatches);
        Assert.Equal(65, (await StoreFiles.ToListAsync(store.QueryAsync(AppealQuery.All))).Count);
        Assert.Equal(65, (await StoreFiles.ToListAsync(store.QueryOutboxAsync(OutboxStatus.Pending))).Count);
    }

    [Fact]
    public async Task BatchCompletion_ReleasedAfterTheCommit_CompletesEachCallerWithItsOutcome()
    {
        var ok = new SetCheckpointRequest("a", "1", CancellationToken.None);
        var conflict = new SetCheckpointRequest("b", "2", CancellationToken.None);
        var completion = new WriteQueue.BatchCompletion([ok, conflict], [null, new InvalidOperationException("conflict")], long.MaxValue / 2);

        // The pool thread waits for the writer's release: nothing completes before the commit returned.
        var waiting = Task.Run(completion.Execute);
        Assert.False(ok.Task.IsCompleted);
        Assert.True(completion.Release(null));
        await waiting;

        await ok.Task;
        Assert.Equal(TaskStatus.RanToCompletion, ok.Task.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => conflict.Task);
    }

    [Fact]
    public async Task BatchCompletion_CommitFailed_FailsEveryCaller()
    {
        var first = new SetCheckpointRequest("a", "1", CancellationToken.None);
        var second = new SetCheckpointRequest("b", "2", CancellationToken.None);
        var completion = new WriteQueue.BatchCompletion([first, second], [null, null], long.MaxValue / 2);

        Assert.True(completion.Release(new SqliteException("disk I/O error", 10)));
        completion.Execute();

        await Assert.ThrowsAsync<SqliteException>(() => first.Task);
        await Assert.ThrowsAsync<SqliteException>(() => second.Task);
    }

    [Fact]
    public void BatchCompletion_CommitOutlastsTheSpin_LeavesTheCallersToTheWriter()
    {
        var request = new SetCheckpointRequest("a", "1", CancellationToken.None);
        var completion = new WriteQueue.BatchCompletion([request], [null], 0);

        completion.Execute();

        Assert.False(request.Task.IsCompleted);
        Assert.False(completion.Release(null));
        Assert.False(request.Task.IsCompleted);
    }

    [Fact]
    public async Task UpdateAsync_ConflictInsideBatch_FailsAloneAndTheRestCommits()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_file));
        var stored = (await store.AddAsync(Some.Appeal("m-1"), [])).Appeal;
        var current = await store.UpdateAsync(stored with { UnitId = "unit-a" }, []);
        var before = store.CommittedBatches;

        Task<AddAppealResult> added;
        Task<Appeal> stale;
        Task<Appeal> fresh;
        using (var writeLock = new WriteLock(_file))
        {
            added = store.AddAsync(Some.Appeal("m-2"), []).AsTask();
            stale = store.UpdateAsync(stored with { UnitId = "unit-b" }, [Some.Outbox(stored)]).AsTask();
            fresh = store.UpdateAsync(current with { UnitId = "unit-c" }, []).AsTask();
            Assert.Equal(3, store.PendingWrites);
            writeLock.Release();
        }

        Assert.True((await added).Added);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stale);
        Assert.Equal(3, (await fresh).Version);
        Assert.Equal(before + 1, store.CommittedBatches);
        Assert.Equal("unit-c", (await store.GetAsync(stored.Id))?.UnitId);
        Assert.Empty(await store.GetOutboxAsync(stored.Id));
    }

    [Fact]
    public async Task AddAsync_StatementFailsAfterTheAppealRow_RollsBackThatWriteOnly()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_file));
        using (var raw = StoreFiles.OpenRaw(_file))
        {
            // A real failure in the middle of a write: the appeal row is inserted, then its outbox row is refused.
            StoreFiles.Execute(raw, "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox WHEN instr(CAST(new.document AS TEXT), 'ОТКАЗ') > 0 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        }

        var good = Some.Appeal("m-1");
        var bad = Some.Appeal("m-2");
        Task<AddAppealResult> goodTask;
        Task<AddAppealResult> badTask;
        var before = store.CommittedBatches;
        using (var writeLock = new WriteLock(_file))
        {
            goodTask = store.AddAsync(good, [Some.Outbox(good)]).AsTask();
            badTask = store.AddAsync(bad, [Some.Outbox(bad, "первая часть"), Some.Outbox(bad, "ОТКАЗ")]).AsTask();
            Assert.Equal(2, store.PendingWrites);
            writeLock.Release();
        }

        Assert.True((await goodTask).Added);
        var error = await Assert.ThrowsAsync<SqliteException>(() => badTask);
        Assert.Equal(before + 1, store.CommittedBatches);
        Assert.Contains("refused by the test", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(bad.Id));
        Assert.Null(await store.FindByMessageAsync(ChannelId.Telegram, "m-2"));
        Assert.Empty(await store.GetOutboxAsync(bad.Id));
        Assert.Single(await store.GetOutboxAsync(good.Id));

        // The message key was rolled back with the rest: the same message can be accepted once the problem is gone.
        Assert.True((await store.AddAsync(bad, [Some.Outbox(bad)])).Added);
    }

    [Fact]
    public async Task AddAsync_CancelledWhileQueued_IsNotWritten()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_file));
        using var cancellation = new CancellationTokenSource();
        var appeal = Some.Appeal("m-1");
        Task<AddAppealResult> cancelled;
        Task other;
        using (var writeLock = new WriteLock(_file))
        {
            other = store.SetCheckpointAsync("k", "v").AsTask();
            cancelled = store.AddAsync(appeal, [], cancellation.Token).AsTask();
            await cancellation.CancelAsync();
            writeLock.Release();
        }

        await other;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await store.GetAsync(appeal.Id));
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedWrites_CommitsThemBeforeClosing()
    {
        var store = new SqliteAppealStore(StoreFiles.Options(_file));
        var writes = Enumerable.Range(0, 200).Select(i => store.AddAsync(Some.Appeal($"m-{i}", Some.T0.AddSeconds(i)), []).AsTask()).ToArray();

        await store.DisposeAsync();

        var results = await Task.WhenAll(writes);
        Assert.All(results, r => Assert.True(r.Added));
        await using var reopened = new SqliteAppealStore(StoreFiles.Options(_file));
        Assert.Equal(200, (await StoreFiles.ToListAsync(reopened.QueryAsync(AppealQuery.All))).Count);
    }

    [Fact]
    public async Task Methods_AfterDispose_ThrowObjectDisposed()
    {
        var store = new SqliteAppealStore(StoreFiles.Options(_file));
        await store.DisposeAsync();
        await store.DisposeAsync();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AddAsync(Some.Appeal("m-1"), []));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync(Guid.Empty));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.NextAppealNumberAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.SetCheckpointAsync("k", "v"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.LeaseOutboxAsync(Some.T0, 1, TimeSpan.FromMinutes(1), "d"));
    }

    [Fact]
    public async Task Reads_WhileWritesWaitForTheLock_AreNotBlocked()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_file));
        var appeal = (await store.AddAsync(Some.Appeal("m-1"), [])).Appeal;

        using var writeLock = new WriteLock(_file);
        var blocked = store.UpdateAsync(appeal with { UnitId = "unit-x" }, []).AsTask();

        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await store.GetAsync(appeal.Id))));

        Assert.All(reads, r => Assert.Equal("unit-roads", r?.UnitId));
        Assert.False(blocked.IsCompleted);
        writeLock.Release();
        Assert.Equal("unit-x", (await blocked).UnitId);
    }

    [Fact]
    public async Task NextAppealNumberAsync_AfterCleanClose_ContinuesWithoutAGap()
    {
        await using (var store = new SqliteAppealStore(StoreFiles.Options(_file)))
        {
            var numbers = new List<long>();
            for (var i = 0; i < 3; i++)
            {
                numbers.Add(await store.NextAppealNumberAsync());
            }

            Assert.Equal([1L, 2L, 3L], numbers);
        }

        await using var reopened = new SqliteAppealStore(StoreFiles.Options(_file));
        Assert.Equal(4L, await reopened.NextAppealNumberAsync());
    }
}
