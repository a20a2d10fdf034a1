using System.Globalization;
using Mcu.Sdk.Channels.Telegram.Intake;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;

namespace Mcu.Sdk.Channels.Telegram.Tests;

/// <summary>What the citizen experiences in the chat, end to end against the fake Bot API.</summary>
public sealed class CitizenDialogueTests
{
    private static Task<TelegramFixture> StartAsync() =>
        TelegramFixture.StartAsync(configureMcu: mcu => mcu.ConfigureDesk(d => d.FollowUpWindow = TimeSpan.FromMinutes(10)));

    private static async Task<Appeal> AnsweredAppealAsync(TelegramFixture f)
    {
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге у дома 5"));
        var appeal = Assert.Single(await f.AppealsAsync());
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Яму заделали.", IsFinal: true));
        await f.DispatchAsync();
        return (await f.Desk.GetAsync(appeal.Id))!;
    }

    [Fact]
    public async Task Start_Command_ExplainsHowToWriteAnAppeal()
    {
        await using var f = await StartAsync();

        await f.PostAllAsync(Updates.Text(1, 10, "/start"));

        var sent = Assert.Single(f.Api.Sent);
        Assert.Equal(new TelegramTexts().Start, sent.Text);
        Assert.Equal(10, sent.ReplyTo);
        Assert.Empty(await f.AppealsAsync());
    }

    [Fact]
    public async Task TextPhotosAndLocation_WithinMinutes_OneAppealAcknowledgedWithItsNumber()
    {
        await using var f = await StartAsync();

        await f.PostAllAsync(
            Updates.Text(1, 10, "Яма на дороге у дома 5 по ул. Ленина"),
            Updates.Photo(2, 11, "Вот она", "pit-a", mediaGroup: "album-1"),
            Updates.Photo(3, 12, null, "pit-b", mediaGroup: "album-1"),
            Updates.Location(4, 13, 45.035470, 38.975313));
        await f.DispatchAsync();

        var appeal = Assert.Single(await f.AppealsAsync());
        Assert.Equal(4, appeal.Messages.Count);
        Assert.Equal(["pit-a-large", "pit-b-large"], appeal.Attachments.Select(a => a.Reference).ToArray());
        Assert.Equal("Вот она", appeal.Attachments[0].Caption);
        Assert.Equal(45.035470, appeal.Location?.Latitude);
        Assert.Equal("Иван Петров", appeal.Author.DisplayName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1718000000), appeal.ReceivedAt);
        var acknowledgement = Assert.Single(f.Api.Sent);
        Assert.Contains(appeal.Number.ToString(CultureInfo.InvariantCulture), acknowledgement.Text, StringComparison.Ordinal);
        Assert.Equal(10, acknowledgement.ReplyTo);
    }

    [Fact]
    public async Task ForumTopic_TwoCitizens_SeparateAppealsAnsweredInTheTopic()
    {
        await using var f = await StartAsync();

        await f.PostAllAsync(
            Updates.ForumText(1, 88, "Во дворе не убран снег", from: 1),
            Updates.ForumText(2, 89, "А у нас не работает лифт", from: 2));
        await f.DispatchAsync();

        Assert.Equal(2, (await f.AppealsAsync()).Count);
        Assert.All(f.Api.Sent, s =>
        {
            Assert.Equal(-1001234567890, s.ChatId);
            Assert.Equal(77, s.ThreadId);
        });
        Assert.Equal([88L, 89L], f.Api.Sent.Select(s => s.ReplyTo!.Value).Order().ToArray());
    }

    [Fact]
    public async Task Status_Command_ListsTheCitizensAppealsNewestFirst()
    {
        await using var f = await StartAsync();
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"));
        var first = Assert.Single(await f.AppealsAsync());
        await f.Desk.AnswerAsync(first.Id, new UnitAnswer("Заделали.", IsFinal: true));
        await f.Desk.CloseAsync(first.Id, "mcu");
        var second = Updates.Text(2, 11, "Не горит фонарь");
        second["message"]!["date"] = 1718003600;
        await f.PostAllAsync(second);

        await f.PostAllAsync(Updates.Text(3, 12, "/status@city_test_bot"));

        var appeals = await f.AppealsAsync();
        Assert.Equal(2, appeals.Count);
        var status = f.Api.Sent.Single(s => s.ReplyTo == 12).Text!;
        var lines = status.Split('\n');
        Assert.Equal("Ваши обращения:", lines[0]);
        Assert.Equal($"№ {appeals[1].Number} от 10.06.2024 — передано исполнителю", lines[1]);
        Assert.Equal($"№ {appeals[0].Number} от 10.06.2024 — закрыто", lines[2]);
    }

    [Fact]
    public async Task Status_NoAppeals_SaysSo()
    {
        await using var f = await StartAsync();

        await f.PostAllAsync(Updates.Text(1, 10, "/status"));

        Assert.Equal(new TelegramTexts().StatusEmpty, Assert.Single(f.Api.Sent).Text);
    }

    [Fact]
    public async Task RatingButton_Five_RecordedAndThanked()
    {
        await using var f = await StartAsync();
        var appeal = await AnsweredAppealAsync(f);
        var final = f.Api.Sent[^1];
        var five = (string)final.ReplyMarkup!["inline_keyboard"]![0]![4]!["callback_data"]!;

        await f.PostAllAsync(Updates.Callback(50, five));
        await f.PostAllAsync(Updates.Callback(51, five)); // a second press of the same button

        var rated = await f.Desk.GetAsync(appeal.Id);
        Assert.Equal(5, rated!.Rating);
        Assert.Equal(AppealStatus.Answered, rated.Status);
        Assert.Single(rated.History, h => h.Kind == AppealHistoryKind.Rating);
        var answers = f.Api.CallsOf("answerCallbackQuery").Select(c => (string)c.Body["text"]!).ToArray();
        Assert.Equal([new TelegramTexts().RatingThanks, new TelegramTexts().RatingNotAccepted], answers);
    }

    [Fact]
    public async Task RatingButton_LowRating_ReopensTheAppeal()
    {
        await using var f = await StartAsync();
        var appeal = await AnsweredAppealAsync(f);

        await f.PostAllAsync(Updates.Callback(50, TelegramUpdateProcessor.RatingData(appeal.Id, 1)));

        var reopened = await f.Desk.GetAsync(appeal.Id);
        Assert.Equal(AppealStatus.Reopened, reopened!.Status);
        Assert.Equal(1, reopened.Rating);
        var answer = (string?)Assert.Single(f.Api.CallsOf("answerCallbackQuery")).Body["text"];
        Assert.Contains($"№ {appeal.Number} возобновлено", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RatingButton_PressedByAnotherUser_NotAccepted()
    {
        await using var f = await StartAsync();
        var appeal = await AnsweredAppealAsync(f);

        await f.PostAllAsync(Updates.Callback(50, TelegramUpdateProcessor.RatingData(appeal.Id, 1), from: 999));

        Assert.Null((await f.Desk.GetAsync(appeal.Id))!.Rating);
    }

    [Theory]
    [InlineData("rate:zzz:5")]
    [InlineData("rate:0123456789abcdef0123456789abcdef:9")]
    [InlineData("something-else")]
    public async Task RatingButton_UnknownData_AnsweredAndIgnored(string data)
    {
        await using var f = await StartAsync();

        await f.PostAllAsync(Updates.Callback(50, data));

        Assert.Single(f.Api.CallsOf("answerCallbackQuery"));
        Assert.Empty(await f.AppealsAsync());
    }

    [Fact]
    public async Task NotSolvedReply_AfterTheFinalAnswer_ReopensOnceAndConfirms()
    {
        await using var f = await StartAsync();
        var appeal = await AnsweredAppealAsync(f);
        var reply = Updates.Text(60, 30, "Не решено!");

        await f.PostAllAsync(reply);
        await f.PostAllAsync(reply); // Telegram redelivers the same update

        var reopened = await f.Desk.GetAsync(appeal.Id);
        Assert.Equal(AppealStatus.Reopened, reopened!.Status);
        Assert.Single(reopened.History, h => h.Description.Contains("Answered → Reopened", StringComparison.Ordinal));
        Assert.Single(await f.AppealsAsync());
        var confirmations = f.Api.Sent.Where(s => s.ReplyTo == 30).ToArray();
        Assert.Contains($"Обращение № {appeal.Number} возобновлено", Assert.Single(confirmations).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSolvedReply_WithoutAnAnsweredAppeal_IsAnOrdinaryMessage()
    {
        await using var f = await StartAsync();

        await f.PostAllAsync(Updates.Text(1, 10, "не решено"));

        Assert.Equal("не решено", Assert.Single(await f.AppealsAsync()).Text);
    }

    [Fact]
    public async Task FollowUp_AfterTheWindow_OpensANewAppeal()
    {
        await using var f = await StartAsync();
        var late = Updates.Text(2, 11, "И ещё: открыт люк");
        late["message"]!["date"] = 1718000000 + (int)TimeSpan.FromMinutes(11).TotalSeconds;

        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"), late);

        Assert.Equal(2, (await f.AppealsAsync()).Count);
    }

    [Fact]
    public async Task BlockAndUnblock_MembershipUpdates_ChangeReachability()
    {
        await using var f = await StartAsync();
        await f.PostAllAsync(Updates.Text(1, 10, "Яма на дороге"));

        await f.PostAllAsync(Updates.MyChatMember(2, "kicked"));
        var blocked = await f.DispatchAsync();
        await f.PostAllAsync(Updates.MyChatMember(3, "member"));
        await f.PostAllAsync(Updates.Text(4, 11, "Вы меня слышите?"));
        var appeal = Assert.Single(await f.AppealsAsync());
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Да, работаем.", IsFinal: false));
        var unblocked = await f.DispatchAsync();

        Assert.Equal(1, blocked.Failed);
        Assert.Equal(1, unblocked.Delivered);
        Assert.Single(f.Api.Sent);
    }

    [Fact]
    public async Task CitizenWritesAgain_AfterBlocking_BecomesReachable()
    {
        await using var f = await StartAsync();
        await f.PostAllAsync(Updates.MyChatMember(1, "kicked"));

        await f.PostAllAsync(Updates.Text(2, 10, "Снова пишу: яма"));
        var summary = await f.DispatchAsync();

        Assert.Equal(1, summary.Delivered);
        Assert.Equal("reachable", await f.Checkpoints.GetCheckpointAsync(TelegramRecipients.KeyOf(Updates.CitizenId)));
    }

    [Fact]
    public async Task BotsAndChannelPosts_Skipped()
    {
        await using var f = await StartAsync();
        var fromBot = Updates.Text(1, 10, "Я бот");
        fromBot["message"]!["from"]!["is_bot"] = true;
        var channelPost = Updates.Update(2, "channel_post", Updates.Message(11));

        await f.PostAllAsync(fromBot, channelPost);

        Assert.Empty(await f.AppealsAsync());
        Assert.Empty(f.Api.Calls);
    }
}
