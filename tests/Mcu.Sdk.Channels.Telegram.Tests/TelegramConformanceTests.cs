using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;
using Mcu.Sdk.Testing;
using Mcu.Sdk.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mcu.Sdk.Channels.Telegram.Tests;

/// <summary>The Telegram adapter in webhook mode passes the channel adapter conformance suite against the fake Bot API.</summary>
public sealed class TelegramWebhookConformanceTests : ChannelAdapterConformanceTests
{
    protected override ChannelAdapterDriver CreateDriver() => new TelegramDriver(TelegramIntakeMode.Webhook);
}

/// <summary>The Telegram adapter in long-polling mode passes the channel adapter conformance suite against the fake Bot API.</summary>
public sealed class TelegramLongPollingConformanceTests : ChannelAdapterConformanceTests
{
    protected override ChannelAdapterDriver CreateDriver() => new TelegramDriver(TelegramIntakeMode.LongPolling);
}

/// <summary>
/// Drives the Telegram adapter: the citizen writes in a private chat, or in a forum topic of a supergroup when the spec asks for a
/// thread; the update reaches the adapter through its webhook handler (with the secret) or through getUpdates and the SDK's
/// polling service; faults are played by the fake Bot API.
/// </summary>
internal sealed class TelegramDriver(TelegramIntakeMode mode) : ChannelAdapterDriver
{
    private const long ForumChatId = -1001234567890;
    private const long ForumThread = 77;
    private FakeBotApi? _api;

    private FakeBotApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public override ChannelId Channel => ChannelId.Telegram;

    public override IReadOnlyCollection<string> Secrets => [FakeBotApi.Token, FakeBotApi.Token[(FakeBotApi.Token.IndexOf(':', StringComparison.Ordinal) + 1)..], TelegramFixture.Secret];

    public override IReadOnlyList<ChannelDelivery> Deliveries => Api.Sent
        .Select(s => new ChannelDelivery(
            s.ChatId.ToString(CultureInfo.InvariantCulture),
            s.ThreadId?.ToString(CultureInfo.InvariantCulture),
            s.ReplyTo?.ToString(CultureInfo.InvariantCulture),
            s.Shown))
        .ToArray();

    public override int SendAttempts => Api.SendAttempts;

    public override async ValueTask StartAsync(CancellationToken cancellationToken = default) => _api = await FakeBotApi.StartAsync();

    public override void AddAdapter(IMcuBuilder mcu) => mcu.AddTelegram(o =>
    {
        o.BotToken = FakeBotApi.Token;
        o.ApiBaseUrl = Api.BaseUrl;
        o.Mode = mode;
        o.WebhookSecret = TelegramFixture.Secret;
        o.PollingTimeout = TimeSpan.Zero;
    });

    public override async ValueTask<InboundProbe> InjectAsync(IServiceProvider services, InboundSpec spec, CancellationToken cancellationToken = default)
    {
        var updateId = 900_000 + spec.MessageNumber;
        JsonObject update;
        InboundProbe probe;
        if (spec.InThread)
        {
            var from = 500_000 + spec.Conversation;
            update = Updates.ForumText(updateId, spec.MessageNumber, spec.Text, ForumChatId, ForumThread, from);
            probe = new InboundProbe(ForumChatId.ToString(CultureInfo.InvariantCulture), ForumThread.ToString(CultureInfo.InvariantCulture), spec.MessageNumber.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            var chat = 100_000 + spec.Conversation;
            update = Updates.Text(updateId, spec.MessageNumber, spec.Text, Updates.PrivateChat(chat));
            probe = new InboundProbe(chat.ToString(CultureInfo.InvariantCulture), null, spec.MessageNumber.ToString(CultureInfo.InvariantCulture));
        }

        if (mode == TelegramIntakeMode.Webhook)
        {
            var handler = services.GetServices<IWebhookHandler>().Single(h => h.Channel == ChannelId.Telegram);
            var response = await handler.HandleAsync(TelegramFixture.Request(Encoding.UTF8.GetBytes(update.ToJsonString())), cancellationToken);
            Assert.Equal(200, response.StatusCode);
        }
        else
        {
            Api.EnqueueUpdate(update);
            var polling = services.GetServices<IHostedService>().OfType<ChannelPollingService>().Single();
            var poller = services.GetServices<IChannelPoller>().Single(p => p.Channel == ChannelId.Telegram);
            await polling.PollOnceAsync(poller, cancellationToken);
        }

        return probe;
    }

    public override void InjectFault(ChannelFault fault, int count = 1) => Api.FailSends(fault, count);

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await base.DisposeAsyncCore();
    }
}
