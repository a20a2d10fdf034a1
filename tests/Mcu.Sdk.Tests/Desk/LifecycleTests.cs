namespace Mcu.Sdk.Tests.Desk;

public sealed class LifecycleTests
{
    [Fact]
    public async Task AnswerAsync_InterimThenFinal_WalksTheStatesAndQueuesReplies()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:utilities] нет воды"))).Appeal;
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        var interim = await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Аварийная бригада направлена.", IsFinal: false));
        Assert.Equal(AppealStatus.InProgress, interim.Status);
        Assert.Equal(appeal.ReceivedAt + TimeSpan.FromMinutes(30), interim.FirstAnsweredAt);
        Assert.Null(interim.ResolvedAt);

        f.Clock.Advance(TimeSpan.FromHours(3));
        var final = await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Водоснабжение восстановлено.", IsFinal: true) { Actor = "vodokanal" });
        Assert.Equal(AppealStatus.Answered, final.Status);
        Assert.Equal(interim.FirstAnsweredAt, final.FirstAnsweredAt);
        Assert.Equal(f.Clock.GetUtcNow(), final.ResolvedAt);
        Assert.Equal(3, final.Version);

        var replies = await f.Desk.GetRepliesAsync(appeal.Id);
        Assert.Equal([ReplyKind.Acknowledgement, ReplyKind.Interim, ReplyKind.Final], replies.Select(r => r.Kind));
        Assert.Contains("Водоснабжение восстановлено.", replies[2].Text, StringComparison.Ordinal);
        Assert.All(replies, r => Assert.Equal(appeal.ReplyAddress, r.Address));
        Assert.Equal("vodokanal", final.Replies[^1].Actor);

        var closed = await f.Desk.CloseAsync(appeal.Id, "operator", "done");
        Assert.Equal(AppealStatus.Closed, closed.Status);
        Assert.NotNull(closed.ClosedAt);
    }

    [Fact]
    public async Task AnswerAsync_ClosedAppeal_ThrowsAndChangesNothing()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Сделано.", true));
        var closed = await f.Desk.CloseAsync(appeal.Id, "operator");

        await Assert.ThrowsAsync<InvalidAppealTransitionException>(() => f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("ещё", false)).AsTask());
        Assert.Equal(closed.Version, (await f.Desk.GetAsync(appeal.Id))!.Version);
    }

    [Fact]
    public async Task AnswerAsync_UnknownAppeal_ThrowsNotFound()
    {
        await using var f = new DeskFixture();
        var id = Guid.CreateVersion7();
        var ex = await Assert.ThrowsAsync<AppealNotFoundException>(() => f.Desk.AnswerAsync(id, new UnitAnswer("x", true)).AsTask());
        Assert.Equal(id, ex.AppealId);
    }

    [Fact]
    public async Task AnswerAsync_EmptyText_ThrowsArgumentException()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await Assert.ThrowsAnyAsync<ArgumentException>(() => f.Desk.AnswerAsync(appeal.Id, new UnitAnswer(" ", true)).AsTask());
    }

    [Fact]
    public async Task RateAsync_LowRating_ReopensAppeal()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Сделано.", true));
        var rated = await f.Desk.RateAsync(appeal.Id, 1);

        Assert.Equal(1, rated.Rating);
        Assert.Equal(AppealStatus.Reopened, rated.Status);
        Assert.Null(rated.ResolvedAt);

        // A reopened appeal can be answered again.
        var again = await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Переделали.", true));
        Assert.Equal(AppealStatus.Answered, again.Status);
        Assert.Equal(AppealStatus.Answered, (await f.Desk.RateAsync(appeal.Id, 5)).Status);
    }

    [Fact]
    public async Task RateAsync_OutOfRangeOrNotAnswered_Throws()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => f.Desk.RateAsync(appeal.Id, 6).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => f.Desk.RateAsync(appeal.Id, 4).AsTask());
    }

    [Fact]
    public async Task RequestClarification_PausesClocks_FollowUpResumesAndMovesDeadlines()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat"))).Appeal;
        var due = appeal.Deadlines!;
        f.Clock.Advance(TimeSpan.FromHours(1));
        var waiting = await f.Desk.RequestClarificationAsync(appeal.Id, "Уточните адрес, пожалуйста.", "operator");
        Assert.Equal(AppealStatus.AwaitingCitizen, waiting.Status);
        Assert.NotNull(waiting.ClockPausedAt);

        f.Clock.Advance(TimeSpan.FromHours(5));
        var resumed = (await f.Desk.IngestAsync(f.Message("Красная, 12", conversation: "chat"))).Appeal;
        Assert.Equal(AppealStatus.InProgress, resumed.Status);
        Assert.Null(resumed.ClockPausedAt);
        // Paused Monday 10:00–15:00 Moscow time: 4 business hours (lunch 13–14 does not count). The first answer, due at 13:00 with
        // 3 business hours left at the pause, is now due at 18:00. The resolution counts days: a pause within one day moves nothing.
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 18, 0, 0, TimeSpan.FromHours(3)), resumed.Deadlines!.FirstAnswerDue);
        Assert.Equal(TimeSpan.FromHours(4), resumed.Deadlines.GetTimer(SlaTimerKind.FirstAnswer)!.Paused);
        Assert.Equal(due.ResolutionDue, resumed.Deadlines.ResolutionDue);
        Assert.Equal(2, resumed.History.Count(h => h.Kind == AppealHistoryKind.Clock));
        Assert.Contains((await f.Desk.GetRepliesAsync(appeal.Id)), r => r.Kind == ReplyKind.Clarification && r.Text.Contains("Уточните адрес", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AssignAsync_ReroutesAndRecordsHistory()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        var moved = await f.Desk.AssignAsync(appeal.Id, "city-economy", "operator");

        Assert.Equal("city-economy", moved.UnitId);
        Assert.Contains(moved.History, h => h.Kind == AppealHistoryKind.Routed && h.Actor == "operator");
    }

    [Fact]
    public async Task RejectAsync_SendsRefusal_ReopenAllowsRouting()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:other] что-то"))).Appeal;
        var rejected = await f.Desk.RejectAsync(appeal.Id, "operator", "advertising");
        Assert.Equal(AppealStatus.Rejected, rejected.Status);
        Assert.Equal(ReplyKind.Refusal, (await f.Desk.GetRepliesAsync(appeal.Id))[^1].Kind);

        var reopened = await f.Desk.ReopenAsync(appeal.Id, "operator", "the citizen explained");
        Assert.Equal(AppealStatus.Reopened, reopened.Status);
        Assert.Equal(AppealStatus.Routed, (await f.Desk.AssignAsync(appeal.Id, "mcu", "operator")).Status);
    }

    [Fact]
    public async Task ConcurrentAnswers_AllCommitted_NoLostUpdate()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => f.Desk.AnswerAsync(appeal.Id, new UnitAnswer($"Промежуточный ответ {i}", false)).AsTask())));

        var stored = (await f.Desk.GetAsync(appeal.Id))!;
        Assert.Equal(7, stored.Replies.Count);
        Assert.Equal(7, (await f.Desk.GetRepliesAsync(appeal.Id)).Count);
        Assert.Equal(7, stored.Version);
    }
}
