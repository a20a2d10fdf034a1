using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Mcu.Sdk.Testing.Conformance;

/// <summary>
/// The conformance suite every channel adapter passes: derive a test class from it, return your driver from
/// <see cref="CreateDriver"/>, and the inherited tests prove that duplicate intake is one appeal, replies land in the original
/// thread, long texts are split within the channel's limit, transient errors are retried and permanent ones are not,
/// cancellation is honoured, and secrets never reach a log.
/// </summary>
/// <remarks>
/// <para>
/// Each test builds the SDK on in-memory defaults with a <see cref="ManualTimeProvider"/> (retries, retry-after waits and rate
/// limits run on it, without real waiting), a fixed classifier, Trace-level logging into <see cref="Logs"/>, and the adapter
/// from <see cref="ChannelAdapterDriver.AddAdapter"/>. The reply dispatcher is driven directly; no hosted service runs.
/// </para>
/// <para>Override a test (it is virtual) only to add assertions; a channel without threads reports it through its capabilities.</para>
/// </remarks>
public abstract class ChannelAdapterConformanceTests : IAsyncLifetime
{
    private ChannelAdapterDriver? _driver;
    private ServiceProvider? _services;

    /// <summary>Gets the manual clock the SDK runs on.</summary>
    protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 16, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Gets every log entry and scope the SDK and the adapter wrote during the test.</summary>
    protected CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Gets the driver of this test.</summary>
    protected ChannelAdapterDriver Driver => _driver ?? throw new InvalidOperationException("The suite is not initialized.");

    /// <summary>Gets the SDK's services of this test.</summary>
    protected IServiceProvider Services => _services ?? throw new InvalidOperationException("The suite is not initialized.");

    /// <summary>Gets the real time a single operation may take before the test fails (it guards against hangs, not for speed).</summary>
    protected virtual TimeSpan RealTimeLimit => TimeSpan.FromSeconds(20);

    /// <summary>Creates the driver of one test.</summary>
    /// <returns>A new driver.</returns>
    protected abstract ChannelAdapterDriver CreateDriver();

    /// <summary>Adds configuration of the SDK after the adapter was added (for example options the adapter needs).</summary>
    /// <param name="mcu">The builder.</param>
    protected virtual void ConfigureMcu(IMcuBuilder mcu)
    {
    }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _driver = CreateDriver() ?? throw new InvalidOperationException("CreateDriver returned null.");
        await _driver.StartAsync().ConfigureAwait(false);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddMcu(mcu =>
        {
            mcu.UseTimeProvider(Clock)
                .UseClassifier(_ => new FixedClassifier())
                .ConfigureDispatcher(o =>
                {
                    o.ImmediateRetries = 2;
                    o.RetryDelay = TimeSpan.FromSeconds(1);
                });
            _driver.AddAdapter(mcu);
            ConfigureMcu(mcu);
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }

        if (_driver is not null)
        {
            await _driver.DisposeAsync().ConfigureAwait(false);
        }

        Logs.Dispose();
    }

    /// <summary>The same channel message delivered twice (a webhook redelivery, a polling replay) is one appeal with one acknowledgement.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task Intake_SameMessageTwice_IsOneAppeal()
    {
        var spec = new InboundSpec(1, 1, "Яма на дороге у дома 5 по улице Ленина, машины объезжают по встречной.");
        await InjectAsync(spec);
        await InjectAsync(spec);

        var appeal = Assert.Single(await AppealsAsync());
        Assert.Single(appeal.Messages);
        await DispatchAsync();
        Assert.Single(Driver.Deliveries);
    }

    /// <summary>The acknowledgement goes into the citizen's conversation and thread, as a reply to the citizen's message.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task Reply_Acknowledgement_LandsInTheOriginalThread()
    {
        var threads = Sender.Capabilities.SupportsThreads;
        var probe = await InjectAsync(new InboundSpec(2, 10, "Не горит фонарь во дворе дома 12, вечером совсем темно.") { InThread = threads });

        await DispatchAsync();

        var appeal = Assert.Single(await AppealsAsync());
        var delivery = Assert.Single(Driver.Deliveries);
        Assert.Equal(probe.ConversationId, delivery.ConversationId);
        Assert.Equal(probe.ThreadId, delivery.ThreadId);
        if (threads)
        {
            Assert.Equal(probe.MessageId, delivery.ReplyToMessageId);
        }

        Assert.Contains(appeal.Number.ToString(CultureInfo.InvariantCulture), delivery.Text, StringComparison.Ordinal);
    }

    /// <summary>An answer several times longer than the channel's limit arrives in parts within the limit, in the same place, with nothing lost.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task Reply_LongAnswer_IsSplitWithinTheChannelLimit()
    {
        var limit = Sender.Capabilities.MaxTextLength;
        var probe = await InjectAsync(new InboundSpec(3, 20, "Во дворе дома 7 третью неделю не вывозят мусор.") { InThread = Sender.Capabilities.SupportsThreads });
        await DispatchAsync();
        var before = Driver.Deliveries.Count;
        var appeal = Assert.Single(await AppealsAsync());
        var answer = LongText((limit * 7) / 2);

        await Desk.AnswerAsync(appeal.Id, new UnitAnswer(answer, IsFinal: false));
        await DispatchAsync();

        var parts = Driver.Deliveries.Skip(before).ToArray();
        Assert.True(parts.Length >= 4, $"Expected at least 4 parts of a {answer.Length}-character answer, got {parts.Length}.");
        Assert.All(parts, part =>
        {
            Assert.InRange(part.Text.Length, 1, limit);
            Assert.Equal(probe.ConversationId, part.ConversationId);
            Assert.Equal(probe.ThreadId, part.ThreadId);
        });
        Assert.Contains(Squeeze(answer), Squeeze(string.Concat(parts.Select(p => p.Text))), StringComparison.Ordinal);
        Assert.All(await Store.GetOutboxAsync(appeal.Id), reply => Assert.Equal(OutboxStatus.Delivered, reply.Status));
    }

    /// <summary>A transient failure is retried and the reply is delivered exactly once.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task Reply_TransientError_IsRetriedAndDeliveredOnce()
    {
        Driver.InjectFault(ChannelFault.Transient);
        await InjectAsync(new InboundSpec(4, 30, "На остановке «Школа» разбито стекло павильона."));

        await DispatchAsync();

        var appeal = Assert.Single(await AppealsAsync());
        var reply = Assert.Single(await Store.GetOutboxAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Delivered, reply.Status);
        Assert.Single(Driver.Deliveries);
        Assert.Equal(2, Driver.SendAttempts);
    }

    /// <summary>A permanent failure is not retried: the reply is marked failed after one attempt, with a visible error.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task Reply_PermanentError_IsNotRetried()
    {
        Driver.InjectFault(ChannelFault.Permanent);
        await InjectAsync(new InboundSpec(5, 40, "Сломана скамейка в сквере у фонтана."));

        await DispatchAsync();

        var appeal = Assert.Single(await AppealsAsync());
        var reply = Assert.Single(await Store.GetOutboxAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Failed, reply.Status);
        Assert.False(string.IsNullOrWhiteSpace(reply.LastError));
        Assert.Empty(Driver.Deliveries);
        Assert.Equal(1, Driver.SendAttempts);
    }

    /// <summary>A token canceled before the call stops the sender before anything reaches the channel.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task SendAsync_CanceledToken_ThrowsWithoutDelivering()
    {
        await InjectAsync(new InboundSpec(6, 50, "Открыт люк на тротуаре у дома 3."));
        var appeal = Assert.Single(await AppealsAsync());
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender.SendAsync(Outgoing(appeal, "Проверка отмены."), canceled.Token).AsTask());

        Assert.Empty(Driver.Deliveries);
        Assert.Equal(0, Driver.SendAttempts);
    }

    /// <summary>Canceling while the channel does not answer ends the call promptly with <see cref="OperationCanceledException"/>.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task SendAsync_CanceledWhileTheChannelHangs_Throws()
    {
        await InjectAsync(new InboundSpec(7, 60, "Не работает светофор на перекрёстке Мира и Садовой."));
        var appeal = Assert.Single(await AppealsAsync());
        Driver.InjectFault(ChannelFault.Hang);
        using var cancellation = new CancellationTokenSource();

        var send = Sender.SendAsync(Outgoing(appeal, "Проверка отмены в пути."), cancellation.Token).AsTask();
        await WaitUntilAsync(() => Driver.SendAttempts >= 1 || send.IsCompleted, "the send request reached the channel");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DriveAsync(send));
        Assert.Empty(Driver.Deliveries);
    }

    /// <summary>Intake, retries, failures and replies log nothing that contains a secret, and the stored errors neither.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Fact]
    public virtual async Task Logs_IntakeAndReplies_ContainNoSecret()
    {
        var spec = new InboundSpec(8, 70, "Прорвало трубу, вода течёт по улице Гагарина.");
        Driver.InjectFault(ChannelFault.Transient);
        await InjectAsync(spec);
        await InjectAsync(spec);
        await DispatchAsync();
        var appeal = Assert.Single(await AppealsAsync());
        Driver.InjectFault(ChannelFault.Permanent);
        await Desk.AnswerAsync(appeal.Id, new UnitAnswer("Аварийная бригада выехала.", IsFinal: false));
        await DispatchAsync();
        await Desk.AnswerAsync(appeal.Id, new UnitAnswer("Трубу заменили, воду подали.", IsFinal: true));
        await DispatchAsync();

        Assert.NotEmpty(Logs.Entries);
        var outbox = await Store.GetOutboxAsync(appeal.Id);
        Assert.Contains(outbox, reply => reply.Status == OutboxStatus.Failed);
        foreach (var secret in Driver.Secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            var leaks = Logs.EntriesContaining(secret);
            Assert.True(leaks.Count == 0, $"A secret reached the log: {string.Join(" | ", leaks.Select(l => $"{l.Category}[{l.EventId.Id}]"))}");
            Assert.All(outbox, reply => Assert.DoesNotContain(secret, reply.LastError ?? string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>Gets the desk.</summary>
    protected IAppealDesk Desk => Services.GetRequiredService<IAppealDesk>();

    /// <summary>Gets the store.</summary>
    protected IAppealStore Store => Services.GetRequiredService<IAppealStore>();

    /// <summary>Gets the adapter's reply sender.</summary>
    protected IReplySender Sender =>
        Services.GetRequiredService<IReplySenderProvider>().GetSender(Driver.Channel)
        ?? throw new InvalidOperationException($"The adapter registered no reply sender for channel '{Driver.Channel}'.");

    /// <summary>Delivers a message through the driver, bounded in real time.</summary>
    /// <param name="spec">The message.</param>
    /// <returns>Where it was written.</returns>
    protected Task<InboundProbe> InjectAsync(InboundSpec spec) => DriveAsync(Driver.InjectAsync(Services, spec).AsTask());

    /// <summary>Runs one dispatch pass, moving the manual clock through retries and rate limits.</summary>
    /// <returns>What the pass did.</returns>
    protected Task<DispatchSummary> DispatchAsync() => DriveAsync(Services.GetRequiredService<IReplyDispatcher>().DispatchDueAsync().AsTask());

    /// <summary>Gets the appeals of the driver's channel.</summary>
    /// <returns>The appeals in receipt order.</returns>
    protected async Task<IReadOnlyList<Appeal>> AppealsAsync()
    {
        var appeals = new List<Appeal>();
        await foreach (var appeal in Store.QueryAsync(new AppealQuery { Channel = Driver.Channel }).ConfigureAwait(false))
        {
            appeals.Add(appeal);
        }

        return appeals;
    }

    /// <summary>
    /// Waits for an operation that may do real I/O against the fake channel and wait on the manual clock: whenever the SDK waits
    /// on a timer of <see cref="Clock"/>, the clock moves by 250 ms. Fails after <see cref="RealTimeLimit"/> of real time.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The operation, already started.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="TimeoutException">The operation did not complete in time.</exception>
    protected async Task<T> DriveAsync<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        await DriveAsync((Task)task).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <summary>Waits for an operation like <see cref="DriveAsync{T}(Task{T})"/>.</summary>
    /// <param name="task">The operation, already started.</param>
    /// <returns>A task that completes with the operation.</returns>
    /// <exception cref="TimeoutException">The operation did not complete in time.</exception>
    protected async Task DriveAsync(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var watch = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (watch.Elapsed > RealTimeLimit)
            {
                throw new TimeoutException($"The operation did not complete within {RealTimeLimit} of real time.");
            }

            if (Clock.ActiveTimerCount > 0)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(250));
            }

            await Task.Yield();
        }

        await task.ConfigureAwait(false);
    }

    /// <summary>Waits (in real time, bounded by <see cref="RealTimeLimit"/>) until a condition holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time.</exception>
    protected async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > RealTimeLimit)
            {
                throw new TimeoutException($"Waited {RealTimeLimit} for {what}.");
            }

            await Task.Yield();
        }
    }

    private static OutgoingMessage Outgoing(Appeal appeal, string text) =>
        new(appeal.ReplyAddress, text, $"conformance:{appeal.Id:N}:{Guid.NewGuid():N}") { AppealId = appeal.Id, Kind = ReplyKind.Notice };

    /// <summary>A text of Russian words and sentences of about <paramref name="length"/> characters.</summary>
    private static string LongText(int length)
    {
        string[] sentences =
        [
            "Бригада обследовала участок дороги и составила акт.",
            "Ремонт покрытия включён в план работ текущего месяца.",
            "Подрядчик обязан восстановить разметку после ремонта.",
            "Ход работ контролирует отдел благоустройства.",
        ];
        var text = new StringBuilder(length + 64);
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(sentences[i % sentences.Length]).Append(i % 5 == 4 ? "\n\n" : " ");
        }

        return text.ToString().TrimEnd();
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Classifies every text as an in-scope roads appeal, so the suite does not depend on a lexicon.</summary>
    private sealed class FixedClassifier : IAppealClassifier
    {
        public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new AppealClassification(TopicCode.Roads, null, false, false, 0.9, [], "conformance suite"));
    }
}
