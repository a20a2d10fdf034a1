using System.Collections.Concurrent;
using System.Text;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Intake;
using Mcu.Sdk.Channels.Vk.Monitoring;
using Mcu.Sdk.Channels.Vk.Replies;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mcu.Sdk.Channels.Vk.Tests.TestSupport;

/// <summary>The SDK with the VK channel against a <see cref="FakeVkApi"/>, on a manual clock and a marker classifier.</summary>
internal sealed class VkFixture : IAsyncDisposable
{
    public const string Secret = "callback-secret-for-tests";

    private readonly bool _ownsApi;

    private VkFixture(FakeVkApi api, bool ownsApi, ManualTimeProvider clock, ServiceProvider provider, RecordingEventSubscriber events)
    {
        _ownsApi = ownsApi;
        Api = api;
        Clock = clock;
        Provider = provider;
        Events = events;
    }

    public FakeVkApi Api { get; }

    public ManualTimeProvider Clock { get; }

    public ServiceProvider Provider { get; }

    public RecordingEventSubscriber Events { get; }

    public IAppealDesk Desk => Provider.GetRequiredService<IAppealDesk>();

    public IAppealStore Store => Provider.GetRequiredService<IAppealStore>();

    public ICheckpointStore Checkpoints => Provider.GetRequiredService<ICheckpointStore>();

    public IReplyDispatcher Dispatcher => Provider.GetRequiredService<IReplyDispatcher>();

    public VkCallbackHandler Callback => Provider.GetRequiredService<VkCallbackHandler>();

    public VkReplySender Sender => Provider.GetRequiredService<VkReplySender>();

    public VkLongPollPoller Poller => Provider.GetRequiredService<VkLongPollPoller>();

    public VkMonitoringService Monitoring => Provider.GetRequiredService<VkMonitoringService>();

    public VkApiClient Client => Provider.GetRequiredService<VkApiClient>();

    /// <summary>Starts a fake VK API (unless one is given: it then outlives the fixture, as VK outlives a restart) and composes the SDK against it.</summary>
    public static async Task<VkFixture> StartAsync(Action<VkChannelOptions>? configure = null, Action<IMcuBuilder>? configureMcu = null, FakeVkApi? api = null, ManualTimeProvider? clock = null)
    {
        var ownsApi = api is null;
        api ??= await FakeVkApi.StartAsync();
        clock ??= new ManualTimeProvider(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        var recorder = new RecordingEventSubscriber();
        services.AddMcu(mcu =>
        {
            mcu.UseTimeProvider(clock)
                .UseClassifier(_ => new MarkerClassifier())
                .AddEventSubscriber(recorder)
                .AddVk(o =>
                {
                    o.GroupId = FakeVkApi.GroupId;
                    o.AccessToken = FakeVkApi.CommunityToken;
                    o.ApiBaseUrl = api.BaseUrl;
                    o.CallbackSecret = Secret;
                    configure?.Invoke(o);
                });
            configureMcu?.Invoke(mcu);
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new VkFixture(api, ownsApi, clock, provider, recorder);
    }

    /// <summary>Posts a Callback API body to the handler.</summary>
    public ValueTask<WebhookResponse> PostAsync(string json) =>
        Callback.HandleAsync(new WebhookRequest(Encoding.UTF8.GetBytes(json), [new("Content-Type", "application/json")], "application/json"));

    /// <summary>Gets every stored appeal.</summary>
    public async Task<IReadOnlyList<Appeal>> AppealsAsync()
    {
        var list = new List<Appeal>();
        await foreach (var appeal in Store.QueryAsync(AppealQuery.All))
        {
            list.Add(appeal);
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        if (_ownsApi)
        {
            await Api.DisposeAsync();
        }
    }
}

