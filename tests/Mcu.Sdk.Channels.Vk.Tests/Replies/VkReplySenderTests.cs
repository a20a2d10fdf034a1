using Mcu.Sdk.Channels.Vk.Replies;

namespace Mcu.Sdk.Channels.Vk.Tests.Replies;

public sealed class VkReplySenderTests
{
    private const long Citizen = 22757746;
    private static readonly string Wall = $"wall-{FakeVkApi.GroupId}_5";

    private static OutgoingMessage Message(string conversation, string text, string? replyTo = null, string? key = null, IReadOnlyList<Attachment>? attachments = null) =>
        new(new ReplyAddress(ChannelId.Vk, conversation, null, replyTo), text, key ?? $"{Guid.NewGuid():N}:0") { Attachments = attachments ?? [] };

    [Fact]
    public async Task SendAsync_Dialog_CallsMessagesSendWithPeerIdAndDerivedRandomIdInTheFormBody()
    {
        await using var vk = await VkFixture.StartAsync();
        var message = Message(VkEvents.Id(Citizen), "Ваше обращение № 17 принято.");

        var receipt = await vk.Sender.SendAsync(message);

        var sent = Assert.Single(vk.Api.Messages);
        Assert.Equal(Citizen, sent.PeerId);
        Assert.Equal("Ваше обращение № 17 принято.", sent.Text);
        Assert.Equal(VkReplySender.RandomIdOf(message.IdempotencyKey), sent.RandomId);
        Assert.Equal(sent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), receipt.ExternalMessageId);
        var call = Assert.Single(vk.Api.CallsTo("messages.send"));
        Assert.Equal("community", call.TokenKind);
        Assert.StartsWith("application/x-www-form-urlencoded", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("5.199", call.Fields["v"]);
        Assert.Equal(0, vk.Api.TokenInUrlCount);
    }

    [Fact]
    public void RandomIdOf_SameKey_IsStablePositiveAndDistinctFromOtherParts()
    {
        var outbox = Guid.Parse("0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f506");

        var first = VkReplySender.RandomIdOf($"{outbox:N}:0");
        var again = VkReplySender.RandomIdOf($"{outbox:N}:0");
        var second = VkReplySender.RandomIdOf($"{outbox:N}:1");

        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
        Assert.True(first > 0);
        Assert.True(second > 0);
    }

    [Fact]
    public async Task SendAsync_RetryAfterALostAnswer_IsDetectedAsDuplicateAndDeliveredOnce()
    {
        await using var vk = await VkFixture.StartAsync();
        var message = Message(VkEvents.Id(Citizen), "Ответ по обращению № 18: яму заделают до пятницы.");

        var first = await vk.Sender.SendAsync(message);
        var retry = await vk.Sender.SendAsync(message);

        Assert.Single(vk.Api.Messages);
        Assert.Equal(1, vk.Api.DuplicateSends);
        Assert.Equal(first.ExternalMessageId, retry.ExternalMessageId);
    }

    [Fact]
    public async Task SendAsync_AfterARestart_SameKeyIsNotSentTwice()
    {
        await using var api = await FakeVkApi.StartAsync();
        var message = Message(VkEvents.Id(Citizen), "Ответ по обращению № 19.");
        await using (var before = await VkFixture.StartAsync(api: api))
        {
            await before.Sender.SendAsync(message);
        }

        await using var after = await VkFixture.StartAsync(api: api);
        await after.Sender.SendAsync(message with { });

        Assert.Single(api.Messages);
        Assert.Equal(1, api.DuplicateSends);
    }

    [Fact]
    public async Task SendAsync_TextOver4096_IsSplitAtWordBoundariesWithOneRandomIdPerPart()
    {
        await using var vk = await VkFixture.StartAsync();
        var text = string.Join(' ', Enumerable.Repeat("Дорожная служба отремонтирует покрытие на улице Ленина.", 120));

        await vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), text));

        var sent = vk.Api.Messages;
        Assert.True(sent.Count >= 2);
        Assert.All(sent, m => Assert.True(m.Text.Length <= 4096));
        Assert.All(sent.Take(sent.Count - 1), m => Assert.EndsWith(".", m.Text, StringComparison.Ordinal));
        Assert.Equal(sent.Count, sent.Select(m => m.RandomId).Distinct().Count());
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(sent.Select(m => m.Text)).Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_Error914_SplitsAndRetriesUntilVkAccepts()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.MaxMessageLength = 1000;
        var text = string.Join(' ', Enumerable.Repeat("Подача горячей воды восстановлена.", 80));

        var receipt = await vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), text));

        var sent = vk.Api.Messages;
        Assert.True(sent.Count >= 3);
        Assert.All(sent, m => Assert.True(m.Text.Length <= 1000));
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(sent.Select(m => m.Text)).Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal(sent[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), receipt.ExternalMessageId);
    }

    [Fact]
    public async Task SendAsync_Error914Retried_DoesNotSendTheHalvesTwice()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.MaxMessageLength = 1000;
        var message = Message(VkEvents.Id(Citizen), string.Join(' ', Enumerable.Repeat("Вывоз мусора по графику.", 100)));

        await vk.Sender.SendAsync(message);
        var delivered = vk.Api.Messages.Count;
        await vk.Sender.SendAsync(message);

        Assert.Equal(delivered, vk.Api.Messages.Count);
        Assert.Equal(delivered, vk.Api.DuplicateSends);
    }

    [Theory]
    [InlineData(6, true)]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(29, true)]
    [InlineData(100, false)]
    [InlineData(15, false)]
    public async Task SendAsync_VkError_MapsToChannelExceptionWithTransience(int code, bool transient)
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("messages.send", code, "Simulated error");

        var ex = await Assert.ThrowsAsync<ChannelException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Текст")).AsTask());

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(ChannelId.Vk, ex.Channel);
        Assert.False(ex.RequiresIntervention);
        Assert.Equal(code == 6 ? TimeSpan.FromSeconds(1) : null, ex.RetryAfter);
        Assert.Empty(vk.Api.Messages);
    }

    [Fact]
    public async Task SendAsync_Captcha_RequiresInterventionSoTheReplyIsParked()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("messages.send", 14, "Captcha needed");

        var ex = await Assert.ThrowsAsync<ChannelException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Текст")).AsTask());

        Assert.Equal(14, ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.True(ex.RequiresIntervention);
        Assert.Contains("captcha", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(27)]
    public async Task SendAsync_TokenRejected_FailsFastWithAClearMessageWithoutTheToken(int code)
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("messages.send", code, "User authorization failed: invalid access_token (4).");

        var ex = await Assert.ThrowsAsync<ChannelException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Текст")).AsTask());

        Assert.False(ex.IsTransient);
        Assert.True(ex.RequiresIntervention);
        Assert.Contains("access token was rejected", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeVkApi.CommunityToken, ex.ToString(), StringComparison.Ordinal);
        Assert.Single(vk.Api.CallsTo("messages.send"));
    }

    [Theory]
    [InlineData(900)]
    [InlineData(901)]
    [InlineData(902)]
    public async Task SendAsync_RecipientUnreachable_IsRememberedUntilMessageAllow(int code)
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.BlockedPeers[Citizen] = code;

        var first = await Assert.ThrowsAsync<RecipientUnreachableException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Первый ответ")).AsTask());
        var second = await Assert.ThrowsAsync<RecipientUnreachableException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Второй ответ")).AsTask());
        var callsWhileMarked = vk.Api.CallsTo("messages.send").Count;
        vk.Api.BlockedPeers.TryRemove(Citizen, out _);
        await vk.PostAsync(VkEvents.Callback("message_allow", VkEvents.Permission(Citizen)));
        await vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Третий ответ"));

        Assert.Equal(code, first.ErrorCode);
        Assert.Equal(code, second.ErrorCode);
        Assert.False(first.IsTransient);
        Assert.Equal(1, callsWhileMarked);
        Assert.Equal("Третий ответ", Assert.Single(vk.Api.Messages).Text);
    }

    [Fact]
    public async Task SendAsync_CitizenWritesAgain_ClearsTheUnreachableMark()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.BlockedPeers[Citizen] = 901;
        await Assert.ThrowsAsync<RecipientUnreachableException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Ответ")).AsTask());
        vk.Api.BlockedPeers.TryRemove(Citizen, out _);

        await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, 90, "Спасибо, жду ответа [topic:roads]")));
        await vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Ответ ещё раз"));

        Assert.Single(vk.Api.Messages);
    }

    [Fact]
    public async Task SendAsync_WallComment_RepliesToTheCommentFromTheGroupWithGuid()
    {
        await using var vk = await VkFixture.StartAsync();
        var message = Message(Wall, "Спасибо, передали в дорожную службу.", replyTo: "8");

        var receipt = await vk.Sender.SendAsync(message);

        var comment = Assert.Single(vk.Api.Comments);
        Assert.Equal("wall.createComment", comment.Method);
        Assert.Equal(-FakeVkApi.GroupId, comment.OwnerId);
        Assert.Equal(5, comment.ItemId);
        Assert.Equal(8, comment.ReplyToComment);
        Assert.Equal(VkEvents.Id(FakeVkApi.GroupId), comment.FromGroup);
        Assert.Equal(VkReplySender.GuidOf(message.IdempotencyKey), comment.Guid);
        Assert.Equal("community", comment.TokenKind);
        Assert.Equal(VkEvents.Id(comment.Id), receipt.ExternalMessageId);
    }

    [Fact]
    public async Task SendAsync_WallCommentRetried_GuidMakesItOneComment()
    {
        await using var vk = await VkFixture.StartAsync();
        var message = Message(Wall, "Спасибо, передали в дорожную службу.", replyTo: "8");

        await vk.Sender.SendAsync(message);
        await vk.Sender.SendAsync(message);

        Assert.Single(vk.Api.Comments);
        Assert.Equal(1, vk.Api.DuplicateComments);
    }

    [Fact]
    public async Task SendAsync_PhotoComment_UsesTheUserTokenOnBehalfOfTheCommunity()
    {
        await using var vk = await VkFixture.StartAsync(o => o.UserAccessToken = FakeVkApi.UserToken);

        await vk.Sender.SendAsync(Message($"photo-{FakeVkApi.GroupId}_457239100", "Переход будет обустроен летом.", replyTo: "31"));

        var comment = Assert.Single(vk.Api.Comments);
        Assert.Equal("photos.createComment", comment.Method);
        Assert.Equal(457239100, comment.ItemId);
        Assert.Equal(31, comment.ReplyToComment);
        Assert.Equal("1", comment.FromGroup);
        Assert.Equal("user", comment.TokenKind);
        Assert.False(string.IsNullOrEmpty(comment.Guid));
    }

    [Fact]
    public async Task SendAsync_BoardComment_UsesTheUserTokenAndTheGroupId()
    {
        await using var vk = await VkFixture.StartAsync(o => o.UserAccessToken = FakeVkApi.UserToken);

        await vk.Sender.SendAsync(Message($"topic-{FakeVkApi.GroupId}_9", "Площадку отремонтируют в мае."));

        var comment = Assert.Single(vk.Api.Comments);
        Assert.Equal("board.createComment", comment.Method);
        Assert.Equal(-FakeVkApi.GroupId, comment.OwnerId);
        Assert.Equal(9, comment.ItemId);
        Assert.Equal("1", comment.FromGroup);
        Assert.Equal("user", comment.TokenKind);
    }

    [Theory]
    [InlineData("photo-201077021_457239100")]
    [InlineData("topic-201077021_9")]
    [InlineData("wall-555_7")]
    public async Task SendAsync_CommentThatNeedsAUserTokenWithoutOne_FailsPermanentlyWithoutCallingVk(string conversation)
    {
        await using var vk = await VkFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<ChannelException>(() => vk.Sender.SendAsync(Message(conversation, "Ответ")).AsTask());

        Assert.False(ex.IsTransient);
        Assert.Contains("UserAccessToken", ex.Message, StringComparison.Ordinal);
        Assert.Empty(vk.Api.Calls);
    }

    [Fact]
    public async Task SendAsync_Attachments_GoAsVkAttachmentStringsAndLinksInTheText()
    {
        await using var vk = await VkFixture.StartAsync();
        var attachments = new[]
        {
            new Attachment(AttachmentKind.Photo, "photo-201077021_457239200"),
            new Attachment(AttachmentKind.Document, "doc-201077021_66_ab12cd"),
            new Attachment(AttachmentKind.Other, "https://gorod.example/plan.pdf", "План работ"),
            new Attachment(AttachmentKind.Photo, "AgACAgIAAxkBAAIBQ2"),
        };

        await vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Работы выполнены.", attachments: attachments));

        var sent = Assert.Single(vk.Api.Messages);
        Assert.Equal("photo-201077021_457239200,doc-201077021_66_ab12cd", sent.Attachment);
        Assert.Equal("Работы выполнены.\nПлан работ: https://gorod.example/plan.pdf", sent.Text);
    }

    [Fact]
    public async Task SendAsync_GroupChat_QuotesTheCitizensMessage()
    {
        await using var vk = await VkFixture.StartAsync();

        await vk.Sender.SendAsync(Message("2000000007", "Мусор вывезут завтра.", replyTo: "55"));

        var sent = Assert.Single(vk.Api.Messages);
        Assert.Equal("{\"peer_id\":2000000007,\"conversation_message_ids\":[55],\"is_reply\":true}", sent.Forward);
    }

    [Theory]
    [InlineData("telegram-chat")]
    [InlineData("wall-1")]
    [InlineData("wallabc_5")]
    [InlineData("0")]
    public async Task SendAsync_NotAVkAddress_FailsPermanently(string conversation)
    {
        await using var vk = await VkFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<ChannelException>(() => vk.Sender.SendAsync(Message(conversation, "Ответ")).AsTask());

        Assert.False(ex.IsTransient);
        Assert.Empty(vk.Api.Calls);
    }

    [Fact]
    public async Task SendAsync_VkUnreachableOverHttp_IsTransient()
    {
        await using var vk = await VkFixture.StartAsync(o => o.ApiBaseUrl = new Uri("http://127.0.0.1:1/"));

        var ex = await Assert.ThrowsAsync<ChannelException>(() => vk.Sender.SendAsync(Message(VkEvents.Id(Citizen), "Ответ")).AsTask());

        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Capabilities_DeclareVkLimitsAndIdempotency()
    {
        await using var vk = await VkFixture.StartAsync();

        var capabilities = vk.Sender.Capabilities;

        Assert.Equal(4096, capabilities.MaxTextLength);
        Assert.True(capabilities.SupportsIdempotencyKey);
        Assert.True(capabilities.SupportsThreads);
        Assert.Equal(20, capabilities.MaxMessagesPerSecond);
    }
}
