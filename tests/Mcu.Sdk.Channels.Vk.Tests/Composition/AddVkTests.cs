using Mcu.Sdk.Channels;
using Mcu.Sdk.Channels.Vk.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Tests.Composition;

public sealed class AddVkTests
{
    private static ServiceProvider Build(Action<VkChannelOptions> configure, int calls = 1)
    {
        var services = new ServiceCollection();
        services.AddMcu(mcu =>
        {
            for (var i = 0; i < calls; i++)
            {
                mcu.AddVk(configure);
            }
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static void Valid(VkChannelOptions o)
    {
        o.GroupId = FakeVkApi.GroupId;
        o.AccessToken = FakeVkApi.CommunityToken;
    }

    [Fact]
    public async Task AddVk_Defaults_RegisterTheSenderAndTheCallbackHandlerOnly()
    {
        await using var provider = Build(Valid);

        var sender = Assert.Single(provider.GetServices<IReplySender>(), s => s.Channel == ChannelId.Vk);
        var handler = Assert.Single(provider.GetServices<IWebhookHandler>(), h => h.Channel == ChannelId.Vk);
        Assert.Same(sender, provider.GetRequiredService<IReplySenderProvider>().GetSender(ChannelId.Vk));
        Assert.Equal("vk", handler.Path);
        Assert.DoesNotContain(provider.GetServices<IChannelPoller>(), p => p.Channel == ChannelId.Vk);
        Assert.DoesNotContain(provider.GetServices<IHostedService>(), s => s is VkMonitoringService);
    }

    [Fact]
    public async Task AddVk_LongPollAndMonitoring_AddTheirIntakes()
    {
        await using var provider = Build(o =>
        {
            Valid(o);
            o.UseLongPoll = true;
            o.Monitoring.Publics.Add("-555");
            o.Monitoring.AccessToken = FakeVkApi.ServiceToken;
        });

        var poller = Assert.Single(provider.GetServices<IChannelPoller>(), p => p.Channel == ChannelId.Vk);
        Assert.Equal($"vk:longpoll:{FakeVkApi.GroupId}", poller.CheckpointKey);
        Assert.Single(provider.GetServices<IHostedService>(), s => s is VkMonitoringService);
    }

    [Fact]
    public async Task AddVk_CalledTwice_RegistersEachServiceOnce()
    {
        await using var provider = Build(o =>
        {
            Valid(o);
            o.UseLongPoll = true;
        }, calls: 2);

        Assert.Single(provider.GetServices<IReplySender>(), s => s.Channel == ChannelId.Vk);
        Assert.Single(provider.GetServices<IWebhookHandler>(), h => h.Channel == ChannelId.Vk);
        Assert.Single(provider.GetServices<IChannelPoller>(), p => p.Channel == ChannelId.Vk);
    }

    [Fact]
    public void AddVk_NullArguments_Throw()
    {
        var services = new ServiceCollection();
        var mcu = services.AddMcu();

        Assert.Throws<ArgumentNullException>(() => mcu.AddVk(null!));
        Assert.Throws<ArgumentNullException>(() => VkMcuBuilderExtensions.AddVk(null!, Valid));
    }

    public static TheoryData<string, string> InvalidOptions() => new()
    {
        { "group", "Vk:GroupId" },
        { "token", "Vk:AccessToken" },
        { "url", "Vk:ApiBaseUrl" },
        { "path", "Vk:CallbackPath" },
        { "wait", "Vk:LongPollWait" },
        { "rate", "Vk:MaxRequestsPerSecond" },
        { "secret", "Vk:CallbackSecret" },
        { "monitoring-token", "Vk:Monitoring needs" },
        { "own-public", "own community" },
        { "bad-public", "neither an owner id" },
        { "threshold", "Vk:Monitoring:RelevanceThreshold" },
        { "interval", "Vk:Monitoring:Interval" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task Options_Invalid_FailValidationWithAClearMessageAndNoTokenValue(string invalid, string expected)
    {
        await using var provider = Build(o =>
        {
            Valid(o);
            o.UserAccessToken = invalid == "monitoring-token" ? null : FakeVkApi.UserToken;
            switch (invalid)
            {
                case "group": o.GroupId = 0; break;
                case "token": o.AccessToken = " "; break;
                case "url": o.ApiBaseUrl = new Uri("ftp://api.vk.ru/"); break;
                case "path": o.CallbackPath = "/vk hooks"; break;
                case "wait": o.LongPollWait = TimeSpan.FromSeconds(120); break;
                case "rate": o.MaxRequestsPerSecond = 21; break;
                case "secret": o.CallbackSecret = " s3cret "; break;
                case "monitoring-token": o.Monitoring.Publics.Add("-555"); break;
                case "own-public": o.Monitoring.Publics.Add($"club{FakeVkApi.GroupId}"); break;
                case "bad-public": o.Monitoring.Publics.Add("https://vk.com/gorod"); break;
                case "threshold": o.Monitoring.RelevanceThreshold = 1.5; break;
                case "interval": o.Monitoring.Interval = TimeSpan.FromSeconds(1); break;
            }
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VkChannelOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(FakeVkApi.CommunityToken, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeVkApi.UserToken, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_Valid_PassValidation()
    {
        await using var provider = Build(o =>
        {
            Valid(o);
            o.CallbackSecret = "s3cret";
            o.Monitoring.Publics.Add("-555");
            o.Monitoring.Publics.Add("club777");
            o.Monitoring.Publics.Add("gorod_online");
            o.Monitoring.AccessToken = FakeVkApi.ServiceToken;
        });

        var options = provider.GetRequiredService<IOptions<VkChannelOptions>>().Value;

        Assert.Equal(FakeVkApi.GroupId, options.GroupId);
        Assert.Equal(3, options.Monitoring.Publics.Count);
    }

    [Fact]
    public async Task HostStart_InvalidOptions_FailsBeforeAnythingRuns()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMcu(mcu => mcu.AddVk(o => o.GroupId = -1));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("Vk:AccessToken", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-555", -555L)]
    [InlineData("club555", -555L)]
    [InlineData("public555", -555L)]
    [InlineData("event555", -555L)]
    [InlineData("id42", 42L)]
    [InlineData(" 42 ", 42L)]
    public void TryParseOwnerId_KnownForms_AreOwnerIds(string entry, long expected)
    {
        Assert.True(VkPublicNames.TryParseOwnerId(entry, out var owner));
        Assert.Equal(expected, owner);
    }

    [Theory]
    [InlineData("gorod_online")]
    [InlineData("club")]
    [InlineData("0")]
    [InlineData("")]
    public void TryParseOwnerId_ScreenNamesAndJunk_AreNotOwnerIds(string entry)
    {
        Assert.False(VkPublicNames.TryParseOwnerId(entry, out _));
    }
}
