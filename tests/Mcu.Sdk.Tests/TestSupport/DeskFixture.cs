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
            mcu.UseClassifier(_ => classifier ?? new MarkerClassifier());
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

    public RecordingEventSubscriber Events { get; } = new();

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

