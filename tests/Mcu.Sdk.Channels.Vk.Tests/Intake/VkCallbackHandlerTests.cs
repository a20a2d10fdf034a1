using System.Text.Json.Nodes;
using Mcu.Sdk.Channels.Vk.Replies;

namespace Mcu.Sdk.Channels.Vk.Tests.Intake;

[Collection(MetricsTests.Name)]
public sealed class VkCallbackHandlerTests
{
    private const long Citizen = 22757746;

    [Fact]
    public async Task HandleAsync_Confirmation_AnswersConfiguredCode()
    {
        await using var vk = await VkFixture.StartAsync(o => o.ConfirmationCode = "a1b2c3d4");

        var response = await vk.PostAsync(VkEvents.Callback("confirmation", null, secret: null));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("a1b2c3d4", response.Body);
        Assert.Empty(vk.Api.CallsTo("groups.getCallbackConfirmationCode"));
    }

    [Fact]
    public async Task HandleAsync_ConfirmationWithoutConfiguredCode_ReadsItOnceFromTheApi()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.ConfirmationCode = "f00dcafe";

        var first = await vk.PostAsync(VkEvents.Callback("confirmation", null));
        var second = await vk.PostAsync(VkEvents.Callback("confirmation", null));

        Assert.Equal("f00dcafe", first.Body);
        Assert.Equal("f00dcafe", second.Body);
        var call = Assert.Single(vk.Api.CallsTo("groups.getCallbackConfirmationCode"));
        Assert.Equal(VkEvents.Id(FakeVkApi.GroupId), call.Fields["group_id"]);
        Assert.Equal("community", call.TokenKind);
    }

    [Fact]
    public async Task HandleAsync_ConfirmationWithWrongSecret_Returns401()
    {
        await using var vk = await VkFixture.StartAsync(o => o.ConfirmationCode = "a1b2c3d4");

        var response = await vk.PostAsync(VkEvents.Callback("confirmation", null, secret: "guess"));

        Assert.Equal(401, response.StatusCode);
        Assert.NotEqual("a1b2c3d4", response.Body);
    }

    [Fact]
    public async Task HandleAsync_ConfirmationForAnotherCommunity_Returns400()
    {
        await using var vk = await VkFixture.StartAsync(o => o.ConfirmationCode = "a1b2c3d4");

        var response = await vk.PostAsync(VkEvents.Callback("confirmation", null, groupId: 42));

        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task HandleAsync_WrongSecret_Returns401AndAcceptsNothing()
    {
        using var skipped = new SkippedUpdates();
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 1, "Яма на дороге [topic:roads]"), secret: "callback-secret-for-tests-x"));

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(await vk.AppealsAsync());
        Assert.Equal(1, skipped.Of("bad_secret"));
    }

    [Fact]
    public async Task HandleAsync_MissingSecret_Returns401()
    {
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 1, "Яма на дороге"), secret: null));

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(await vk.AppealsAsync());
    }

    [Theory]
    [InlineData("{\"type\": \"message_new\", \"object\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"group_id\": 201077021}")]
    [InlineData("")]
    public async Task HandleAsync_MalformedBody_Returns400(string body)
    {
        using var skipped = new SkippedUpdates();
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(body);

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(await vk.AppealsAsync());
        Assert.Equal(1, skipped.Of("malformed_body"));
    }

    [Fact]
    public async Task HandleAsync_EventOfAnotherCommunity_Returns400()
    {
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 1, "Яма"), groupId: 1));

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(await vk.AppealsAsync());
    }

    [Fact]
    public async Task HandleAsync_MessageNew_AcceptsAppealWithDialogAddressThenAnswersOk()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.Users[Citizen] = ("Анна", "Смирнова");
        var geo = new JsonObject { ["type"] = "point", ["coordinates"] = new JsonObject { ["latitude"] = 55.75, ["longitude"] = 37.61 } };
        var body = VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 1383, "Не горит фонарь во дворе [topic:lighting]", attachments: [VkEvents.Photo(Citizen, 457239017, "abc123")], geo: geo));

        var response = await vk.PostAsync(body);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("ok", response.Body);
        var appeal = Assert.Single(await vk.AppealsAsync());
        Assert.Equal(ChannelId.Vk, appeal.Channel);
        Assert.Equal($"msg{Citizen}_1383", appeal.ExternalId);
        Assert.Equal(new ReplyAddress(ChannelId.Vk, VkEvents.Id(Citizen)), appeal.ReplyAddress);
        Assert.Equal(VkEvents.Id(Citizen), appeal.Author.Id);
        Assert.Equal("Анна Смирнова", appeal.Author.DisplayName);
        Assert.Equal(new GeoLocation(55.75, 37.61), appeal.Location);
        var photo = Assert.Single(appeal.Attachments);
        Assert.Equal(AttachmentKind.Photo, photo.Kind);
        Assert.Equal($"photo{Citizen}_457239017_abc123", photo.Reference);
        Assert.Equal(VkEvents.Date, appeal.ReceivedAt);
    }

    [Fact]
    public async Task HandleAsync_MessageNewInGroupChat_QuotesTheMessageAndKeepsCitizensApart()
    {
        await using var vk = await VkFixture.StartAsync();
        const long chat = 2_000_000_007;

        await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 55, "Мусор не вывезли [topic:waste]", peerId: chat)));
        await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen + 1, 56, "Снег не убран [topic:roads]", peerId: chat)));

        var appeals = await vk.AppealsAsync();
        Assert.Equal(2, appeals.Count);
        Assert.Equal(new ReplyAddress(ChannelId.Vk, VkEvents.Id(chat), null, "55"), appeals.Single(a => a.Author.Id == VkEvents.Id(Citizen)).ReplyAddress);
        Assert.NotEqual(appeals[0].ConversationKey, appeals[1].ConversationKey);
    }

    [Fact]
    public async Task HandleAsync_DuplicateEventId_AcceptsOnceAndAnswersOkTwice()
    {
        using var skipped = new SkippedUpdates();
        await using var vk = await VkFixture.StartAsync();
        var body = VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 7, "Яма на дороге [topic:roads]"), eventId: "20a812cb0e42e89e4fbe5f49df1600e1e79983ac");

        var first = await vk.PostAsync(body);
        var second = await vk.PostAsync(body);

        Assert.Equal("ok", first.Body);
        Assert.Equal("ok", second.Body);
        var appeal = Assert.Single(await vk.AppealsAsync());
        Assert.Single(appeal.Messages);
        Assert.Single(vk.Events.Of(AppealEventKind.Accepted));
        Assert.Equal(1, skipped.Of("duplicate_event"));
    }

    [Fact]
    public async Task HandleAsync_SameMessageWithAnotherEventId_IsStillOneAppeal()
    {
        await using var vk = await VkFixture.StartAsync();

        await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 7, "Яма на дороге [topic:roads]")));
        await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 7, "Яма на дороге [topic:roads]")));

        Assert.Single(await vk.AppealsAsync());
        Assert.Single(vk.Events.Of(AppealEventKind.Accepted));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandleAsync_WallReplyNew_BothOwnerForms_AnswerUnderTheComment(bool ownerForm)
    {
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback("wall_reply_new", VkEvents.WallReply(8, 343298673, 5, "Когда починят дорогу? [topic:roads]", ownerForm)));

        Assert.Equal("ok", response.Body);
        var appeal = Assert.Single(await vk.AppealsAsync());
        Assert.Equal($"wall-{FakeVkApi.GroupId}_5:8", appeal.ExternalId);
        Assert.Equal(new ReplyAddress(ChannelId.Vk, $"wall-{FakeVkApi.GroupId}_5", "8", "8"), appeal.ReplyAddress);
        Assert.True(VkTarget.TryParse(appeal.ReplyAddress, out var target));
        Assert.Equal(VkTargetKind.WallComment, target.Kind);
        Assert.Equal(-FakeVkApi.GroupId, target.OwnerId);
        Assert.Equal(5, target.ItemId);
        Assert.Equal(8, target.ReplyTo);
    }

    [Fact]
    public async Task HandleAsync_WallReplyInThread_KeepsTheThreadRoot()
    {
        await using var vk = await VkFixture.StartAsync();

        await vk.PostAsync(VkEvents.Callback("wall_reply_new", VkEvents.WallReply(12, 343298673, 5, "И у нас тоже яма [topic:roads]", parentId: 8)));

        var appeal = Assert.Single(await vk.AppealsAsync());
        Assert.Equal("8", appeal.ReplyAddress.ThreadId);
        Assert.Equal("12", appeal.ReplyAddress.ReplyToMessageId);
    }

    [Fact]
    public async Task HandleAsync_WallReplyFromTheCommunity_IsSkippedWithOk()
    {
        using var skipped = new SkippedUpdates();
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback("wall_reply_new", VkEvents.WallReply(9, -FakeVkApi.GroupId, 5, "Ваше обращение принято")));

        Assert.Equal("ok", response.Body);
        Assert.Empty(await vk.AppealsAsync());
        Assert.Equal(1, skipped.Of("not_from_citizen"));
    }

    [Fact]
    public async Task HandleAsync_SuggestedPost_IsAnAppealAnsweredInADialogWithTheAuthor()
    {
        await using var vk = await VkFixture.StartAsync();

        await vk.PostAsync(VkEvents.Callback("wall_post_new", VkEvents.WallPost(41, Citizen, "Предлагаю опубликовать: во дворе на Ленина 5 третий день течёт труба [topic:utilities]")));
        await vk.PostAsync(VkEvents.Callback("wall_post_new", VkEvents.WallPost(42, -FakeVkApi.GroupId, "Новости города", postType: "post")));

        var appeal = Assert.Single(await vk.AppealsAsync());
        Assert.Equal($"wall-{FakeVkApi.GroupId}_41", appeal.ExternalId);
        Assert.Equal(new ReplyAddress(ChannelId.Vk, VkEvents.Id(Citizen)), appeal.ReplyAddress);
    }

    [Fact]
    public async Task HandleAsync_PhotoCommentAndBoardPost_AreAppealsWithTheirPlaces()
    {
        await using var vk = await VkFixture.StartAsync();

        await vk.PostAsync(VkEvents.Callback("photo_comment_new", VkEvents.PhotoComment(31, Citizen, 457239100, "А где тут переход? [topic:roads]")));
        await vk.PostAsync(VkEvents.Callback("board_post_new", VkEvents.BoardPost(77, Citizen + 1, 9, "Когда отремонтируют детскую площадку? [topic:improvement]")));

        var appeals = await vk.AppealsAsync();
        var photo = appeals.Single(a => a.ExternalId.StartsWith("photo", StringComparison.Ordinal));
        Assert.Equal(new ReplyAddress(ChannelId.Vk, $"photo-{FakeVkApi.GroupId}_457239100", "31", "31"), photo.ReplyAddress);
        var board = appeals.Single(a => a.ExternalId.StartsWith("topic", StringComparison.Ordinal));
        Assert.Equal($"topic-{FakeVkApi.GroupId}_9:77", board.ExternalId);
        Assert.Equal(new ReplyAddress(ChannelId.Vk, $"topic-{FakeVkApi.GroupId}_9"), board.ReplyAddress);
    }

    [Fact]
    public async Task HandleAsync_MessageDenyThenAllow_MarksAndClearsUnreachability()
    {
        await using var vk = await VkFixture.StartAsync();
        var reachability = new VkReachability(vk.Checkpoints);

        await vk.PostAsync(VkEvents.Callback("message_deny", VkEvents.Permission(Citizen)));
        var denied = await reachability.GetUnreachableCodeAsync(Citizen, default);
        await vk.PostAsync(VkEvents.Callback("message_allow", VkEvents.Permission(Citizen)));
        var allowed = await reachability.GetUnreachableCodeAsync(Citizen, default);

        Assert.Equal(901, denied);
        Assert.Null(allowed);
        Assert.Empty(await vk.AppealsAsync());
    }

    [Theory]
    [InlineData("group_join")]
    [InlineData("message_reply")]
    [InlineData("like_add")]
    [InlineData("some_future_event")]
    public async Task HandleAsync_UnhandledKinds_AreSkippedWithOkAndCounted(string type)
    {
        using var skipped = new SkippedUpdates();
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback(type, new JsonObject { ["user_id"] = Citizen }));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("ok", response.Body);
        Assert.Empty(await vk.AppealsAsync());
        Assert.Equal(1, skipped.Of("unhandled_event_kind"));
    }

    [Fact]
    public async Task HandleAsync_KnownKindWithBrokenObject_IsSkippedWithOkAndCounted()
    {
        using var skipped = new SkippedUpdates();
        await using var vk = await VkFixture.StartAsync();

        var response = await vk.PostAsync(VkEvents.Callback("message_new", new JsonObject { ["message"] = "not an object" }));

        Assert.Equal("ok", response.Body);
        Assert.Empty(await vk.AppealsAsync());
        Assert.Equal(1, skipped.Of("malformed_event"));
    }

    [Fact]
    public async Task HandleAsync_DeskFails_ThrowsWithoutOkAndTheRedeliveryIsAccepted()
    {
        var store = new FailingStore { AddFailures = 1 };
        await using var vk = await VkFixture.StartAsync(configureMcu: mcu => mcu.UseStore(_ => store));
        var body = VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 3, "Яма на дороге [topic:roads]"), eventId: "e-1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => vk.PostAsync(body).AsTask());
        var redelivered = await vk.PostAsync(body);

        Assert.Equal("ok", redelivered.Body);
        Assert.Single(await vk.AppealsAsync());
    }
}
