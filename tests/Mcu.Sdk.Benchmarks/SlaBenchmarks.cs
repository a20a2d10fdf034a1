using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Benchmarks;

/// <summary>
/// Deadline computations of the SLA engine: one operation is one deadline (the benchmarks loop over 1,024 prepared starts), so the
/// reported time per operation is the time per deadline and 10⁹ / ns is deadlines per second on one thread.
/// </summary>
[MemoryDiagnoser]
public class SlaDeadlineBenchmarks
{
    private const int Batch = 1024;
    private readonly DateTimeOffset[] _starts = new DateTimeOffset[Batch];
    private readonly TimeSpan[] _durations = new TimeSpan[Batch];
    private readonly Appeal[] _appeals = new Appeal[Batch];
    private BusinessCalendar _calendar = BusinessCalendar.Default;
    private SlaEngine _engine = null!;

    /// <summary>Prepares random starts over 2025–2026 (Moscow calendar), durations up to ten working days, and a mix of appeals.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(59);
        _calendar = BusinessCalendar.Default;
        var options = new SlaOptions();
        options.Rules.Add(new SlaRule { Name = "official", Channels = { "pos" }, Profile = SlaProfiles.Legal59Fz });
        _engine = new SlaEngine(Options.Create(options));
        ChannelId[] channels = [ChannelId.Telegram, ChannelId.Vk, ChannelId.Monitoring, ChannelId.Pos];
        for (var i = 0; i < Batch; i++)
        {
            _starts[i] = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.NextInt64(0, 2L * 365 * 24 * 3600));
            _durations[i] = TimeSpan.FromMinutes(random.Next(1, 10 * 8 * 60));
            var urgent = random.NextDouble() < 0.05;
            _appeals[i] = new Appeal
            {
                Id = Guid.CreateVersion7(_starts[i]),
                Number = i + 1,
                Channel = channels[random.Next(channels.Length)],
                ExternalId = $"m{i}",
                ConversationKey = $"c{i}",
                ReplyAddress = new ReplyAddress(ChannelId.Telegram, $"c{i}", null, null),
                Author = new Author($"u{i}"),
                Text = "Яма на дороге",
                ReceivedAt = _starts[i],
                Classification = new AppealClassification(TopicCode.Roads, null, urgent, false, 0.9, []),
                Priority = urgent ? AppealPriority.Urgent : AppealPriority.Normal,
                Status = AppealStatus.Routed,
                UnitId = "transport-roads",
            };
        }

        // Build the calendar years once, as a running host has them.
        foreach (var start in _starts)
        {
            _calendar.AddBusinessTime(start, TimeSpan.FromDays(30));
        }
    }

    /// <summary>A deadline in business time (<see cref="SlaTimeMode.Business"/>): the core of the operational first-answer clock.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long BusinessTimeDeadline()
    {
        long sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += SlaClock.AddTime(_calendar, SlaTimeMode.Business, _starts[i], _durations[i]).UtcTicks;
        }

        return sum;
    }

    /// <summary>A legal term in calendar days, ending on a working day (<see cref="SlaTimeMode.CalendarDays"/>).</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long CalendarDaysDeadline()
    {
        long sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += SlaClock.AddTime(_calendar, SlaTimeMode.CalendarDays, _starts[i], TimeSpan.FromDays(30)).UtcTicks;
        }

        return sum;
    }

    /// <summary>A whole policy: rule selection and every clock of the profile (operational: two clocks; legal: two clocks) with their records.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long ComputeDeadlines()
    {
        long sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += _engine.ComputeDeadlines(_appeals[i]).FirstAnswerDue.UtcTicks;
        }

        return sum;
    }
}

/// <summary>
/// The cost of one SLA monitor tick with <see cref="Scheduled"/> open appeals scheduled and <see cref="Due"/> of them due: a tick peeks
/// the priority queue and touches only the due appeals, so its cost does not grow with the number of open appeals.
/// </summary>
/// <remarks>
/// The store is a fake that serves the due appeals from memory (a first-answer clock two hours overdue, with the 50 %, 80 % and 100 % steps of
/// the operational ladder to raise) and accepts
/// every update, so the figure is the monitor's own work: dequeuing, reading, computing the due steps, recording them, publishing.
/// </remarks>
[MemoryDiagnoser]
public class SlaMonitorBenchmarks : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 15, 0, 0, TimeSpan.FromHours(3));
    private readonly FixedClock _clock = new(Now);
    private ServiceProvider _services = null!;
    private SlaMonitor _monitor = null!;
    private Guid[] _due = [];

    /// <summary>Gets or sets how many open appeals are scheduled.</summary>
    [Params(10_000, 1_000_000)]
    public int Scheduled { get; set; }

    /// <summary>Gets or sets how many of them are due at the tick.</summary>
    [Params(0, 100)]
    public int Due { get; set; }

    /// <summary>Fills the monitor: the appeals not due are spread over the next 30 days.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var engine = new SlaEngine(Options.Create(new SlaOptions()));
        var store = new DueAppealStore(engine, Now.AddHours(-6));
        _services = new ServiceCollection().BuildServiceProvider();
        _monitor = new SlaMonitor(store, _services, engine, _clock, NullLogger<SlaMonitor>.Instance);
        _monitor.CheckAsync().AsTask().GetAwaiter().GetResult(); // loads the (empty) store once
        var random = new Random(1_000_000);
        for (var i = 0; i < Scheduled - Due; i++)
        {
            _monitor.Schedule(Guid.CreateVersion7(), Now.AddSeconds(1 + random.Next(30 * 24 * 3600)));
        }

        _due = [.. Enumerable.Range(0, Due).Select(_ => store.AddDueAppeal())];
    }

    /// <summary>Releases the monitor and the service provider.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _monitor?.Dispose();
        _services?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One tick: the due appeals are (re)scheduled as due now, then checked; each raises three ladder steps.</summary>
    /// <returns>The number of events raised.</returns>
    [Benchmark]
    public async Task<int> Tick()
    {
        foreach (var id in _due)
        {
            _monitor.Schedule(id, Now.AddMinutes(-1));
        }

        return await _monitor.CheckAsync().ConfigureAwait(false);
    }

    /// <summary>A clock that stands still.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>
    /// Serves overdue appeals by id and accepts updates (returning the appeal closed, so the monitor forgets it until the next tick
    /// schedules it again). Only the members the monitor uses are supported.
    /// </summary>
    private sealed class DueAppealStore(SlaEngine engine, DateTimeOffset receivedAt) : IAppealStore
    {
        private readonly Dictionary<Guid, Appeal> _appeals = [];

        public Guid AddDueAppeal()
        {
            var appeal = new Appeal
            {
                Id = Guid.CreateVersion7(),
                Number = _appeals.Count + 1,
                Channel = ChannelId.Telegram,
                ExternalId = $"m{_appeals.Count}",
                ConversationKey = $"c{_appeals.Count}",
                ReplyAddress = new ReplyAddress(ChannelId.Telegram, $"c{_appeals.Count}", null, null),
                Author = new Author($"u{_appeals.Count}"),
                Text = "Яма на дороге",
                ReceivedAt = receivedAt,
                Classification = new AppealClassification(TopicCode.Roads, null, false, false, 0.9, []),
                Status = AppealStatus.Routed,
                UnitId = "transport-roads",
            };
            appeal = appeal with { Deadlines = engine.ComputeDeadlines(appeal) };
            _appeals.Add(appeal.Id, appeal);
            return appeal.Id;
        }

        public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(_appeals.GetValueOrDefault(id));

        public ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(appeal with { Status = AppealStatus.Closed, Version = appeal.Version + 1 });

        public IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, CancellationToken cancellationToken = default) => Empty();

        public ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default) => throw Unsupported();

        public ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) => throw Unsupported();

        public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default) => throw Unsupported();

        public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default) => throw Unsupported();

        public ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default) => throw Unsupported();

        public ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default) => throw Unsupported();

        public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default) => throw Unsupported();

        public IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, CancellationToken cancellationToken = default) => throw Unsupported();

        private static NotSupportedException Unsupported([CallerMemberName] string member = "") =>
            new($"The benchmark store serves only the SLA monitor; {member} is not part of that.");

#pragma warning disable CS1998 // an empty async stream
        private static async IAsyncEnumerable<Appeal> Empty()
        {
            yield break;
        }
#pragma warning restore CS1998
    }
}
