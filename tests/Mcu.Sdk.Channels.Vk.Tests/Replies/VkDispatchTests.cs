using Mcu.Sdk.Channels.Vk.Replies;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Channels.Vk.Tests.Replies;

/// <summary>The VK sender under the core's reply dispatcher: the whole walk from a VK event to the answer in the same place.</summary>
public sealed class VkDispatchTests
{
    private const long Citizen = 22757746;

    private static async Task<Appeal> AcceptDialogAsync(VkFixture vk, long cmid = 1)
    {
        await vk.PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(Citizen, cmid, "Яма на дороге у дома 5 [topic:roads]")));
        return Assert.Single(await vk.AppealsAsync());
    }

    [Fact]
    public async Task Dispatch_DialogAppeal_AcknowledgementAndAnswerGoToTheSameDialogOnce()
    {
        await using var vk = await VkFixture.StartAsync();
        var appeal = await AcceptDialogAsync(vk);

        await vk.Dispatcher.DispatchDueAsync();
        await vk.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Яму заделают до пятницы.", IsFinal: true));
        await vk.Dispatcher.DispatchDueAsync();
        await vk.Dispatcher.DispatchDueAsync();

        var sent = vk.Api.Messages;
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(Citizen, m.PeerId));
        Assert.Contains(appeal.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), sent[0].Text, StringComparison.Ordinal);
        Assert.Contains("до пятницы", sent[1].Text, StringComparison.Ordinal);
        Assert.Equal(0, vk.Api.DuplicateSends);
        Assert.All(await vk.Store.GetOutboxAsync(appeal.Id), r => Assert.Equal(OutboxStatus.Delivered, r.Status));
    }

    [Fact]
    public async Task Dispatch_WallCommentAppeal_AnswerGoesUnderTheComment()
    {
        await using var vk = await VkFixture.StartAsync();
        await vk.PostAsync(VkEvents.Callback("wall_reply_new", VkEvents.WallReply(8, Citizen, 5, "Когда починят дорогу? [topic:roads]")));

        await vk.Dispatcher.DispatchDueAsync();

        var comment = Assert.Single(vk.Api.Comments);
        Assert.Equal(-FakeVkApi.GroupId, comment.OwnerId);
        Assert.Equal(5, comment.ItemId);
        Assert.Equal(8, comment.ReplyToComment);
        Assert.Empty(vk.Api.Messages);
    }

    [Fact]
    public async Task Dispatch_Captcha_ParksTheReplyAndRaisesReplyParked()
    {
        await using var vk = await VkFixture.StartAsync();
        var appeal = await AcceptDialogAsync(vk);
        vk.Api.FailNext("messages.send", 14, "Captcha needed");

        var summary = await vk.Dispatcher.DispatchDueAsync();

        Assert.Equal(1, summary.Parked);
        var reply = Assert.Single(await vk.Store.GetOutboxAsync(appeal.Id));
        Assert.Equal(OutboxStatus.Parked, reply.Status);
        Assert.Contains("captcha", reply.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Single(vk.Events.Of(AppealEventKind.ReplyParked));
        Assert.Single(vk.Api.CallsTo("messages.send"));
    }

    [Fact]
    public async Task Dispatch_RejectedToken_ParksWithoutRetrying()
    {
        await using var vk = await VkFixture.StartAsync();
        var appeal = await AcceptDialogAsync(vk);
        vk.Api.FailNext("messages.send", 5, "User authorization failed: invalid access_token (4).");

        await vk.Dispatcher.DispatchDueAsync();

        Assert.Equal(OutboxStatus.Parked, Assert.Single(await vk.Store.GetOutboxAsync(appeal.Id)).Status);
        Assert.Single(vk.Api.CallsTo("messages.send"));
    }

    [Fact]
    public async Task Dispatch_TransientFlood_IsRetriedOnTheClockAndDeliveredOnce()
    {
        await using var vk = await VkFixture.StartAsync();
        var appeal = await AcceptDialogAsync(vk);
        vk.Api.FailNext("messages.send", 9, "Flood control");

        var pass = vk.Dispatcher.DispatchDueAsync().AsTask();
        await Drive.UntilCompleteAsync(vk.Clock, pass, TimeSpan.FromMilliseconds(500));

        Assert.Equal(OutboxStatus.Delivered, Assert.Single(await vk.Store.GetOutboxAsync(appeal.Id)).Status);
        Assert.Single(vk.Api.Messages);
        Assert.Equal(2, vk.Api.CallsTo("messages.send").Count);
    }

    [Fact]
    public async Task Dispatch_CitizenClosedMessages_FailsAndLaterRepliesFailWithoutCallingVk()
    {
        await using var vk = await VkFixture.StartAsync();
        var appeal = await AcceptDialogAsync(vk);
        vk.Api.BlockedPeers[Citizen] = 901;

        await vk.Dispatcher.DispatchDueAsync();
        await vk.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Промежуточный ответ.", IsFinal: false));
        await vk.Dispatcher.DispatchDueAsync();

        var outbox = await vk.Store.GetOutboxAsync(appeal.Id);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, r => Assert.Equal(OutboxStatus.Failed, r.Status));
        Assert.Single(vk.Api.CallsTo("messages.send"));
        Assert.Equal(901, await new VkReachability(vk.Checkpoints).GetUnreachableCodeAsync(Citizen, default));
    }
}
