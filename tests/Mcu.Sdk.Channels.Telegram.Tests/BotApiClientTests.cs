using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;

namespace Mcu.Sdk.Channels.Telegram.Tests;

public sealed class BotApiClientTests
{
    private const string TokenSecretPart = "AAHfakeSecretPartOfTheToken_0123456789";

    private static void AssertNoToken(Exception ex)
    {
        Assert.DoesNotContain(TokenSecretPart, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TokenSecretPart, ex.Message, StringComparison.Ordinal);
    }

    private static SendMessageRequest Hello(long chat = Updates.CitizenId) => new() { ChatId = chat, Text = "Здравствуйте" };

    [Fact]
    public async Task GetMeAsync_ValidToken_ReturnsTheBot()
    {
        await using var f = await TelegramFixture.StartAsync();

        var me = await f.Client.GetMeAsync();

        Assert.Equal(FakeBotApi.BotId, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal("city_test_bot", me.Username);
        Assert.Equal(FakeBotApi.BotId, f.Client.BotId);
    }

    [Fact]
    public async Task GetMeAsync_WrongToken_Permanent401WithoutTheToken()
    {
        await using var f = await TelegramFixture.StartAsync(configure: o => o.BotToken = "7000000001:" + TokenSecretPart + "WRONG");

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.GetMeAsync());

        Assert.Equal(401, ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("getMe", ex.Method);
        Assert.Equal("Unauthorized", ex.Description);
        AssertNoToken(ex);
    }

    [Fact]
    public async Task SendMessageAsync_FloodControl_TransientWithExactRetryAfter()
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.Script("sendMessage", 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}""");

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.SendMessageAsync(Hello()));

        Assert.Equal(429, ex.ErrorCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Equal(ChannelId.Telegram, ex.Channel);
        Assert.Contains("retry after 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendMessageAsync_ServerErrorWithoutJson_Transient()
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.Script("sendMessage", 502, "<html>Bad Gateway</html>");

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.SendMessageAsync(Hello()));

        Assert.Equal(502, ex.ErrorCode);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.RetryAfter);
    }

    [Theory]
    [InlineData(400, "Bad Request: chat not found")]
    [InlineData(403, "Forbidden: bot was blocked by the user")]
    [InlineData(409, "Conflict: terminated by other long poll or webhook")]
    public async Task SendMessageAsync_ClientErrors_Permanent(int code, string description)
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.Script("sendMessage", code, $$"""{"ok":false,"error_code":{{code}},"description":"{{description}}"}""");

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.SendMessageAsync(Hello()));

        Assert.Equal(code, ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.Equal(description, ex.Description);
        Assert.Equal(code == 403, ex.IsRecipientUnreachable);
        Assert.Equal(code == 409, ex.IsConflict);
    }

    [Fact]
    public async Task SendMessageAsync_Migrated_CarriesTheSupergroupId()
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.MigrateChat(-4242, -1009876543210);

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.SendMessageAsync(Hello(-4242)));

        Assert.Equal(400, ex.ErrorCode);
        Assert.Equal(-1009876543210, ex.MigrateToChatId);
    }

    [Fact]
    public async Task SendMessageAsync_NoServer_TransientNetworkErrorWithoutTheToken()
    {
        await using var f = await TelegramFixture.StartAsync(configure: o => o.ApiBaseUrl = new Uri("http://127.0.0.1:1/"));

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.SendMessageAsync(Hello()));

        Assert.True(ex.IsTransient);
        Assert.Null(ex.ErrorCode);
        Assert.Null(ex.InnerException);
        AssertNoToken(ex);
    }

    [Fact]
    public async Task SendMessageAsync_CanceledToken_Throws()
    {
        await using var f = await TelegramFixture.StartAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Client.SendMessageAsync(Hello(), new CancellationToken(true)));

        Assert.Empty(f.Api.Calls);
    }

    [Fact]
    public async Task SendMessageAsync_Reply_SendsOnlyTheCurrentFieldNames()
    {
        await using var f = await TelegramFixture.StartAsync();

        var sent = await f.Client.SendMessageAsync(new SendMessageRequest
        {
            ChatId = -1001234567890,
            MessageThreadId = 77,
            Text = "Принято",
            ParseMode = "HTML",
            ReplyParameters = new ReplyParameters { MessageId = 88, AllowSendingWithoutReply = true },
            LinkPreviewOptions = new LinkPreviewOptions { IsDisabled = true },
        });

        var body = Assert.Single(f.Api.CallsOf("sendMessage")).Body;
        Assert.Equal(-1001234567890, (long)body["chat_id"]!);
        Assert.Equal(77, (long)body["message_thread_id"]!);
        Assert.Equal("HTML", (string?)body["parse_mode"]);
        Assert.Equal(88, (long)body["reply_parameters"]!["message_id"]!);
        Assert.True((bool)body["reply_parameters"]!["allow_sending_without_reply"]!);
        Assert.True((bool)body["link_preview_options"]!["is_disabled"]!);
        Assert.False(body.ContainsKey("reply_to_message_id"));
        Assert.False(body.ContainsKey("disable_web_page_preview"));
        Assert.False(body.ContainsKey("reply_markup"));
        Assert.True(sent.MessageId > 0);
    }

    [Fact]
    public async Task SetWebhookAsync_RegistersUrlSecretAndUpdateKinds()
    {
        await using var f = await TelegramFixture.StartAsync(configure: o => o.WebhookMaxConnections = 20);
        ITelegramBot bot = f.Client;

        await bot.SetWebhookAsync(new Uri("https://mcu.example.ru/webhooks/telegram"), dropPendingUpdates: true);
        var info = await bot.GetWebhookInfoAsync();

        var body = Assert.Single(f.Api.CallsOf("setWebhook")).Body;
        Assert.Equal("https://mcu.example.ru/webhooks/telegram", (string?)body["url"]);
        Assert.Equal(TelegramFixture.Secret, (string?)body["secret_token"]);
        Assert.Equal(20, (int)body["max_connections"]!);
        Assert.True((bool)body["drop_pending_updates"]!);
        Assert.Equal(["message", "callback_query", "my_chat_member"], body["allowed_updates"]!.AsArray().Select(n => (string)n!).ToArray());
        Assert.Equal("https://mcu.example.ru/webhooks/telegram", info.Url);
        Assert.Equal("Connection timed out", info.LastErrorMessage);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1718000000), info.LastErrorAt);
        Assert.Contains("callback_query", info.AllowedUpdates);

        await bot.DeleteWebhookAsync();
        Assert.Equal(string.Empty, (await bot.GetWebhookInfoAsync()).Url);
    }

    [Fact]
    public async Task SetWebhookAsync_BadArguments_Throw()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling, o => o.WebhookSecret = null);
        ITelegramBot bot = f.Client;

        await Assert.ThrowsAsync<ArgumentNullException>(() => bot.SetWebhookAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => bot.SetWebhookAsync(new Uri("/relative", UriKind.Relative)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bot.SetWebhookAsync(new Uri("https://mcu.example.ru/webhooks/telegram")));
    }

    [Fact]
    public async Task DownloadFileAsync_SmallFile_StreamsTheBytes()
    {
        await using var f = await TelegramFixture.StartAsync();
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();
        f.Api.AddFile("AgACAgIAAxkBAAI", bytes);
        using var destination = new MemoryStream();

        var written = await f.Client.DownloadFileAsync("AgACAgIAAxkBAAI", destination);

        Assert.Equal(bytes.Length, written);
        Assert.Equal(bytes, destination.ToArray());
    }

    [Fact]
    public async Task DownloadFileAsync_DeclaredOver20Megabytes_RefusedBeforeDownloading()
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.AddFile("big", [1, 2, 3], declaredSize: 25L * 1024 * 1024);
        using var destination = new MemoryStream();

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.DownloadFileAsync("big", destination));

        Assert.False(ex.IsTransient);
        Assert.Contains("at most 20971520 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public async Task DownloadFileAsync_BodyLongerThanTheLimit_StoppedAtTheLimit()
    {
        await using var f = await TelegramFixture.StartAsync(configure: o => o.MaxDownloadBytes = 100_000);
        f.Api.AddFile("liar", new byte[400_000], declaredSize: 10);
        using var destination = new MemoryStream();

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.DownloadFileAsync("liar", destination));

        Assert.Contains("exceeded 100000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.True(destination.Length <= 100_000);
        AssertNoToken(ex);
    }

    [Fact]
    public async Task DownloadFileAsync_UnknownFile_PermanentError()
    {
        await using var f = await TelegramFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<TelegramApiException>(() => f.Client.DownloadFileAsync("nope", Stream.Null));

        Assert.Equal(400, ex.ErrorCode);
        Assert.Equal("getFile", ex.Method);
    }

    [Fact]
    public async Task AnswerCallbackQueryAndSetMyCommands_SendTheDocumentedFields()
    {
        await using var f = await TelegramFixture.StartAsync();

        Assert.True(await f.Client.AnswerCallbackQueryAsync("q1", "Спасибо!"));
        Assert.True(await f.Client.SetMyCommandsAsync([new BotCommand { Command = "status", Description = "Мои обращения" }]));

        var answer = Assert.Single(f.Api.CallsOf("answerCallbackQuery")).Body;
        Assert.Equal("q1", (string?)answer["callback_query_id"]);
        Assert.Equal("Спасибо!", (string?)answer["text"]);
        var commands = Assert.Single(f.Api.CallsOf("setMyCommands")).Body["commands"]!.AsArray();
        Assert.Equal("status", (string?)Assert.Single(commands)!["command"]);
    }

    [Fact]
    public void Redact_TokenAndItsSecretPart_Replaced()
    {
        var text = $"GET https://api.telegram.org/bot{FakeBotApi.Token}/getMe and {TokenSecretPart}";

        var redacted = TelegramTokens.Redact(text, FakeBotApi.Token)!;

        Assert.DoesNotContain(TokenSecretPart, redacted, StringComparison.Ordinal);
        Assert.Contains("bot***/getMe", redacted, StringComparison.Ordinal);
        Assert.True(TelegramTokens.IsWellFormed(FakeBotApi.Token));
        Assert.False(TelegramTokens.IsWellFormed("not-a-token"));
        Assert.False(TelegramTokens.IsWellFormed("123:"));
        Assert.False(TelegramTokens.IsWellFormed("123:abc/def"));
    }
}
