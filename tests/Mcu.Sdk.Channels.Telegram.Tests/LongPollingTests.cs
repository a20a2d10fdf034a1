using System.Text.Json.Nodes;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Channels.Telegram.Tests;

public sealed class LongPollingTests
{
    private static JsonObject Reaction(long updateId) => Updates.Update(updateId, "message_reaction", new JsonObject
    {
        ["chat"] = Updates.PrivateChat(),
        ["message_id"] = 10,
        ["date"] = 1718000100,
        ["old_reaction"] = new JsonArray(),
        ["new_reaction"] = new JsonArray(new JsonObject { ["type"] = "emoji", ["emoji"] = "👍" }),
    });

    [Fact]
    public async Task PollOnceAsync_Batch_AcceptedThenOffsetStored()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling);
        f.Api.EnqueueUpdate(Updates.Text(501, 10, "Яма на дороге у дома 5"));
        f.Api.EnqueueUpdate(Updates.Photo(502, 11, null, "pit"));
        f.Api.EnqueueUpdate(Reaction(503));

        var accepted = await f.PollOnceAsync();

        Assert.Equal(2, accepted);
        var appeal = Assert.Single(await f.AppealsAsync());
        Assert.Equal(2, appeal.Messages.Count);
        Assert.Equal("504", await f.Checkpoints.GetCheckpointAsync(f.Poller.CheckpointKey));
        var request = Assert.Single(f.Api.CallsOf("getUpdates")).Body;
        Assert.False(request.ContainsKey("offset"));
        Assert.Equal(0, (int)request["timeout"]!);
        Assert.Equal(100, (int)request["limit"]!);
        Assert.Equal(["message", "callback_query", "my_chat_member"], request["allowed_updates"]!.AsArray().Select(n => (string)n!).ToArray());

        Assert.Equal(0, await f.PollOnceAsync());
        Assert.Equal(504, (long)f.Api.CallsOf("getUpdates")[1].Body["offset"]!);
        Assert.Equal(0, f.Api.PendingUpdates); // confirmed by the second call
    }

    [Fact]
    public async Task PollOnceAsync_StoreFails_OffsetKeptAndTheUpdateReadAgain()
    {
        var store = new FlakyStore();
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling, configureMcu: mcu => mcu.UseStore(_ => store));
        f.Api.EnqueueUpdate(Updates.Text(601, 10, "Не вывозят мусор"));
        store.FailNextAdd = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => f.PollOnceAsync());
        Assert.Null(await f.Checkpoints.GetCheckpointAsync(f.Poller.CheckpointKey));
        Assert.Empty(await f.AppealsAsync());

        Assert.Equal(1, await f.PollOnceAsync());
        Assert.Single(await f.AppealsAsync());
        Assert.Equal("602", await f.Checkpoints.GetCheckpointAsync(f.Poller.CheckpointKey));
    }

    [Fact]
    public async Task PollOnceAsync_CrashBeforeTheOffsetWasStored_ReplayIsOneAppeal()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling);
        f.Api.EnqueueUpdate(Updates.Text(701, 10, "Сломан светофор"));

        // A first process read and accepted the batch, then crashed before storing the offset.
        var batch = await f.Poller.PollAsync(null);
        foreach (var message in batch.Messages)
        {
            await f.Desk.IngestAsync(message);
        }

        Assert.Equal(1, await f.PollOnceAsync()); // the restarted process reads the same update again

        var appeal = Assert.Single(await f.AppealsAsync());
        Assert.Single(appeal.Messages);
        Assert.Single(await f.Store.GetOutboxAsync(appeal.Id));
        Assert.Equal("702", await f.Checkpoints.GetCheckpointAsync(f.Poller.CheckpointKey));
    }

    [Fact]
    public async Task PollOnceAsync_WebhookActive_ConflictReportedClearly()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling);
        f.Api.SetWebhook("https://mcu.example.ru/webhooks/telegram");

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.PollOnceAsync());

        Assert.True(ex.IsConflict);
        Assert.Contains("delete the webhook", ex.Message, StringComparison.Ordinal);
        var logged = Assert.Single(f.Logs.Entries, e => e.EventId.Id == 120);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, logged.Level);
        Assert.Contains("409", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollAsync_ServerIgnoresTheOffset_OldUpdatesNotAcceptedAgain()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling);
        f.Api.Script("getUpdates", 200, new JsonObject { ["ok"] = true, ["result"] = new JsonArray(Updates.Text(10, 1, "старое"), Updates.Text(20, 2, "новое")) }.ToJsonString());

        var batch = await f.Poller.PollAsync("15");

        Assert.Equal("новое", Assert.Single(batch.Messages).Text);
        Assert.Equal("21", batch.NextCheckpoint);
    }

    [Fact]
    public async Task PollAsync_WebhookMode_WaitsUntilCanceled()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.Webhook);
        using var cancellation = new CancellationTokenSource();

        var poll = f.Poller.PollAsync(null, cancellation.Token).AsTask();
        Assert.False(poll.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
        Assert.Empty(f.Api.CallsOf("getUpdates"));
    }

    /// <summary>An in-memory store whose next add fails, as a database that went away would.</summary>
    private sealed class FlakyStore : IAppealStore, ICheckpointStore
    {
        private readonly InMemoryAppealStore _inner = new();

        public bool FailNextAdd { get; set; }

        public ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default) => _inner.NextAppealNumberAsync(cancellationToken);

        public ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default)
        {
            if (FailNextAdd)
            {
                FailNextAdd = false;
                throw new InvalidOperationException("The database is unavailable.");
            }

            return _inner.AddAsync(appeal, outbox, cancellationToken);
        }

        public ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) => _inner.UpdateAsync(appeal, outbox, cancellationToken);

        public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default) => _inner.FindByMessageAsync(channel, externalId, cancellationToken);

        public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default) => _inner.FindOpenByConversationAsync(channel, conversationKey, cancellationToken);

        public IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default) => _inner.LeaseOutboxAsync(now, maxCount, leaseDuration, owner, cancellationToken);

        public ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default) => _inner.UpdateOutboxAsync(message, leaseOwner, cancellationToken);

        public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default) => _inner.GetOutboxAsync(appealId, cancellationToken);

        public IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, CancellationToken cancellationToken = default) => _inner.QueryOutboxAsync(status, cancellationToken);

        public ValueTask<string?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => _inner.GetCheckpointAsync(key, cancellationToken);

        public ValueTask SetCheckpointAsync(string key, string value, CancellationToken cancellationToken = default) => _inner.SetCheckpointAsync(key, value, cancellationToken);
    }
}
