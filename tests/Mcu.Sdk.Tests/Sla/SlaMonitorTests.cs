using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;

namespace Mcu.Sdk.Tests.Sla;

public sealed class SlaMonitorTests
{
    [Fact]
    public async Task CheckAsync_UnansweredAppeal_RaisesWarningThenBreachExactlyOnce()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;

        f.Clock.Advance(TimeSpan.FromHours(3)); // 75% of 4 h: nothing yet
        Assert.Equal(0, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(12)); // 80%
        Assert.Equal(1, await f.Monitor.CheckAsync());
        Assert.Equal(0, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(48)); // 4 h: breach
        Assert.Equal(1, await f.Monitor.CheckAsync());
        Assert.Equal(0, await f.Monitor.CheckAsync());

        Assert.Equal("first-answer:warning", Assert.Single(f.Events.Of(AppealEventKind.SlaWarning)).Detail);
        Assert.Equal("first-answer:breach", Assert.Single(f.Events.Of(AppealEventKind.SlaBreached)).Detail);
        var stored = (await f.Desk.GetAsync(appeal.Id))!;
        Assert.Equal(["first-answer:warning", "first-answer:breach"], stored.RaisedSlaSteps);
        Assert.Equal(2, stored.History.Count(h => h.Kind == AppealHistoryKind.Sla));
    }

    [Fact]
    public async Task CheckAsync_AnsweredInTime_RaisesNoFirstAnswerStep()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Monitor.CheckAsync();
        f.Clock.Advance(TimeSpan.FromHours(1));
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Принято в работу.", false));
        f.Clock.Advance(TimeSpan.FromHours(10));
        Assert.Equal(0, await f.Monitor.CheckAsync());
        Assert.Empty(f.Events.Of(AppealEventKind.SlaBreached));
    }

    [Fact]
    public async Task CheckAsync_AfterRestart_DoesNotRaiseAgain()
    {
        var store = new InMemoryAppealStore();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 16, 6, 0, 0, TimeSpan.Zero));
        Guid id;
        await using (var first = new DeskFixture(store: store, clock: clock))
        {
            id = (await first.Desk.IngestAsync(first.Message("[topic:roads] яма"))).Appeal.Id;
            clock.Advance(TimeSpan.FromHours(5));
            Assert.Equal(2, await first.Monitor.CheckAsync());
        }

        // A new process over the same store: the monitor loads open appeals and finds nothing new to raise.
        await using var second = new DeskFixture(store: store, clock: clock);
        Assert.Equal(0, await second.Monitor.CheckAsync());
        Assert.Empty(second.Events.All);
        clock.Advance(TimeSpan.FromDays(24)); // resolution warning at 80% of 30 days
        Assert.Equal(1, await second.Monitor.CheckAsync());
        Assert.Equal("resolution:warning", Assert.Single(second.Events.Of(AppealEventKind.SlaWarning)).Detail);
        Assert.Equal(3, (await store.GetAsync(id))!.RaisedSlaSteps.Count);
    }

    [Fact]
    public async Task CheckAsync_PausedClock_RaisesNothingWhileWaitingForCitizen()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Desk.RequestClarificationAsync(appeal.Id, "Где именно?", "operator");
        f.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await f.Monitor.CheckAsync());
    }

    [Fact]
    public async Task CheckAsync_ManyAppeals_OnlyDueOnesAreTouched()
    {
        await using var f = new DeskFixture(mcu => mcu.ConfigureSla(o => o.Rules.Add(new SlaRule { Topics = { "waste" }, FirstAnswer = TimeSpan.FromHours(8) })));
        for (var i = 0; i < 200; i++)
        {
            await f.Desk.IngestAsync(f.Message(i % 2 == 0 ? "[topic:roads] яма" : "[topic:waste] мусор"));
        }

        await f.Monitor.CheckAsync();
        Assert.Equal(200, f.Monitor.ScheduledCount);
        f.Clock.Advance(TimeSpan.FromHours(4));
        // Roads (4 h) reach warning and breach; waste (8 h) is only at 50%.
        Assert.Equal(200, await f.Monitor.CheckAsync());
        Assert.Equal(100, f.Events.Of(AppealEventKind.SlaBreached).Count);
        Assert.Equal(100, f.Events.Of(AppealEventKind.SlaWarning).Count);
    }

    [Fact]
    public void Validate_BadOptions_ClearMessages()
    {
        var options = new SlaOptions { FirstAnswer = TimeSpan.FromDays(40), WarningThreshold = 1.5 };
        options.Rules.Add(new SlaRule { Name = "r", Topics = { "Дороги" }, FirstAnswer = TimeSpan.Zero });
        var result = new SlaOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("must not be shorter than Sla:FirstAnswer", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("WarningThreshold", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("SLA rule r: FirstAnswer must be positive", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("invalid topic code 'Дороги'", result.FailureMessage, StringComparison.Ordinal);
    }
}
