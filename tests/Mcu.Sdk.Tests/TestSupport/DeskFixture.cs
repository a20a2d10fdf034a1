using System.Collections.Concurrent;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mcu.Sdk.Tests.TestSupport;

/// <summary>A desk on in-memory defaults with a manual clock, a recording channel and an event recorder.</summary>
internal sealed class DeskFixture : IAsyncDisposable
{
    public static readonly ChannelId Channel = ChannelId.Telegram;

    public DeskFixture(Action<IMcuBuilder>? configure = null, IAppealClassifier? classifier = null, IAppealStore? store = null, ManualTimeProvider? clock = null)
    {
        Clock = clock ?? new ManualTimeProvider(new DateTimeOffset(2026, 11, 16, 6, 0, 0, TimeSpan.Zero));
        Sender = new RecordingReplySender(Channel);
        var services = new ServiceCollection();
        services.AddMcu(mcu =>
        {
            mcu.UseTimeProvider(Clock).AddReplySender(Sender).AddEventSubscriber(Events);
            mcu.UseClassifier(_ => classifier ?? new FakeClassifier());
            if (store is InMemoryAppealStore memory)
            {
                mcu.UseStore(_ => memory);
            }

            configure?.Invoke(mcu);
        });
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ManualTimeProvider Clock { get; }

    public RecordingReplySender Sender { get; }

    public EventRecorder Events { get; } = new();

    public ServiceProvider Provider { get; }

    public IAppealDesk Desk => Provider.GetRequiredService<IAppealDesk>();

    public IAppealStore Store => Provider.GetRequiredService<IAppealStore>();

    public IReplyDispatcher Dispatcher => Provider.GetRequiredService<IReplyDispatcher>();

    public SlaMonitor Monitor => Provider.GetRequiredService<SlaMonitor>();

    private int _next;

    public InboundMessage Message(string text, string? conversation = null, string? externalId = null, ChannelId? channel = null)
    {
        var id = Interlocked.Increment(ref _next);
        return new InboundMessage(channel ?? Channel, externalId ?? $"m{id}", conversation ?? $"c{id}", new Author($"u{id}", "Иван Петров"), text, Clock.GetUtcNow());
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}

/// <summary>Records the desk's events.</summary>
internal sealed class EventRecorder : IAppealEventSubscriber
{
    private readonly ConcurrentQueue<AppealEvent> _events = new();

    public IReadOnlyList<AppealEvent> All => _events.ToArray();

    public IReadOnlyList<AppealEvent> Of(AppealEventKind kind) => _events.Where(e => e.Kind == kind).ToArray();

    public ValueTask HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken = default)
    {
        _events.Enqueue(appealEvent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A classifier driven by markers in the text, so desk tests do not depend on the lexicon:
/// "[topic:roads]", "[urgent]", "[oos]".
/// </summary>
internal sealed class FakeClassifier : IAppealClassifier
{
    public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        var topic = TopicCode.Other;
        var start = text.IndexOf("[topic:", StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = text.IndexOf(']', start);
            topic = new TopicCode(text[(start + 7)..end]);
        }

        var urgent = text.Contains("[urgent]", StringComparison.Ordinal);
        var outOfScope = text.Contains("[oos]", StringComparison.Ordinal);
        return ValueTask.FromResult(new AppealClassification(topic, null, urgent, outOfScope, topic == TopicCode.Other ? 0 : 0.9, [new MatchedTerm("marker", topic.Value, 1)]));
    }
}
