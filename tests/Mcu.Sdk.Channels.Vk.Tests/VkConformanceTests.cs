using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Testing;
using Mcu.Sdk.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mcu.Sdk.Channels.Vk.Tests;

/// <summary>The VK adapter with Callback API intake passes the channel adapter conformance suite against the fake VK API.</summary>
public sealed class VkCallbackConformanceTests : ChannelAdapterConformanceTests
{
    protected override ChannelAdapterDriver CreateDriver() => new VkDriver(longPoll: false);
}

/// <summary>The VK adapter with Bots Long Poll intake passes the channel adapter conformance suite against the fake VK API.</summary>
public sealed class VkLongPollConformanceTests : ChannelAdapterConformanceTests
{
    protected override ChannelAdapterDriver CreateDriver() => new VkDriver(longPoll: true);
}

/// <summary>
/// Drives the VK adapter: the citizen writes to the community's dialog, or comments a post on the community's wall when the
/// spec asks for a thread; the event reaches the adapter through its Callback API handler (with the secret) or through Bots
/// Long Poll and the SDK's polling service; faults are played by the fake VK API on <c>messages.send</c> and
/// <c>wall.createComment</c>.
/// </summary>
internal sealed class VkDriver(bool longPoll) : ChannelAdapterDriver
{
    private FakeVkApi? _api;
    private bool _polled;

    private FakeVkApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public override ChannelId Channel => ChannelId.Vk;

    public override IReadOnlyCollection<string> Secrets => [FakeVkApi.CommunityToken, FakeVkApi.UserToken, VkFixture.Secret];

    public override IReadOnlyList<ChannelDelivery> Deliveries =>
    [
        .. Api.Messages.Select(m => new ChannelDelivery(Id(m.PeerId), null, null, m.Text)),
        .. Api.Comments.Select(c => new ChannelDelivery(
            $"wall{Id(c.OwnerId)}_{Id(c.ItemId)}",
            c.ReplyToComment is { } root ? Id(root) : null,
            c.ReplyToComment is { } reply ? Id(reply) : null,
            c.Text)),
    ];

    public override int SendAttempts => Api.DeliveryAttempts;

    public override async ValueTask StartAsync(CancellationToken cancellationToken = default) => _api = await FakeVkApi.StartAsync();

    public override void AddAdapter(IMcuBuilder mcu) => mcu.AddVk(o =>
    {
        o.GroupId = FakeVkApi.GroupId;
        o.AccessToken = FakeVkApi.CommunityToken;
        o.UserAccessToken = FakeVkApi.UserToken;
        o.CallbackSecret = VkFixture.Secret;
        o.ApiBaseUrl = Api.BaseUrl;
        o.UseLongPoll = longPoll;
        o.ResolveAuthorNames = false;
    });

    public override async ValueTask<InboundProbe> InjectAsync(IServiceProvider services, InboundSpec spec, CancellationToken cancellationToken = default)
    {
        string type;
        JsonObject eventObject;
        InboundProbe probe;
        var citizen = 300_000 + spec.Conversation;
        if (spec.InThread)
        {
            // A comment under post {Conversation} of the community's wall: answered under the comment.
            var commentId = 5_000 + spec.MessageNumber;
            type = "wall_reply_new";
            eventObject = VkEvents.WallReply(commentId, citizen, spec.Conversation, spec.Text);
            probe = new InboundProbe($"wall-{Id(FakeVkApi.GroupId)}_{Id(spec.Conversation)}", Id(commentId), Id(commentId));
        }
        else
        {
            type = "message_new";
            eventObject = VkEvents.MessageNew(citizen, spec.MessageNumber, spec.Text);
            probe = new InboundProbe(Id(citizen), null, Id(spec.MessageNumber));
        }

        var eventId = $"conformance-{type}-{spec.Conversation}-{spec.MessageNumber}";
        if (!longPoll)
        {
            var handler = services.GetServices<IWebhookHandler>().Single(h => h.Channel == ChannelId.Vk);
            var body = VkEvents.Callback(type, eventObject, eventId);
            var response = await handler.HandleAsync(new WebhookRequest(Encoding.UTF8.GetBytes(body), [], "application/json"), cancellationToken);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("ok", response.Body);
            return probe;
        }

        var polling = services.GetServices<IHostedService>().OfType<ChannelPollingService>().Single();
        var poller = services.GetServices<IChannelPoller>().Single(p => p.Channel == ChannelId.Vk);
        if (!_polled)
        {
            // The first request only learns the server's position, as a freshly started intake does.
            await polling.PollOnceAsync(poller, cancellationToken);
            _polled = true;
        }

        Api.AddEvent(type, eventObject, eventId);
        await polling.PollOnceAsync(poller, cancellationToken);
        return probe;
    }

    public override void InjectFault(ChannelFault fault, int count = 1) => Api.FailDeliveries(fault, count);

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await base.DisposeAsyncCore();
    }

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}
