using System.Text.Json.Nodes;
using Mcu.Sdk.Channels.Telegram.Intake;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;

namespace Mcu.Sdk.Channels.Telegram.Tests;

public sealed class ReplySenderTests
{
    private static ReplyAddress Forum => new(ChannelId.Telegram, "-1001234567890", "77", "88");

    private static ReplyAddress Private => new(ChannelId.Telegram, Updates.CitizenId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "1452");

    private static OutgoingMessage Message(ReplyAddress address, string text, string key = "k:0", int part = 0, int parts = 1) =>
        new(address, text, key, part, parts) { AppealId = Guid.CreateVersion7(), Kind = ReplyKind.Interim };

    [Fact]
    public async Task Capabilities_TelegramLimits()
    {
        await using var f = await TelegramFixture.StartAsync();

        var capabilities = f.Sender.Capabilities;

        Assert.Equal(4096, capabilities.MaxTextLength);
        Assert.Equal(1024, capabilities.MaxCaptionLength);
        Assert.Equal(1, capabilities.MaxMessagesPerSecondPerConversation);
        Assert.Equal(30, capabilities.MaxMessagesPerSecond);
        Assert.True(capabilities.SupportsThreads);
        Assert.False(capabilities.SupportsIdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_ForumTopic_RepliesInTheTopicToTheCitizensMessage()
    {
        await using var f = await TelegramFixture.StartAsync();

        var receipt = await f.Sender.SendAsync(Message(Forum, "Принято, № 17"));

        var sent = Assert.Single(f.Api.Sent);
        Assert.Equal(-1001234567890, sent.ChatId);
        Assert.Equal(77, sent.ThreadId);
        Assert.Equal(88, sent.ReplyTo);
        Assert.Equal(sent.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), receipt.ExternalMessageId);
        Assert.Null(receipt.UpdatedAddress);
    }

    [Fact]
    public async Task SendAsync_MigratedGroup_SentOnceMoreToTheSupergroupAndAddressUpdated()
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.MigrateChat(-4242, -1009876543210);
        var address = new ReplyAddress(ChannelId.Telegram, "-4242", null, "5");

        var receipt = await f.Sender.SendAsync(Message(address, "Ответ"));

        Assert.Equal(2, f.Api.SendAttempts);
        Assert.Equal(-1009876543210, Assert.Single(f.Api.Sent).ChatId);
        Assert.Equal("-1009876543210", receipt.UpdatedAddress?.ConversationId);
        Assert.Equal("5", receipt.UpdatedAddress?.ReplyToMessageId);
    }

    [Fact]
    public async Task SendAsync_BlockedByTheCitizen_UnreachableRecordedAndNotCalledAgain()
    {
        await using var f = await TelegramFixture.StartAsync();
        f.Api.Forbid(Updates.CitizenId);

        var first = await Assert.ThrowsAsync<RecipientUnreachableException>(() => f.Sender.SendAsync(Message(Private, "Ответ")).AsTask());
        var second = await Assert.ThrowsAsync<RecipientUnreachableException>(() => f.Sender.SendAsync(Message(Private, "Ещё ответ", "k:1")).AsTask());

        Assert.Equal(403, first.ErrorCode);
        Assert.False(first.IsTransient);
        Assert.IsType<TelegramApiException>(first.InnerException);
        Assert.Equal(1, f.Api.SendAttempts); // the second send did not reach Telegram
        Assert.Equal(403, second.ErrorCode);
        Assert.Equal("blocked", await f.Checkpoints.GetCheckpointAsync(TelegramRecipients.KeyOf(Updates.CitizenId)));
    }

    [Fact]
    public async Task SendAsync_PhotoWithShortText_OnePhotoWithCaption()
    {
        await using var f = await TelegramFixture.StartAsync();
        var message = Message(Private, "Яма заделана") with { Attachments = [new Attachment(AttachmentKind.Photo, "AgACAgIAAxkBAAI-repaired")] };

        await f.Sender.SendAsync(message);

        var sent = Assert.Single(f.Api.Sent);
        Assert.Equal("sendPhoto", sent.Method);
        Assert.Equal("AgACAgIAAxkBAAI-repaired", sent.Media);
        Assert.Equal("Яма заделана", sent.Caption);
        Assert.Equal(1452, sent.ReplyTo);
    }

    [Fact]
    public async Task SendAsync_PhotoWithTextOverTheCaptionLimit_TextThenPhoto()
    {
        await using var f = await TelegramFixture.StartAsync();
        var text = string.Join(' ', Enumerable.Repeat("Асфальт уложен.", 120));
        var message = Message(Private, text) with { Attachments = [new Attachment(AttachmentKind.Photo, "photo-1"), new Attachment(AttachmentKind.Document, "act.pdf", "Акт")] };

        await f.Sender.SendAsync(message);

        Assert.Equal(["sendMessage", "sendPhoto", "sendDocument"], f.Api.Sent.Select(s => s.Method).ToArray());
        Assert.Equal(text, f.Api.Sent[0].Text);
        Assert.Null(f.Api.Sent[1].Caption);
        Assert.Equal("Акт", f.Api.Sent[2].Caption);
    }

    [Fact]
    public async Task SendAsync_RetriedAfterAPartialFailure_DoesNotResendWhatWentOut()
    {
        await using var f = await TelegramFixture.StartAsync();
        var text = new string('я', 1500);
        var message = Message(Private, text) with { Attachments = [new Attachment(AttachmentKind.Photo, "photo-1")] };
        f.Api.Script("sendPhoto", 502, """{"ok":false,"error_code":502,"description":"Bad Gateway"}""");

        var failure = await Assert.ThrowsAsync<TelegramApiException>(() => f.Sender.SendAsync(message).AsTask());
        await f.Sender.SendAsync(message);

        Assert.True(failure.IsTransient);
        Assert.Equal(["sendMessage", "sendPhoto"], f.Api.Sent.Select(s => s.Method).ToArray());
    }

    [Fact]
    public async Task SendAsync_FinalAnswersLastPart_CarriesTheRatingKeyboard()
    {
        await using var f = await TelegramFixture.StartAsync();
        var appealId = Guid.CreateVersion7();

        await f.Sender.SendAsync(Message(Private, "Часть 1", "f:0", 0, 2) with { Kind = ReplyKind.Final, AppealId = appealId });
        await f.Sender.SendAsync(Message(Private, "Часть 2", "f:1", 1, 2) with { Kind = ReplyKind.Final, AppealId = appealId });
        await f.Sender.SendAsync(Message(Private, "Промежуточный", "i:0") with { AppealId = appealId });

        Assert.Null(f.Api.Sent[0].ReplyMarkup);
        Assert.Null(f.Api.Sent[2].ReplyMarkup);
        var last = f.Api.Sent[1];
        Assert.StartsWith("Часть 2\n\nОцените, пожалуйста, ответ от 1 до 5.", last.Text, StringComparison.Ordinal);
        var buttons = last.ReplyMarkup!["inline_keyboard"]!.AsArray().Single()!.AsArray();
        Assert.Equal(5, buttons.Count);
        Assert.Equal(TelegramUpdateProcessor.RatingData(appealId, 1), (string?)buttons[0]!["callback_data"]);
        Assert.Equal("5", (string?)buttons[4]!["text"]);
        Assert.All(buttons, b => Assert.True(((string)b!["callback_data"]!).Length <= 64));
    }

    [Fact]
    public async Task SendAsync_FinalAnswerFillingTheWholeMessage_PromptSentSeparately()
    {
        await using var f = await TelegramFixture.StartAsync();
        var text = new string('ж', 4090);

        await f.Sender.SendAsync(Message(Private, text) with { Kind = ReplyKind.Final });

        Assert.Equal(2, f.Api.Sent.Count);
        Assert.Null(f.Api.Sent[0].ReplyMarkup);
        Assert.Equal(text, f.Api.Sent[0].Text);
        Assert.NotNull(f.Api.Sent[1].ReplyMarkup);
    }

    [Fact]
    public async Task SendAsync_NotAChatId_PermanentError()
    {
        await using var f = await TelegramFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<ChannelException>(() => f.Sender.SendAsync(Message(new ReplyAddress(ChannelId.Telegram, "@city"), "x")).AsTask());

        Assert.False(ex.IsTransient);
        Assert.Empty(f.Api.Calls);
    }

    [Fact]
    public async Task Dispatcher_FloodControl_WaitsExactlyRetryAfter()
    {
        await using var f = await TelegramFixture.StartAsync();
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"));
        f.Api.Script("sendMessage", 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}""");
        var start = f.Clock.GetUtcNow();

        var summary = await f.DispatchAsync();

        Assert.Equal(1, summary.Delivered);
        Assert.Equal(TimeSpan.FromSeconds(3), f.Clock.GetUtcNow() - start);
        Assert.Equal(2, f.Api.SendAttempts);
        Assert.Single(f.Api.Sent);
    }

    [Fact]
    public async Task Dispatcher_ServerErrors_RetriedThenDelivered()
    {
        await using var f = await TelegramFixture.StartAsync();
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"));
        f.Api.FailSends(ChannelFault.Transient, 2);

        var summary = await f.DispatchAsync();

        Assert.Equal(1, summary.Delivered);
        Assert.Equal(3, f.Api.SendAttempts);
        Assert.Single(f.Api.Sent);
    }

    [Fact]
    public async Task Dispatcher_MigratedGroup_ReplyDeliveredAndOutboxAddressUpdated()
    {
        await using var f = await TelegramFixture.StartAsync();
        var group = new JsonObject { ["id"] = -4242, ["type"] = "group", ["title"] = "ТСЖ Ленина 5" };
        await f.PostAllAsync(Updates.Text(1, 10, "Не убран снег во дворе", group, from: 555));
        f.Api.MigrateChat(-4242, -1009876543210);

        var summary = await f.DispatchAsync();

        Assert.Equal(1, summary.Delivered);
        var appeal = Assert.Single(await f.AppealsAsync());
        var reply = Assert.Single(await f.Store.GetOutboxAsync(appeal.Id));
        Assert.Equal("-1009876543210", reply.Address.ConversationId);
        Assert.Equal(-1009876543210, Assert.Single(f.Api.Sent).ChatId);
    }

    [Fact]
    public async Task Dispatcher_BlockedCitizen_FailsVisiblyWithoutRetry()
    {
        await using var f = await TelegramFixture.StartAsync();
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"));
        f.Api.Forbid(Updates.CitizenId);

        var summary = await f.DispatchAsync();

        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, f.Api.SendAttempts);
        var reply = Assert.Single(await f.Store.GetOutboxAsync((await f.AppealsAsync())[0].Id));
        Assert.Equal(OutboxStatus.Failed, reply.Status);
        Assert.Contains("RecipientUnreachableException", reply.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatcher_LongAnswer_SplitAtWordBoundariesWithTheKeyboardOnTheLastPart()
    {
        await using var f = await TelegramFixture.StartAsync();
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"));
        await f.DispatchAsync();
        var appeal = Assert.Single(await f.AppealsAsync());
        var answer = string.Join(' ', Enumerable.Range(0, 1500).Select(i => "слово" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer(answer, IsFinal: true));
        var start = f.Clock.GetUtcNow();
        await f.DispatchAsync();

        var parts = f.Api.Sent.Skip(1).ToArray();
        Assert.True(parts.Length >= 3);
        Assert.All(parts, p => Assert.InRange(p.Text!.Length, 1, 4096));
        Assert.All(parts[..^1], p => Assert.Null(p.ReplyMarkup));
        Assert.NotNull(parts[^1].ReplyMarkup);
        Assert.All(parts[..^1], p => Assert.Matches(@"слово\d+$", p.Text!));
        Assert.True(f.Clock.GetUtcNow() - start >= TimeSpan.FromSeconds(parts.Length - 1), "one message per second into one chat");
    }
}
