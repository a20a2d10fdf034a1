using Mcu.Sdk.Channels;
using Mcu.Sdk.Channels.Vk.Replies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mcu.Sdk.Channels.Vk.Tests.Intake;

public sealed class VkLongPollPollerTests
{
    private const long Citizen = 22757746;

    private static Task<VkFixture> StartAsync(Action<IMcuBuilder>? configureMcu = null) =>
        VkFixture.StartAsync(o => o.UseLongPoll = true, configureMcu);

    private static ChannelPollingService PollingService(VkFixture vk) =>
        vk.Provider.GetServices<IHostedService>().OfType<ChannelPollingService>().Single();

    [Fact]
    public async Task PollAsync_FirstStart_GetsTheServerAndAsksWithWait25()
    {
        await using var vk = await StartAsync();

        var batch = await vk.Poller.PollAsync(null);

        Assert.Empty(batch.Messages);
        Assert.Equal("1", batch.NextCheckpoint);
        var server = Assert.Single(vk.Api.CallsTo("groups.getLongPollServer"));
        Assert.Equal(VkEvents.Id(FakeVkApi.GroupId), server.Fields["group_id"]);
        var request = Assert.Single(vk.Api.LongPollRequests);
        Assert.Equal("a_check", request.Act);
        Assert.Equal("25", request.Wait);
        Assert.Equal(vk.Api.CurrentKey, request.Key);
        Assert.Equal("1", request.Ts);
    }

    [Fact]
    public async Task PollAsync_Events_BecomeMessagesAndTheNextTs()
    {
        await using var vk = await StartAsync();
        var first = await vk.Poller.PollAsync(null);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Яма на дороге [topic:roads]"));
        vk.Api.AddEvent("wall_reply_new", VkEvents.WallReply(8, Citizen + 1, 5, "Когда починят дорогу? [topic:roads]"));
        vk.Api.AddEvent("group_join", new System.Text.Json.Nodes.JsonObject { ["user_id"] = Citizen, ["join_type"] = "join" });

        var batch = await vk.Poller.PollAsync(first.NextCheckpoint);

        Assert.Equal(2, batch.Messages.Count);
        Assert.Equal(1, batch.Skipped);
        Assert.Equal("4", batch.NextCheckpoint);
        Assert.Equal($"msg{Citizen}_10", batch.Messages[0].ExternalId);
        Assert.Equal($"wall-{FakeVkApi.GroupId}_5:8", batch.Messages[1].ExternalId);
        Assert.Single(vk.Api.CallsTo("groups.getLongPollServer"));
    }

    [Fact]
    public async Task PollAsync_StoredCheckpoint_ResumesFromIt()
    {
        await using var vk = await StartAsync();
        await vk.Poller.PollAsync(null);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Первое [topic:roads]"));
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 11, "Второе [topic:roads]"));

        var batch = await vk.Poller.PollAsync("2");

        Assert.Equal($"msg{Citizen}_11", Assert.Single(batch.Messages).ExternalId);
        Assert.Equal("2", vk.Api.LongPollRequests[^1].Ts);
    }

    [Fact]
    public async Task PollAsync_Failed1_ContinuesWithTheNewTs()
    {
        await using var vk = await StartAsync();
        await vk.Poller.PollAsync(null);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Потерянное [topic:roads]"));
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 11, "Тоже потерянное [topic:roads]"));
        vk.Api.DropHistory();

        var lost = await vk.Poller.PollAsync("1");
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 12, "Новое [topic:roads]"));
        var next = await vk.Poller.PollAsync(lost.NextCheckpoint);

        Assert.Empty(lost.Messages);
        Assert.Equal("3", lost.NextCheckpoint);
        Assert.Equal($"msg{Citizen}_12", Assert.Single(next.Messages).ExternalId);
        Assert.Single(vk.Api.CallsTo("groups.getLongPollServer"));
    }

    [Fact]
    public async Task PollAsync_Failed2_GetsANewKeyAndKeepsTheTs()
    {
        await using var vk = await StartAsync();
        await vk.Poller.PollAsync(null);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Яма [topic:roads]"));
        vk.Api.ExpireKey();

        var batch = await vk.Poller.PollAsync("1");

        Assert.Equal($"msg{Citizen}_10", Assert.Single(batch.Messages).ExternalId);
        Assert.Equal(2, vk.Api.CallsTo("groups.getLongPollServer").Count);
        var requests = vk.Api.LongPollRequests;
        Assert.Equal(requests[^2].Ts, requests[^1].Ts);
        Assert.NotEqual(requests[^2].Key, requests[^1].Key);
        Assert.Equal(vk.Api.CurrentKey, requests[^1].Key);
    }

    [Fact]
    public async Task PollAsync_Failed3_GetsANewKeyAndTs()
    {
        await using var vk = await StartAsync();
        await vk.Poller.PollAsync(null);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Яма [topic:roads]"));
        vk.Api.LoseSession();

        var lost = await vk.Poller.PollAsync("1");
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 11, "После потери [topic:roads]"));
        var next = await vk.Poller.PollAsync(lost.NextCheckpoint);

        Assert.Empty(lost.Messages);
        Assert.Equal("2", lost.NextCheckpoint);
        Assert.Equal(2, vk.Api.CallsTo("groups.getLongPollServer").Count);
        Assert.Equal($"msg{Citizen}_11", Assert.Single(next.Messages).ExternalId);
        Assert.Equal(vk.Api.CurrentKey, vk.Api.LongPollRequests[^1].Key);
    }

    [Fact]
    public async Task PollOnceAsync_TsCheckpointIsStoredOnlyAfterTheDeskAcceptedTheBatch()
    {
        var store = new FailingStore();
        await using var vk = await StartAsync(mcu => mcu.UseStore(_ => store));
        var polling = PollingService(vk);
        await polling.PollOnceAsync(vk.Poller);
        var start = await vk.Checkpoints.GetCheckpointAsync(vk.Poller.CheckpointKey);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Яма на дороге [topic:roads]"));
        store.AddFailures = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => polling.PollOnceAsync(vk.Poller).AsTask());
        var afterFailure = await vk.Checkpoints.GetCheckpointAsync(vk.Poller.CheckpointKey);
        var accepted = await polling.PollOnceAsync(vk.Poller);
        var afterSuccess = await vk.Checkpoints.GetCheckpointAsync(vk.Poller.CheckpointKey);

        Assert.Equal("1", start);
        Assert.Equal("1", afterFailure);
        Assert.Equal(1, accepted);
        Assert.Equal("2", afterSuccess);
        Assert.Single(await vk.AppealsAsync());
    }

    [Fact]
    public async Task PollOnceAsync_ReplayedBatch_IsAcceptedOnce()
    {
        await using var vk = await StartAsync();
        var polling = PollingService(vk);
        await polling.PollOnceAsync(vk.Poller);
        vk.Api.AddEvent("message_new", VkEvents.MessageNew(Citizen, 10, "Яма на дороге [topic:roads]"));

        await polling.PollOnceAsync(vk.Poller);
        var replay = await vk.Poller.PollAsync("1");
        foreach (var message in replay.Messages)
        {
            await vk.Desk.IngestAsync(message);
        }

        Assert.Single(await vk.AppealsAsync());
    }

    [Fact]
    public async Task PollAsync_MessageAllowEvent_ClearsUnreachability()
    {
        await using var vk = await StartAsync();
        var reachability = new VkReachability(vk.Checkpoints);
        await reachability.MarkUnreachableAsync(Citizen, 901, default);
        await vk.Poller.PollAsync(null);
        vk.Api.AddEvent("message_allow", VkEvents.Permission(Citizen));

        var batch = await vk.Poller.PollAsync("1");

        Assert.Empty(batch.Messages);
        Assert.Equal(0, batch.Skipped);
        Assert.Null(await reachability.GetUnreachableCodeAsync(Citizen, default));
    }

    [Fact]
    public async Task PollAsync_TokenRejected_ThrowsAClearErrorWithoutTheToken()
    {
        await using var vk = await StartAsync();
        vk.Api.FailNext("groups.getLongPollServer", 5, "User authorization failed: invalid access_token (4).");

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => vk.Poller.PollAsync(null).AsTask());

        Assert.Contains("error 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("access token was rejected", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeVkApi.CommunityToken, ex.ToString(), StringComparison.Ordinal);
        Assert.Single(vk.Api.CallsTo("groups.getLongPollServer"));
    }
}
