using Mcu.Sdk;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Routing;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mcu.Samples.Console.Hosting;

/// <summary>
/// The SDK composed the way a host composes it — <c>services.AddMcu(...)</c> with the in-memory store — on a simulated clock,
/// with a loopback reply sender for every channel the sample knows. The background services are not started: the sample
/// pumps the dispatcher and the SLA monitor itself (<see cref="PumpAsync"/>), which keeps every run deterministic.
/// <see cref="StartHostedAsync"/> composes the same SDK as a running host instead: on the system clock, with the SDK's
/// background services (reply dispatcher, SLA monitor) started by the generic host.
/// </summary>
internal sealed class McuRuntime : IAsyncDisposable
{
    /// <summary>The time zone of the simulated city centre (Krasnodar lives on Moscow time).</summary>
    public static readonly TimeSpan CityOffset = TimeSpan.FromHours(3);

    private readonly IServiceProvider _provider;
    private readonly IHost? _host;
    private readonly SimulatedClock? _clock;

    private McuRuntime(IServiceProvider provider, IHost? host, TimeProvider time, SimulatedClock? clock, IReadOnlyList<LoopbackChannel> channels, RunCounters counters)
    {
        _provider = provider;
        _host = host;
        _clock = clock;
        Time = time;
        Channels = channels;
        Counters = counters;
        Desk = provider.GetRequiredService<IAppealDesk>();
        Dispatcher = provider.GetRequiredService<IReplyDispatcher>();
        Monitor = provider.GetRequiredService<SlaMonitor>();
        Store = provider.GetRequiredService<IAppealStore>();
        Classifier = provider.GetRequiredService<IAppealClassifier>();
        Router = provider.GetRequiredService<IAppealRouter>();
    }

    /// <summary>Gets the channels the sample answers through: each has a loopback sender that records what it delivers.</summary>
    public static IReadOnlyList<ChannelId> KnownChannels { get; } =
        [ChannelId.Monitoring, ChannelId.Vk, ChannelId.Ok, ChannelId.Telegram, ChannelId.Pos];

    /// <summary>Gets the simulated clock.</summary>
    /// <exception cref="InvalidOperationException">The runtime is a hosted one, on the system clock.</exception>
    public SimulatedClock Clock => _clock ?? throw new InvalidOperationException("A hosted runtime runs on the system clock.");

    /// <summary>Gets the clock every component reads: the simulated clock, or the system clock of a hosted runtime.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the loopback channels, one per <see cref="KnownChannels"/> entry (none when the senders were given).</summary>
    public IReadOnlyList<LoopbackChannel> Channels { get; }

    /// <summary>Gets the event counters of the run.</summary>
    public RunCounters Counters { get; }

    /// <summary>Gets the desk.</summary>
    public IAppealDesk Desk { get; }

    /// <summary>Gets the reply dispatcher.</summary>
    public IReplyDispatcher Dispatcher { get; }

    /// <summary>Gets the SLA monitor.</summary>
    public SlaMonitor Monitor { get; }

    /// <summary>Gets the store.</summary>
    public IAppealStore Store { get; }

    /// <summary>Gets the classifier the desk uses.</summary>
    public IAppealClassifier Classifier { get; }

    /// <summary>Gets the router the desk uses.</summary>
    public IAppealRouter Router { get; }

    /// <summary>Composes the SDK on a simulated clock, without starting its background services.</summary>
    /// <param name="clock">The clock every component reads.</param>
    /// <param name="verbose">Whether the SDK's log goes to standard error.</param>
    /// <param name="configure">More configuration of the SDK, or <see langword="null"/>.</param>
    /// <param name="senders">The reply senders, or <see langword="null"/> for a loopback channel per <see cref="KnownChannels"/> entry.</param>
    /// <returns>The runtime.</returns>
    public static McuRuntime Create(SimulatedClock clock, bool verbose, Action<IMcuBuilder>? configure = null, IReadOnlyList<IReplySender>? senders = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var services = new ServiceCollection();
        var counters = new RunCounters();
        var channels = Register(services, clock, verbose, counters, configure, senders);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new McuRuntime(provider, null, clock, clock, channels, counters);
    }

    /// <summary>
    /// Composes the SDK as a running host does: the generic host on the system clock, with the SDK's background services
    /// started (the reply dispatcher delivers the outbox, the SLA monitor raises its steps).
    /// </summary>
    /// <param name="verbose">Whether the SDK's log goes to standard error.</param>
    /// <param name="configure">More configuration of the SDK, or <see langword="null"/>.</param>
    /// <param name="senders">The reply senders, or <see langword="null"/> for a loopback channel per <see cref="KnownChannels"/> entry.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The started runtime; disposing it stops the host.</returns>
    public static async Task<McuRuntime> StartHostedAsync(bool verbose, Action<IMcuBuilder>? configure, IReadOnlyList<IReplySender>? senders, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true }));
        var counters = new RunCounters();
        var channels = Register(builder.Services, TimeProvider.System, verbose, counters, configure, senders);

        // The command owns the process's lifetime (Ctrl+C cancels it, and disposing the runtime stops the host): the host
        // neither hooks the console's signals nor announces itself.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new McuRuntime(host.Services, host, TimeProvider.System, null, channels, counters);
    }

    private static LoopbackChannel[] Register(IServiceCollection services, TimeProvider clock, bool verbose, RunCounters counters, Action<IMcuBuilder>? configure, IReadOnlyList<IReplySender>? senders)
    {
        services.AddLogging(logging =>
        {
            if (verbose)
            {
                logging.SetMinimumLevel(LogLevel.Information);
                logging.AddSimpleConsole(o => o.SingleLine = true);
                logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });

        var channels = senders is null ? KnownChannels.Select(id => new LoopbackChannel(id)).ToArray() : [];
        services.AddMcu(mcu =>
        {
            mcu.UseTimeProvider(clock)
                .UseInMemoryStore()
                .AddEventSubscriber(counters)
                .ConfigureSla(sla =>
                {
                    // ПОС appeals are official ones: Federal Law 59-ФЗ (registration, 30 days). Every other channel keeps the
                    // default operational profile: 4 business hours to the first answer, urgent ones 1 hour around the clock.
                    sla.Rules.Add(new SlaRule { Name = "official", Channels = { ChannelId.Pos.Value }, Profile = SlaProfiles.Legal59Fz });
                });
            foreach (var sender in senders ?? channels)
            {
                mcu.AddReplySender(sender);
            }

            configure?.Invoke(mcu);
        });
        return channels;
    }

    /// <summary>Delivers every reply that is due and raises every SLA step that is due, at the clock's current time.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when both are done.</returns>
    public async ValueTask PumpAsync(CancellationToken cancellationToken)
    {
        await Dispatcher.DispatchDueAsync(cancellationToken).ConfigureAwait(false);
        await Monitor.CheckAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the report of a period at the clock's current time.</summary>
    /// <param name="from">The start of the period, or <see langword="null"/>.</param>
    /// <param name="to">The end of the period, or <see langword="null"/>.</param>
    /// <param name="offset">The offset the report's times are written in.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The report.</returns>
    public ValueTask<AppealReport> BuildReportAsync(DateTimeOffset? from, DateTimeOffset? to, TimeSpan offset, CancellationToken cancellationToken) =>
        AppealReport.BuildAsync(Store, Time.GetUtcNow().ToOffset(offset), from, to, cancellationToken);

    /// <summary>Gets the display name of a unit, as the citizen reads it.</summary>
    /// <param name="unitId">The unit id.</param>
    /// <returns>The name, or the id when the unit is unknown.</returns>
    public string UnitName(string unitId) => Router is RuleBasedRouter router ? router.GetUnitName(unitId) : unitId;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            try
            {
                await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _host.Dispose();
            }
        }
        else if (_provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The lifetime of a host that lives inside a command: started and stopped by the command, deaf to console signals.</summary>
internal sealed class CommandLifetime : IHostLifetime
{
    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
