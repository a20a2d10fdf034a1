using Mcu.Sdk.Channels;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Replies;

public sealed class ReplyDispatcherTests
{
    private static DeskFixture Fixture(Action<ReplyDispatcherOptions>? configure = null) =>
        new(mcu => mcu.ConfigureDispatcher(o =>
        {
            o.RetryDelay = TimeSpan.FromSeconds(1);
            configure?.Invoke(o);
        }));

    [Fact]
    public async Task DispatchDueAsync_DeliversAcknowledgementIntoTheSameThread()
    {
        await using var f = Fixture();
        var message = f.Message("[topic:roads] яма") with { ReplyAddress = new ReplyAddress(DeskFixture.Channel, "-100500", ThreadId: "77", ReplyToMessageId: "9") };
        var appeal = (await f.Desk.IngestAsync(message)).Appeal;

        var summary = await f.Dispatcher.DispatchDueAsync();

        Assert.Equal(new DispatchSummary(1, 0, 0), summary);
        var sent = Assert.Single(f.Sender.Delivered);
        Assert.Equal("-100500", sent.Address.ConversationId);
        Assert.Equal("77", sent.Address.ThreadId);
        Assert.Equal("9", sent.Address.ReplyToMessageId);
        Assert.Equal(appeal.Id, sent.AppealId);
        var stored = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Delivered, stored.Status);
        Assert.Equal(["1"], stored.DeliveredParts);
        Assert.Null(stored.LeaseOwner);
        Assert.Single(f.Events.Of(AppealEventKind.ReplyDelivered));
        Assert.Equal(new DispatchSummary(0, 0, 0), await f.Dispatcher.DispatchDueAsync()); // nothing twice
    }

    [Fact]
    public async Task DispatchDueAsync_TransientErrors_RetriedWithBackoffOnTheManualClock()
    {
        await using var f = Fixture();
        f.Sender.OnSend = (_, attempt, _) => attempt <= 2
            ? throw new ChannelException("502 Bad Gateway") { IsTransient = true, Channel = DeskFixture.Channel }
            : ValueTask.CompletedTask;
        await f.Desk.IngestAsync(f.Message("[topic:roads] яма"));

        var pass = f.Dispatcher.DispatchDueAsync().AsTask();
        await f.Clock.AdvanceUntilCompleteAsync(pass, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        Assert.Equal(1, (await pass).Delivered);
        Assert.Equal(3, f.Sender.Attempts.Count);
        Assert.Single(f.Sender.Delivered);
        Assert.All(f.Sender.Attempts, a => Assert.Equal(f.Sender.Attempts[0].IdempotencyKey, a.IdempotencyKey));
    }

    [Fact]
    public async Task DispatchDueAsync_RetryAfter_WaitsExactly()
    {
        await using var f = Fixture();
        var start = f.Clock.GetUtcNow();
        DateTimeOffset? secondAttemptAt = null;
        f.Sender.OnSend = (_, attempt, _) =>
        {
            if (attempt == 1)
            {
                throw new ChannelException("Too Many Requests: retry after 7") { IsTransient = true, RetryAfter = TimeSpan.FromSeconds(7), ErrorCode = 429 };
            }

            secondAttemptAt = f.Clock.GetUtcNow();
            return ValueTask.CompletedTask;
        };
        await f.Desk.IngestAsync(f.Message("[topic:roads] яма"));

        var pass = f.Dispatcher.DispatchDueAsync().AsTask();
        await f.Clock.AdvanceUntilCompleteAsync(pass, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1));

        Assert.Equal(start + TimeSpan.FromSeconds(7), secondAttemptAt);
    }

    [Fact]
    public async Task DispatchDueAsync_RetryAfterLongerThanHalfTheLease_ReschedulesInsteadOfWaiting()
    {
        await using var f = Fixture(o => o.LeaseDuration = TimeSpan.FromMinutes(2));
        f.Sender.OnSend = (_, attempt, _) => attempt == 1
            ? throw new ChannelException("Flood control") { IsTransient = true, RetryAfter = TimeSpan.FromHours(1), ErrorCode = 9 }
            : ValueTask.CompletedTask;
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;

        var summary = await f.Dispatcher.DispatchDueAsync(); // returns at once: no in-place wait on the clock

        Assert.Equal(1, summary.Rescheduled);
        var reply = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
        Assert.Equal(f.Clock.GetUtcNow() + TimeSpan.FromHours(1), reply.NextAttemptAt);
        Assert.Null(reply.LeaseOwner);
        f.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await f.Dispatcher.DispatchDueAsync()).Delivered);
    }

    [Fact]
    public async Task DispatchDueAsync_PermanentError_FailsVisiblyWithoutRetry()
    {
        await using var f = Fixture();
        f.Sender.OnSend = (_, _, _) => throw new RecipientUnreachableException("Forbidden: bot was blocked by the user") { ErrorCode = 403 };
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;

        var summary = await f.Dispatcher.DispatchDueAsync();

        Assert.Equal(1, summary.Failed);
        Assert.Single(f.Sender.Attempts);
        var reply = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Failed, reply.Status);
        Assert.Contains("blocked", reply.LastError, StringComparison.Ordinal);
        Assert.Contains("403", reply.LastError, StringComparison.Ordinal);
        var failed = Assert.Single(f.Events.Of(AppealEventKind.ReplyFailed));
        Assert.Equal(reply.Id, failed.Reply!.Id);
    }

    [Fact]
    public async Task DispatchDueAsync_TransientBeyondImmediateRetries_ReschedulesThenFailsAfterMaxAttempts()
    {
        await using var f = Fixture(o =>
        {
            o.ImmediateRetries = 1;
            o.MaxAttempts = 3;
        });
        f.Sender.OnSend = (_, _, _) => throw new ChannelException("503") { IsTransient = true };
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;

        for (var pass = 1; pass <= 3; pass++)
        {
            var run = f.Dispatcher.DispatchDueAsync().AsTask();
            await f.Clock.AdvanceUntilCompleteAsync(run, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1));
            var reply = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
            Assert.Equal(pass, reply.Attempts);
            Assert.Equal(pass < 3 ? OutboxStatus.Pending : OutboxStatus.Failed, reply.Status);
            if (pass < 3)
            {
                Assert.True(reply.NextAttemptAt > f.Clock.GetUtcNow());
                Assert.Equal(0, (await f.Dispatcher.DispatchDueAsync()).Total); // not due yet
                f.Clock.SetUtcNow(reply.NextAttemptAt);
            }
        }

        Assert.Equal(6, f.Sender.Attempts.Count); // 3 passes × (1 + 1 immediate retry)
        Assert.Single(f.Events.Of(AppealEventKind.ReplyFailed));
    }

    [Fact]
    public async Task DispatchDueAsync_LongText_SplitIntoOrderedPartsWithDistinctKeys()
    {
        await using var f = Fixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Dispatcher.DispatchDueAsync();
        var longAnswer = string.Join(' ', Enumerable.Repeat("Работы по ремонту дорожного покрытия выполнены.", 250)); // ≈12,000 characters
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer(longAnswer, true));

        await f.Dispatcher.DispatchDueAsync();

        var parts = f.Sender.Delivered.Skip(1).ToList();
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(p.Text.Length <= 4096));
        Assert.Equal([0, 1, 2], parts.Select(p => p.PartIndex));
        Assert.All(parts, p => Assert.Equal(3, p.PartCount));
        Assert.Equal(3, parts.Select(p => p.IdempotencyKey).Distinct().Count());
        Assert.Equal(3, (await f.Desk.GetRepliesAsync(appeal.Id))[^1].DeliveredParts.Count);
    }

    [Fact]
    public async Task DispatchDueAsync_PartialDeliveryThenCrash_ResumesAtNextPart()
    {
        await using var f = Fixture(o => o.ImmediateRetries = 0);
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Dispatcher.DispatchDueAsync();
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer(string.Join(' ', Enumerable.Repeat("Ответ ведомства по существу вопроса.", 300)), true));
        f.Sender.OnSend = (m, _, _) => m.PartIndex == 1 && f.Sender.Attempts.Count(a => a.PartIndex == 1) == 1
            ? throw new ChannelException("network") { IsTransient = true }
            : ValueTask.CompletedTask;

        await f.Dispatcher.DispatchDueAsync(); // part 0 delivered, part 1 fails: rescheduled
        var reply = (await f.Desk.GetRepliesAsync(appeal.Id))[^1];
        Assert.Single(reply.DeliveredParts);
        f.Clock.SetUtcNow(reply.NextAttemptAt);
        await f.Dispatcher.DispatchDueAsync();

        var finalParts = f.Sender.Delivered.Where(d => d.IdempotencyKey.StartsWith(reply.Id.ToString("N"), StringComparison.Ordinal)).ToList();
        Assert.Equal(finalParts.Count, finalParts.Select(p => p.PartIndex).Distinct().Count()); // no part delivered twice
        Assert.Equal(OutboxStatus.Delivered, (await f.Desk.GetRepliesAsync(appeal.Id))[^1].Status);
    }

    [Fact]
    public async Task DispatchDueAsync_PerConversationRateLimit_SpacesMessagesOnTheClock()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingReplySender(ChannelId.Telegram, new ChannelCapabilities { MaxMessagesPerSecondPerConversation = 1, MaxMessagesPerSecond = 30 });
        var times = new List<DateTimeOffset>();
        sender.OnSend = (_, _, _) =>
        {
            lock (times)
            {
                times.Add(clock.GetUtcNow());
            }

            return ValueTask.CompletedTask;
        };
        var services = new ServiceCollection();
        services.AddMcu(mcu => mcu.UseTimeProvider(clock).AddReplySender(sender).UseClassifier(_ => new MarkerClassifier()));
        await using var provider = services.BuildServiceProvider();
        var desk = provider.GetRequiredService<IAppealDesk>();
        var appeal = (await desk.IngestAsync(new InboundMessage(ChannelId.Telegram, "1", "chat", new Author("1"), "[topic:roads] яма", clock.GetUtcNow()))).Appeal;
        await desk.AnswerAsync(appeal.Id, new UnitAnswer("Принято.", false));
        await desk.AnswerAsync(appeal.Id, new UnitAnswer("Сделано.", true));

        var pass = provider.GetRequiredService<IReplyDispatcher>().DispatchDueAsync().AsTask();
        await clock.AdvanceUntilCompleteAsync(pass, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        Assert.Equal(3, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(1), $"{times[0]:O} → {times[1]:O}");
        Assert.True(times[2] - times[1] >= TimeSpan.FromSeconds(1), $"{times[1]:O} → {times[2]:O}");
        Assert.True(times[2] - times[0] < TimeSpan.FromSeconds(2.5));
        Assert.Equal([ReplyKind.Acknowledgement, ReplyKind.Interim, ReplyKind.Final], (await desk.GetRepliesAsync(appeal.Id)).Select(r => r.Kind));
        Assert.Contains("Сделано.", sender.Delivered[2].Text, StringComparison.Ordinal); // in order
    }

    [Fact]
    public async Task LeaseOutboxAsync_CrashedDispatcher_LeaseComesBackAfterExpiry()
    {
        await using var f = Fixture(o => o.LeaseDuration = TimeSpan.FromMinutes(2));
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        var leased = await f.Store.LeaseOutboxAsync(f.Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(2), "crashed-dispatcher");
        Assert.Single(leased);

        Assert.Equal(0, (await f.Dispatcher.DispatchDueAsync()).Total); // still leased
        f.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await f.Dispatcher.DispatchDueAsync()).Delivered);
        Assert.False(await f.Store.UpdateOutboxAsync(leased[0] with { Status = OutboxStatus.Failed }, "crashed-dispatcher")); // the lost lease cannot overwrite
        Assert.Equal(OutboxStatus.Delivered, Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id)).Status);
    }

    [Fact]
    public async Task DispatchDueAsync_NoSenderForChannel_FailsWithClearError()
    {
        await using var f = Fixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", channel: ChannelId.Ok))).Appeal;
        Assert.Equal(1, (await f.Dispatcher.DispatchDueAsync()).Failed);
        Assert.Contains("No reply sender is registered for channel 'ok'", Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id)).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchDueAsync_Cancelled_ReleasesLeaseForTheNextPass()
    {
        await using var f = Fixture();
        using var cts = new CancellationTokenSource();
        f.Sender.OnSend = async (_, attempt, ct) =>
        {
            if (attempt == 1)
            {
                await cts.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }
        };
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Dispatcher.DispatchDueAsync(cts.Token).AsTask());

        var reply = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Pending, reply.Status);
        Assert.Null(reply.LeaseOwner);
        Assert.Equal(1, (await f.Dispatcher.DispatchDueAsync()).Delivered);
    }

    [Fact]
    public async Task DispatchDueAsync_RequiresIntervention_ParksWithAlertAndNoRetry()
    {
        await using var f = Fixture();
        f.Sender.OnSend = (_, _, _) => throw new ChannelException("Captcha needed") { ErrorCode = 14, RequiresIntervention = true };
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;

        var summary = await f.Dispatcher.DispatchDueAsync();

        Assert.Equal(1, summary.Parked);
        Assert.Single(f.Sender.Attempts);
        var reply = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Parked, reply.Status);
        Assert.Contains("Captcha", reply.LastError, StringComparison.Ordinal);
        Assert.Single(f.Events.Of(AppealEventKind.ReplyParked));
        f.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.Dispatcher.DispatchDueAsync()).Total);
    }

    [Fact]
    public async Task DispatchDueAsync_ChannelMovedConversation_AppealAddressUpdated()
    {
        await using var f = Fixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "-100"))).Appeal;
        f.Sender.AddressUpdate = m => m.Address with { ConversationId = "-100999" };

        await f.Dispatcher.DispatchDueAsync();

        var stored = (await f.Desk.GetAsync(appeal.Id))!;
        Assert.Equal("-100999", stored.ReplyAddress.ConversationId);
        Assert.Equal("-100999", Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id)).Address.ConversationId);
        Assert.Single(f.Events.Of(AppealEventKind.AddressChanged));
        f.Sender.AddressUpdate = null;
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Сделано.", true));
        await f.Dispatcher.DispatchDueAsync();
        Assert.Equal("-100999", f.Sender.Delivered[^1].Address.ConversationId);
    }

    [Fact]
    public void TokenBucket_RefillsFromTheClock()
    {
        var clock = new ManualTimeProvider();
        using var bucket = new TimeProviderTokenBucket(clock, tokensPerSecond: 2, burst: 2);
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void Constructor_NullArguments_Throw() =>
        Assert.Throws<ArgumentNullException>(() => new ReplyDispatcher(null!, null!, null!, Options.Create(new ReplyDispatcherOptions()), TimeProvider.System, NullLogger<ReplyDispatcher>.Instance));
}
