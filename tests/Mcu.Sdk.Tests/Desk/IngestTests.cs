using Mcu.Sdk.Classification;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Tests.Desk;

public sealed class IngestTests
{
    [Fact]
    public async Task IngestAsync_NewMessage_CreatesRoutedAppealWithAcknowledgement()
    {
        await using var f = new DeskFixture();
        var result = await f.Desk.IngestAsync(f.Message("[topic:roads] яма на Красной 12"));

        Assert.Equal(IngestOutcome.Created, result.Outcome);
        var appeal = result.Appeal;
        Assert.Equal(AppealStatus.Routed, appeal.Status);
        Assert.Equal("transport-roads", appeal.UnitId);
        Assert.Equal(TopicCode.Roads, appeal.Topic);
        Assert.Equal(1, appeal.Version);
        Assert.True(appeal.Number > 0);
        Assert.NotNull(appeal.Deadlines);
        // Operational profile, received on Monday 16 Nov 2026 at 09:00 Moscow time: the first answer within 4 business hours (13:00,
        // before lunch); the resolution within 30 calendar days, to the end of Wednesday 16 December.
        Assert.Equal("operational", appeal.Deadlines!.PolicyName);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 13, 0, 0, TimeSpan.FromHours(3)), appeal.Deadlines.FirstAnswerDue);
        Assert.Equal(new DateTimeOffset(2026, 12, 17, 0, 0, 0, TimeSpan.FromHours(3)), appeal.Deadlines.ResolutionDue);
        Assert.Equal(appeal.ReceivedAt, appeal.RegisteredAt);
        Assert.Equal([AppealHistoryKind.Accepted, AppealHistoryKind.Classified, AppealHistoryKind.Routed, AppealHistoryKind.StatusChanged, AppealHistoryKind.Deadlines, AppealHistoryKind.ReplyQueued], appeal.History.Select(h => h.Kind));

        var reply = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id));
        Assert.Equal(ReplyKind.Acknowledgement, reply.Kind);
        Assert.Contains(appeal.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), reply.Text, StringComparison.Ordinal);
        Assert.Contains("Иван", reply.Text, StringComparison.Ordinal);
        Assert.Contains("департамент транспорта", reply.Text, StringComparison.Ordinal);
        Assert.Equal(appeal.ReplyAddress, reply.Address);
        Assert.Equal(OutboxStatus.Pending, reply.Status);

        Assert.Equal([AppealEventKind.Accepted, AppealEventKind.Routed, AppealEventKind.ReplyQueued], f.Events.All.Select(e => e.Kind));
    }

    [Fact]
    public async Task IngestAsync_SameChannelAndExternalIdTwice_IsOneAppeal()
    {
        await using var f = new DeskFixture();
        var message = f.Message("[topic:waste] мусор не вывозят");
        var first = await f.Desk.IngestAsync(message);
        var second = await f.Desk.IngestAsync(message with { });

        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.Appeal.Id, second.Appeal.Id);
        Assert.Equal(1, await CountAsync(f.Store));
        Assert.Single(await f.Desk.GetRepliesAsync(first.Appeal.Id));
    }

    [Fact]
    public async Task IngestAsync_SameExternalIdOnAnotherChannel_IsAnotherAppeal()
    {
        await using var f = new DeskFixture();
        await f.Desk.IngestAsync(f.Message("text", externalId: "42", conversation: "a"));
        var other = await f.Desk.IngestAsync(f.Message("text", externalId: "42", conversation: "a", channel: ChannelId.Vk));

        Assert.Equal(IngestOutcome.Created, other.Outcome);
        Assert.Equal(2, await CountAsync(f.Store));
    }

    [Fact]
    public async Task IngestAsync_ConcurrentDuplicates_StoreOneAppeal()
    {
        await using var f = new DeskFixture();
        var message = f.Message("[topic:roads] яма");
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => f.Desk.IngestAsync(message).AsTask())));

        Assert.Single(results, r => r.Outcome == IngestOutcome.Created);
        Assert.All(results, r => Assert.Equal(results[0].Appeal.Id, r.Appeal.Id));
        Assert.Equal(1, await CountAsync(f.Store));
    }

    [Fact]
    public async Task IngestAsync_FollowUpInSameConversation_JoinsOpenAppeal()
    {
        await using var f = new DeskFixture();
        var first = await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat-1"));
        f.Clock.Advance(TimeSpan.FromMinutes(2));
        var photo = f.Message("вот фото", conversation: "chat-1") with
        {
            Attachments = [new Attachment(AttachmentKind.Photo, "file-1")],
            Location = new GeoLocation(45.03, 38.97),
        };
        var followUp = await f.Desk.IngestAsync(photo);

        Assert.Equal(IngestOutcome.FollowUp, followUp.Outcome);
        Assert.Equal(first.Appeal.Id, followUp.Appeal.Id);
        Assert.Equal(2, followUp.Appeal.Messages.Count);
        Assert.Equal("file-1", Assert.Single(followUp.Appeal.Attachments).Reference);
        Assert.Equal(45.03, followUp.Appeal.Location!.Value.Latitude);
        Assert.Equal(2, followUp.Appeal.Version);
        Assert.Equal(1, await CountAsync(f.Store));
        Assert.Single(await f.Desk.GetRepliesAsync(first.Appeal.Id)); // no second acknowledgement

        // The follow-up replayed is a duplicate of the same appeal.
        var replay = await f.Desk.IngestAsync(photo);
        Assert.Equal(IngestOutcome.Duplicate, replay.Outcome);
        Assert.Equal(2, replay.Appeal.Messages.Count);
    }

    [Fact]
    public async Task IngestAsync_AfterAppealClosed_OpensNewAppeal()
    {
        await using var f = new DeskFixture();
        var first = await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat-1"));
        await f.Desk.AnswerAsync(first.Appeal.Id, new UnitAnswer("Яму заделали.", IsFinal: true));
        await f.Desk.CloseAsync(first.Appeal.Id, "operator");

        var next = await f.Desk.IngestAsync(f.Message("[topic:waste] а теперь мусор", conversation: "chat-1"));
        Assert.Equal(IngestOutcome.Created, next.Outcome);
        Assert.NotEqual(first.Appeal.Id, next.Appeal.Id);
    }

    [Fact]
    public async Task IngestAsync_FollowUpOutsideWindow_OpensNewAppeal()
    {
        await using var f = new DeskFixture(mcu => mcu.ConfigureDesk(o => o.FollowUpWindow = TimeSpan.FromMinutes(5)));
        await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat-1"));
        f.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(IngestOutcome.FollowUp, (await f.Desk.IngestAsync(f.Message("ещё", conversation: "chat-1"))).Outcome);
        f.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(IngestOutcome.Created, (await f.Desk.IngestAsync(f.Message("[topic:waste] другое", conversation: "chat-1"))).Outcome);
    }

    [Fact]
    public async Task IngestAsync_ClarificationAnsweredAfterWindow_StillJoinsTheWaitingAppeal()
    {
        await using var f = new DeskFixture(mcu => mcu.ConfigureDesk(o => o.FollowUpWindow = TimeSpan.FromMinutes(5)));
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat-1"))).Appeal;
        await f.Desk.RequestClarificationAsync(appeal.Id, "Уточните адрес", "operator");
        f.Clock.Advance(TimeSpan.FromHours(3));

        var answer = await f.Desk.IngestAsync(f.Message("Красная, 12", conversation: "chat-1"));

        Assert.Equal(IngestOutcome.FollowUp, answer.Outcome);
        Assert.Equal(appeal.Id, answer.Appeal.Id);
        Assert.Equal(AppealStatus.InProgress, answer.Appeal.Status);
    }

    [Fact]
    public async Task IngestAsync_OutOfScope_RejectedWithPoliteRefusal()
    {
        await using var f = new DeskFixture();
        var result = await f.Desk.IngestAsync(f.Message("[oos] посоветуйте сантехника"));

        Assert.Equal(AppealStatus.Rejected, result.Appeal.Status);
        Assert.Null(result.Appeal.UnitId);
        Assert.Null(result.Appeal.Deadlines);
        var reply = Assert.Single(await f.Desk.GetRepliesAsync(result.Appeal.Id));
        Assert.Equal(ReplyKind.Refusal, reply.Kind);
        Assert.Contains("не относится к компетенции", reply.Text, StringComparison.Ordinal);
        Assert.Single(f.Events.Of(AppealEventKind.Rejected));
    }

    [Fact]
    public async Task IngestAsync_Urgent_EscalatedWithUrgentPriority()
    {
        await using var f = new DeskFixture(mcu => mcu.ConfigureSla(o => o.Rules.Add(new Mcu.Sdk.Sla.SlaRule { Name = "urgent", Urgent = true, FirstAnswer = TimeSpan.FromHours(1) })));
        var result = await f.Desk.IngestAsync(f.Message("[topic:roads] [urgent] открытый люк"));

        Assert.Equal(AppealPriority.Urgent, result.Appeal.Priority);
        Assert.Single(f.Events.Of(AppealEventKind.Escalated));
        Assert.Equal(result.Appeal.ReceivedAt + TimeSpan.FromHours(1), result.Appeal.Deadlines!.FirstAnswerDue);
        Assert.Equal("operational", result.Appeal.Deadlines.PolicyName);
        Assert.Equal("urgent", result.Appeal.Deadlines.RuleName);
        Assert.True(result.Appeal.Deadlines.IsUrgent);
        Assert.Equal(Mcu.Sdk.SlaTimeMode.AroundTheClock, result.Appeal.Deadlines.GetTimer(SlaTimerKind.FirstAnswer)!.Mode);
        Assert.Contains("срочное", Assert.Single(await f.Desk.GetRepliesAsync(result.Appeal.Id)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_OversizeText_TruncatedAndNoted()
    {
        await using var f = new DeskFixture(mcu => mcu.ConfigureDesk(o => o.MaxTextLength = 1000));
        var result = await f.Desk.IngestAsync(f.Message("[topic:roads] " + new string('я', 5000)));

        Assert.Equal(1000, result.Appeal.Text.Length);
        Assert.Contains(result.Appeal.History, h => h.Kind == AppealHistoryKind.Note && h.Description.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IngestAsync_OversizeFollowUp_TruncatedWithoutSplittingASurrogatePair()
    {
        await using var f = new DeskFixture(mcu => mcu.ConfigureDesk(o => o.MaxTextLength = 1000));
        await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat"));
        var followUp = await f.Desk.IngestAsync(f.Message(new string('я', 999) + "😀 и ещё", conversation: "chat"));

        var text = followUp.Appeal.Messages[^1].Text;
        Assert.Equal(999, text.Length);
        Assert.False(char.IsHighSurrogate(text[^1]));
    }

    [Fact]
    public async Task IngestAsync_MonitoringFinding_NotAcknowledgedByDefault()
    {
        await using var f = new DeskFixture();
        var result = await f.Desk.IngestAsync(f.Message("[topic:roads] яма", channel: ChannelId.Monitoring) with { FoundByMonitoring = true });

        Assert.True(result.Appeal.FoundByMonitoring);
        Assert.Empty(await f.Desk.GetRepliesAsync(result.Appeal.Id));
    }

    [Fact]
    public async Task IngestAsync_Cancelled_Throws()
    {
        await using var f = new DeskFixture();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Desk.IngestAsync(f.Message("x"), cts.Token).AsTask());
        Assert.Equal(0, await CountAsync(f.Store));
    }

    [Fact]
    public void InboundMessage_InvalidArguments_ClearErrors()
    {
        var author = new Author("1");
        var at = DateTimeOffset.UnixEpoch;
        Assert.Throws<ArgumentException>(() => new InboundMessage(default, "1", "c", author, "t", at));
        Assert.Throws<ArgumentException>(() => new InboundMessage(ChannelId.Vk, " ", "c", author, "t", at));
        Assert.Throws<ArgumentException>(() => new InboundMessage(ChannelId.Vk, "1", "", author, "t", at));
        Assert.Throws<ArgumentNullException>(() => new InboundMessage(ChannelId.Vk, "1", "c", null!, "t", at));
        Assert.Equal(string.Empty, new InboundMessage(ChannelId.Vk, "1", "c", author, null!, at).Text);
    }

    [Fact]
    public void Author_ToString_HidesPersonalData() =>
        Assert.DoesNotContain("Иван", new Author("79181234567", "Иван").ToString(), StringComparison.Ordinal);

    private static async Task<int> CountAsync(IAppealStore store)
    {
        var count = 0;
        await foreach (var _ in store.QueryAsync(AppealQuery.All))
        {
            count++;
        }

        return count;
    }
}
