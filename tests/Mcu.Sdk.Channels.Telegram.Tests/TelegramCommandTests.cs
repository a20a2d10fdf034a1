using System.Globalization;
using Mcu.Samples.Console.Commands;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;

namespace Mcu.Sdk.Channels.Telegram.Tests;

/// <summary>The console sample's <c>mcu telegram</c> command, compiled into this project and run against the fake Bot API.</summary>
public sealed class TelegramCommandTests
{
    [Fact]
    public async Task RunAsync_AgainstTheFakeApi_AnswersStartAndAcknowledgesAnAppeal()
    {
        await using var api = await FakeBotApi.StartAsync();
        api.SetWebhook("https://old.example.ru/hook");
        api.EnqueueUpdate(Updates.Text(1, 10, "/start"));
        api.EnqueueUpdate(Updates.Text(2, 11, "Яма на дороге у дома 5 по улице Ленина"));
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();

        var run = TelegramCommand.RunAsync(FakeBotApi.Token, api.BaseUrl.ToString(), TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), stop.Token);
        await api.WaitForAsync(a => a.Sent.Count >= 2 || run.IsCompleted, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Equal(new TelegramTexts().Start, api.Sent.Single(s => s.ReplyTo == 10).Text);
        Assert.Contains("зарегистрировано под номером 1", api.Sent.Single(s => s.ReplyTo == 11).Text, StringComparison.Ordinal);
        Assert.Contains("runs by long polling against http://127.0.0.1:", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("mcu telegram: stopped.", stdout.ToString(), StringComparison.Ordinal);
        Assert.Null(api.WebhookUrl);
        Assert.DoesNotContain("AAHfakeSecretPartOfTheToken", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null, "--token is required")]
    [InlineData(FakeBotApi.Token, "not a url", "--api-base must be an absolute http or https URL")]
    [InlineData(FakeBotApi.Token, "ftp://127.0.0.1/", "--api-base must be an absolute http or https URL")]
    [InlineData("12345-SECRETPART", "http://127.0.0.1:1/", "is not a bot token")]
    public async Task RunAsync_BadArguments_ExitCode1WithAClearMessage(string token, string? apiBase, string expected)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);

        var exitCode = await TelegramCommand.RunAsync(token, apiBase, stdout, stderr, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETPART", stderr.ToString(), StringComparison.Ordinal);
    }
}
