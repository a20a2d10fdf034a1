using Mcu.Sdk.Classification;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Sla;

public sealed class SlaMonitorTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    [Fact]
    public async Task CheckAsync_UnansweredAppeal_RaisesEachLadderStepExactlyOnce()
    {
        // Monday 16 Nov 2026, 09:00 Moscow time; the first answer is due in 4 business hours (13:00).
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;

        f.Clock.Advance(TimeSpan.FromMinutes(119)); // 10:59: below 50 %
        Assert.Equal(0, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(1)); // 11:00: 50 % → remind the unit
        Assert.Equal(1, await f.Monitor.CheckAsync());
        Assert.Equal(0, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(72)); // 12:12: 80 % → the unit head
        Assert.Equal(1, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(48)); // 13:00: 100 % → the centre head
        Assert.Equal(1, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(179)); // 15:59: 150 % is 6 business hours, at 16:00 after lunch
        Assert.Equal(0, await f.Monitor.CheckAsync());
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await f.Monitor.CheckAsync());
        Assert.Equal(0, await f.Monitor.CheckAsync());

        Assert.Equal(["first-answer:remind-unit", "first-answer:unit-head"], f.Events.Of(AppealEventKind.SlaWarning).Select(e => e.Detail));
        Assert.Equal("first-answer:centre-head", Assert.Single(f.Events.Of(AppealEventKind.SlaBreached)).Detail);
        Assert.Equal("first-answer:regional-centre", Assert.Single(f.Events.Of(AppealEventKind.SlaEscalated)).Detail);
        var stored = (await f.Desk.GetAsync(appeal.Id))!;
        Assert.Equal(["first-answer:remind-unit", "first-answer:unit-head", "first-answer:centre-head", "first-answer:regional-centre"], stored.RaisedSlaSteps);
        Assert.Equal(4, stored.History.Count(h => h.Kind == AppealHistoryKind.Sla));
        Assert.Contains(stored.History, h => h.Kind == AppealHistoryKind.Sla && h.Description.Contains("notify regional-centre", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_FridayEvening_StepsCountBusinessTimeOverTheWeekend()
    {
        // Friday 20 Nov 2026, 17:00 Moscow: 1 business hour on Friday, the rest on Monday; 50 % (2 h) is Monday 10:00.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 17, 0, 0, Moscow));
        await using var f = new DeskFixture(clock: clock);
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, Moscow), appeal.Deadlines!.FirstAnswerDue);

        clock.Advance(TimeSpan.FromHours(40)); // Sunday 09:00
        Assert.Equal(0, await f.Monitor.CheckAsync());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, Moscow), f.Monitor.NextDueAt);
        clock.Advance(TimeSpan.FromHours(25)); // Monday 10:00
        Assert.Equal(1, await f.Monitor.CheckAsync());
        Assert.Equal("first-answer:remind-unit", Assert.Single(f.Events.Of(AppealEventKind.SlaWarning)).Detail);
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
        Assert.DoesNotContain(f.Events.All, e => e.Kind is AppealEventKind.SlaWarning or AppealEventKind.SlaBreached or AppealEventKind.SlaEscalated);
    }

    [Fact]
    public async Task CheckAsync_AcrossSimulatedRestart_RaisesEveryStepExactlyOnce()
    {
        var store = new InMemoryAppealStore();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 16, 6, 0, 0, TimeSpan.Zero));
        Guid id;
        await using (var first = new DeskFixture(store: store, clock: clock))
        {
            id = (await first.Desk.IngestAsync(first.Message("[topic:roads] яма"))).Appeal.Id;
            clock.Advance(TimeSpan.FromMinutes(195)); // 12:15 Moscow: 50 % and 80 % are due
            Assert.Equal(2, await first.Monitor.CheckAsync());
        }

        // A new process over the same store: the monitor loads the open appeals and raises only what was not raised.
        await using var second = new DeskFixture(store: store, clock: clock);
        Assert.Equal(0, await second.Monitor.CheckAsync());
        Assert.Empty(second.Events.All);
        clock.Advance(TimeSpan.FromMinutes(45)); // 13:00: the breach
        Assert.Equal(1, await second.Monitor.CheckAsync());
        Assert.Equal("first-answer:centre-head", Assert.Single(second.Events.Of(AppealEventKind.SlaBreached)).Detail);

        // And a third process after more time: only the 150 % step, once.
        await using var third = new DeskFixture(store: store, clock: clock);
        clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, await third.Monitor.CheckAsync());
        Assert.Equal(0, await third.Monitor.CheckAsync());
        Assert.Equal("first-answer:regional-centre", Assert.Single(third.Events.All).Detail);
        var raised = (await store.GetAsync(id))!.RaisedSlaSteps;
        Assert.Equal(4, raised.Count);
        Assert.Equal(raised.Count, raised.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task CheckAsync_PausedClock_RaisesNothingWhileWaitingForCitizen()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        await f.Desk.RequestClarificationAsync(appeal.Id, "Где именно?", "operator");
        f.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await f.Monitor.CheckAsync());
        Assert.Equal(0, f.Monitor.ScheduledCount);
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
        f.Clock.Advance(TimeSpan.FromMinutes(195)); // 12:15 Moscow
        // Roads (4 business hours) pass 50 % (11:00) and 80 % (12:12); waste (8 business hours) reaches 50 % only at 13:00.
        Assert.Equal(200, await f.Monitor.CheckAsync());
        Assert.Equal(200, f.Events.Of(AppealEventKind.SlaWarning).Count);
        Assert.All(f.Events.Of(AppealEventKind.SlaWarning), e => Assert.Equal(TopicCode.Roads, e.Appeal.Topic));
    }

    [Fact]
    public async Task CheckAsync_HundredThousandScheduled_ReadsOnlyTheDueAppeals()
    {
        var store = new CountingStore();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 16, 6, 0, 0, TimeSpan.Zero));
        var engine = new SlaEngine(Options.Create(new SlaOptions()));
        await using var services = new ServiceCollection().BuildServiceProvider();
        using var monitor = new SlaMonitor(store, services, engine, clock, NullLogger<SlaMonitor>.Instance);
        Assert.Equal(0, await monitor.CheckAsync()); // loads the (empty) store

        // 100,000 appeals due next year, and 10 real appeals whose 50 % step is due in two hours.
        var later = clock.GetUtcNow().AddYears(1);
        for (var i = 0; i < 100_000; i++)
        {
            monitor.Schedule(Guid.CreateVersion7(), later.AddSeconds(i));
        }

        for (var i = 0; i < 10; i++)
        {
            var appeal = Some.Appeal(clock.GetUtcNow()) with { Id = Guid.CreateVersion7(), Number = i + 1, ExternalId = $"x{i}", Status = AppealStatus.Routed };
            appeal = appeal with { Deadlines = engine.ComputeDeadlines(appeal) };
            await store.AddAsync(appeal, []);
            monitor.Schedule(appeal);
        }

        Assert.Equal(100_010, monitor.ScheduledCount);
        clock.Advance(TimeSpan.FromHours(1));
        store.Reads = 0;
        Assert.Equal(0, await monitor.CheckAsync());
        Assert.Equal(0, store.Reads);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(10, await monitor.CheckAsync());
        Assert.Equal(10, store.Reads);
        Assert.Equal(100_010, monitor.ScheduledCount); // each real appeal is rescheduled at its next step
    }

    /// <summary>An in-memory store that counts appeal reads by id.</summary>
    private sealed class CountingStore : IAppealStore
    {
        private readonly InMemoryAppealStore _inner = new();

        public int Reads { get; set; }

        public ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default) => _inner.NextAppealNumberAsync(cancellationToken);

        public ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) =>
            _inner.AddAsync(appeal, outbox, cancellationToken);

        public ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) =>
            _inner.UpdateAsync(appeal, outbox, cancellationToken);

        public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default)
        {
            Reads++;
            return _inner.GetAsync(id, cancellationToken);
        }

        public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default) =>
            _inner.FindByMessageAsync(channel, externalId, cancellationToken);

        public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default) =>
            _inner.FindOpenByConversationAsync(channel, conversationKey, cancellationToken);

        public IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default) =>
            _inner.LeaseOutboxAsync(now, maxCount, leaseDuration, owner, cancellationToken);

        public ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default) =>
            _inner.UpdateOutboxAsync(message, leaseOwner, cancellationToken);

        public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default) =>
            _inner.GetOutboxAsync(appealId, cancellationToken);

        public IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, CancellationToken cancellationToken = default) =>
            _inner.QueryOutboxAsync(status, cancellationToken);
    }
}
