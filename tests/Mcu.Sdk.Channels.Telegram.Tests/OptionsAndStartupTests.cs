using Mcu.Sdk.Testing;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram.Tests;

public sealed class OptionsAndStartupTests
{
    private static ValidateOptionsResult Validate(Action<TelegramChannelOptions> configure)
    {
        var options = new TelegramChannelOptions { BotToken = FakeBotApi.Token };
        configure(options);
        return new TelegramChannelOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void Validate_Defaults_Succeed() => Assert.True(Validate(_ => { }).Succeeded);

    [Theory]
    [InlineData(null, "BotToken is required")]
    [InlineData("", "BotToken is required")]
    [InlineData("not-a-token-SECRETVALUE", "is not a bot token")]
    [InlineData("123:abc def SECRETVALUE", "is not a bot token")]
    public void Validate_BadToken_FailsWithoutEchoingIt(string? token, string expected)
    {
        var result = Validate(o => o.BotToken = token);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETVALUE", result.FailureMessage, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<TelegramChannelOptions>> BadOptions() => new()
    {
        { "WebhookSecret is required", o => o.Mode = TelegramIntakeMode.Webhook },
        { "WebhookSecret must be 1 to 256", o => o.WebhookSecret = "has spaces and ünicode" },
        { "WebhookSecret must be 1 to 256", o => o.WebhookSecret = new string('a', 257) },
        { "WebhookUrl must be an absolute https URL", o => o.WebhookUrl = new Uri("http://mcu.example.ru/webhooks/telegram") },
        { "ApiBaseUrl must be an absolute http or https URL", o => o.ApiBaseUrl = new Uri("ftp://example.org/") },
        { "WebhookPath must be", o => o.WebhookPath = "tele gram" },
        { "PollingTimeout must be from 0 to 50 seconds", o => o.PollingTimeout = TimeSpan.FromMinutes(2) },
        { "RequestTimeout must be", o => o.RequestTimeout = TimeSpan.Zero },
        { "MaxDownloadBytes must be", o => o.MaxDownloadBytes = 21L * 1024 * 1024 },
        { "MessagesPerSecondPerChat must be", o => o.MessagesPerSecondPerChat = 0 },
        { "MessagesPerSecond must be", o => o.MessagesPerSecond = 5000 },
        { "WebhookMaxConnections must be", o => o.WebhookMaxConnections = 101 },
        { "StatusListLimit must be", o => o.StatusListLimit = 0 },
        { "ParseMode must be", o => o.ParseMode = "html" },
        { "Texts:Start, RatingPrompt and StatusLine", o => o.Texts.Start = " " },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_OutOfRange_FailsWithTheOptionName(string expected, Action<TelegramChannelOptions> configure)
    {
        var result = Validate(configure);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_MissingToken_FailsValidation()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMcu(mcu => mcu.AddTelegram(_ => { }));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Telegram:BotToken is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTelegram_Twice_RegistersTheChannelOnce()
    {
        var services = new ServiceCollection();
        services.AddMcu(mcu => mcu
            .UseClassifier(_ => new MarkerClassifier(Mcu.Sdk.Classification.TopicCode.Roads))
            .AddTelegram(o => o.BotToken = FakeBotApi.Token)
            .AddTelegram(o => o.StatusListLimit = 5));
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IReplySender>(), s => s.Channel == ChannelId.Telegram);
        Assert.Single(provider.GetServices<IWebhookHandler>());
        Assert.Single(provider.GetServices<IChannelPoller>(), p => p.Channel == ChannelId.Telegram);
        var options = provider.GetRequiredService<IOptions<TelegramChannelOptions>>().Value;
        Assert.Equal(5, options.StatusListLimit);
        Assert.Equal(FakeBotApi.Token, options.BotToken);
        Assert.NotNull(provider.GetRequiredService<ITelegramBot>());
    }

    [Fact]
    public async Task PrepareAsync_WebhookModeWithUrl_ChecksTokenRegistersCommandsAndWebhook()
    {
        await using var f = await TelegramFixture.StartAsync(configure: o => o.WebhookUrl = new Uri("https://mcu.example.ru/webhooks/telegram"));
        var startup = f.Services.GetServices<IHostedService>().OfType<TelegramStartupService>().Single();

        await startup.PrepareAsync(CancellationToken.None);

        Assert.Equal(["getMe", "setMyCommands", "setWebhook"], f.Api.Calls.Select(c => c.Method).ToArray());
        var commands = f.Api.CallsOf("setMyCommands")[0].Body["commands"]!.AsArray().Select(c => (string)c!["command"]!).ToArray();
        Assert.Equal(["start", "status"], commands);
        Assert.Equal(TelegramFixture.Secret, f.Api.WebhookSecret);
        Assert.Contains(f.Logs.Entries, e => e.EventId.Id == 150 && e.Message.Contains("@city_test_bot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrepareAsync_LongPollingWithDeleteWebhook_DeletesTheStaleWebhook()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling, o =>
        {
            o.DeleteWebhookOnStart = true;
            o.RegisterCommandsOnStart = false;
        });
        f.Api.SetWebhook("https://old.example.ru/hook");
        var startup = f.Services.GetServices<IHostedService>().OfType<TelegramStartupService>().Single();

        await startup.PrepareAsync(CancellationToken.None);

        Assert.Equal(["getMe", "deleteWebhook"], f.Api.Calls.Select(c => c.Method).ToArray());
        Assert.Null(f.Api.WebhookUrl);
    }

    [Fact]
    public async Task PrepareAsync_TokenRejected_LoggedClearlyWithoutThrowing()
    {
        await using var f = await TelegramFixture.StartAsync(configure: o => o.BotToken = "7000000001:AAHsomethingElseEntirely_987");
        var startup = f.Services.GetServices<IHostedService>().OfType<TelegramStartupService>().Single();

        await startup.PrepareAsync(CancellationToken.None);

        var entry = Assert.Single(f.Logs.Entries, e => e.EventId.Id == 153);
        Assert.Equal(LogLevel.Critical, entry.Level);
        Assert.Empty(f.Logs.EntriesContaining("AAHsomethingElseEntirely_987"));
    }
}
