using Mcu.Sdk.Testing;

namespace Mcu.Sdk.Tests.Desk;

/// <summary>The operational clocks through the desk: answers, follow-ups, reopening, pauses in business time, closing.</summary>
public sealed class SlaClockDeskTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    [Fact]
    public async Task FollowUpAfterInterimAnswer_StartsNextAnswerClock_MetByTheNextAnswer()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat"))).Appeal;
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Передали бригаде.", false));

        f.Clock.Advance(TimeSpan.FromHours(1)); // Monday 10:30 Moscow
        var followed = (await f.Desk.IngestAsync(f.Message("А когда приедут?", conversation: "chat"))).Appeal;
        var next = followed.Deadlines!.GetTimer(SlaTimerKind.NextAnswer)!;
        Assert.Equal(("next-answer-1", f.Clock.GetUtcNow()), (next.Key, next.StartedAt));
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 15, 30, 0, Moscow), next.DueAt); // 10:30–13:00 and 14:00–15:30

        // A second message while the answer is owed does not start another clock.
        var again = (await f.Desk.IngestAsync(f.Message("Ау?", conversation: "chat"))).Appeal;
        Assert.Single(again.Deadlines!.Timers, t => t.Kind == SlaTimerKind.NextAnswer);

        f.Clock.Advance(TimeSpan.FromHours(1));
        var answered = await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Бригада будет завтра.", false));
        Assert.Equal(f.Clock.GetUtcNow(), answered.Deadlines!.GetTimer(SlaTimerKind.NextAnswer)!.MetAt);
        Assert.Equal(appeal.ReceivedAt.AddMinutes(30), answered.Deadlines.GetTimer(SlaTimerKind.FirstAnswer)!.MetAt);
        Assert.True(answered.Deadlines.GetTimer(SlaTimerKind.Resolution)!.IsRunning);
    }

    [Fact]
    public async Task FollowUpBeforeFirstAnswer_NoNextAnswerClock()
    {
        await using var f = new DeskFixture();
        await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat"));
        var followed = (await f.Desk.IngestAsync(f.Message("Фото прилагаю", conversation: "chat"))).Appeal;
        Assert.Null(followed.Deadlines!.GetTimer(SlaTimerKind.NextAnswer));
    }

    [Fact]
    public async Task ReopenAsync_StartsNextAnswerClock_EscalatedLikeAnyOther()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Сделано.", true));
        var reopened = await f.Desk.RateAsync(appeal.Id, 1);
        Assert.Equal(AppealStatus.Reopened, reopened.Status);
        var next = reopened.Deadlines!.GetTimer(SlaTimerKind.NextAnswer)!;
        Assert.True(next.IsRunning);
        Assert.Equal(f.Clock.GetUtcNow(), reopened.Deadlines.GetTimer(SlaTimerKind.Resolution)!.MetAt);

        f.Clock.Advance(TimeSpan.FromHours(4)); // 13:00: the next answer is due
        await f.Monitor.CheckAsync();
        Assert.Equal("next-answer-1:centre-head", Assert.Single(f.Events.Of(AppealEventKind.SlaBreached)).Detail);
    }

    [Fact]
    public async Task Clarification_PausedOverTheWeekend_MovesDeadlineByBusinessTimeOnly()
    {
        // Received Friday 20 Nov 2026 at 16:00 Moscow time: the first answer is due on Monday at 11:00.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 16, 0, 0, Moscow));
        await using var f = new DeskFixture(clock: clock);
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat"))).Appeal;
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 0, 0, Moscow), appeal.Deadlines!.FirstAnswerDue);

        clock.Advance(TimeSpan.FromHours(1)); // Friday 17:00
        await f.Desk.RequestClarificationAsync(appeal.Id, "Уточните адрес.", "operator");
        clock.Advance(TimeSpan.FromHours(65)); // Monday 10:00: 65 hours passed, of which 2 business hours (Fri 17–18, Mon 9–10)
        var resumed = (await f.Desk.IngestAsync(f.Message("Красная, 12", conversation: "chat"))).Appeal;

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 13, 0, 0, Moscow), resumed.Deadlines!.FirstAnswerDue);
        Assert.Equal(TimeSpan.FromHours(2), resumed.Deadlines.GetTimer(SlaTimerKind.FirstAnswer)!.Paused);
        Assert.Equal(TimeSpan.FromDays(3), resumed.Deadlines.GetTimer(SlaTimerKind.Resolution)!.Paused); // Friday → Monday: three dates
        var entries = resumed.History.Where(h => h.Kind == AppealHistoryKind.Clock).Select(h => h.Description).ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Contains("first-answer +02:00 business", entries[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clarification_AfterTheDeadline_BreachStaysAndDeadlineDoesNotMove()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма", conversation: "chat"))).Appeal;
        f.Clock.Advance(TimeSpan.FromHours(5)); // 14:00, after the 13:00 deadline
        await f.Desk.RequestClarificationAsync(appeal.Id, "Уточните адрес.", "operator");
        f.Clock.Advance(TimeSpan.FromHours(2));
        var resumed = (await f.Desk.IngestAsync(f.Message("Красная, 12", conversation: "chat"))).Appeal;
        Assert.Equal(appeal.Deadlines!.FirstAnswerDue, resumed.Deadlines!.FirstAnswerDue);
    }

    [Fact]
    public async Task CloseAndReject_StopTheRunningClocks()
    {
        await using var f = new DeskFixture();
        var answered = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Desk.AnswerAsync(answered.Id, new UnitAnswer("Сделано.", true));
        var closed = await f.Desk.CloseAsync(answered.Id, "operator");
        Assert.All(closed.Deadlines!.Timers, t => Assert.False(t.IsRunning));

        var rejected = (await f.Desk.IngestAsync(f.Message("[topic:roads] реклама"))).Appeal;
        rejected = await f.Desk.RejectAsync(rejected.Id, "operator", "spam");
        Assert.All(rejected.Deadlines!.Timers, t => Assert.Equal(f.Clock.GetUtcNow(), t.CancelledAt));
        Assert.Equal(0, f.Monitor.ScheduledCount);
    }
}
