using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Monitoring;

namespace Mcu.Sdk.Channels.Vk.Tests.Monitoring;

public sealed class VkMonitoringServiceTests
{
    private const long Public = -555;
    private const long Citizen = 777;

    private static Task<VkFixture> StartAsync(Action<IMcuBuilder>? configureMcu = null, params string[] publics) =>
        VkFixture.StartAsync(
            o =>
            {
                o.Monitoring.Publics.AddRange(publics.Length == 0 ? ["-555"] : publics);
                o.Monitoring.AccessToken = FakeVkApi.ServiceToken;
                o.Monitoring.MaxRequestsPerSecond = 50;
                o.UserAccessToken = FakeVkApi.UserToken;
                o.UserTokenMaxRequestsPerSecond = 20;
            },
            configureMcu);

    /// <summary>A public with a relevant fresh post, an irrelevant one, an old one, a pinned old one, and a comment thread.</summary>
    private static FakePost SeedWall(VkFixture vk)
    {
        var now = vk.Clock.GetUtcNow();
        vk.Api.AddPost(Public, 5, now.AddDays(-4), "Старая яма на Садовой [topic:roads]");
        vk.Api.AddPost(Public, 12, now.AddDays(-10), "Правила группы [topic:roads]", pinned: true);
        var post = vk.Api.AddPost(Public, 10, now.AddHours(-2), "На Ленина 5 яма на дороге, машины бьют колёса [topic:roads]");
        vk.Api.AddPost(Public, 11, now.AddHours(-1), "Концерт в парке в субботу");
        vk.Api.AddComment(post, 100, now.AddMinutes(-90), "А у нас во дворе на Мира 3 прорвало трубу [topic:utilities]", Citizen);
        vk.Api.AddComment(post, 101, now.AddMinutes(-80), "Согласен", Citizen + 1);
        vk.Api.AddComment(post, 102, now.AddMinutes(-70), "И у нас похоже [topic:utilities] [conf:0.3]", Citizen + 2, parentId: 100);
        vk.Api.AddComment(post, 103, now.AddMinutes(-60), "Продам гараж недорого [topic:roads] [oos]", Citizen + 3);
        vk.Api.AddComment(post, 104, now.AddMinutes(-50), "Во дворе на Мира 3 вода до сих пор течёт [topic:utilities]", Citizen + 4, parentId: 100);
        return post;
    }

    [Fact]
    public async Task RunPassAsync_FirstPass_TurnsRelevantPostsAndCommentsOfTheLastDayIntoMonitoringAppeals()
    {
        await using var vk = await StartAsync();
        SeedWall(vk);

        var pass = await vk.Monitoring.RunPassAsync(default);

        Assert.True(pass.CatchUp);
        var appeals = await vk.AppealsAsync();
        Assert.Equal(3, appeals.Count);
        Assert.All(appeals, a => Assert.Equal(ChannelId.Monitoring, a.Channel));
        Assert.All(appeals, a => Assert.True(a.FoundByMonitoring));
        var post = appeals.Single(a => a.ExternalId == "vk:wall-555_10");
        Assert.Equal(new ReplyAddress(ChannelId.Vk, "wall-555_10"), post.ReplyAddress);
        var comment = appeals.Single(a => a.ExternalId == "vk:wall-555_10:100");
        Assert.Equal(new ReplyAddress(ChannelId.Vk, "wall-555_10", "100", "100"), comment.ReplyAddress);
        Assert.Equal(VkEvents.Id(Citizen), comment.Author.Id);
        var reply = appeals.Single(a => a.ExternalId == "vk:wall-555_10:104");
        Assert.Equal(new ReplyAddress(ChannelId.Vk, "wall-555_10", "100", "104"), reply.ReplyAddress);
        Assert.All(vk.Api.CallsTo("wall.get").Concat(vk.Api.CallsTo("wall.getComments")), c => Assert.Equal("service", c.TokenKind));
    }

    [Fact]
    public async Task RunPassAsync_NextPass_ReadsOnlyWhatIsNewAfterTheCursors()
    {
        await using var vk = await StartAsync();
        var post = SeedWall(vk);
        await vk.Monitoring.RunPassAsync(default);
        vk.Clock.Advance(TimeSpan.FromMinutes(5));
        var now = vk.Clock.GetUtcNow();
        var old = vk.Api.AddPost(Public, 4, now.AddDays(-5), "Очень старая запись");
        vk.Api.AddComment(old, 300, now, "Тут тоже яма [topic:roads]", Citizen);
        vk.Api.AddPost(Public, 13, now, "Не работает светофор на Гагарина [topic:roads]");
        vk.Api.AddComment(post, 105, now, "Светофор на Гагарина так и не починили [topic:roads]", Citizen + 5);

        var pass = await vk.Monitoring.RunPassAsync(default);

        Assert.False(pass.CatchUp);
        Assert.Equal(2, pass.Ingested);
        var appeals = await vk.AppealsAsync();
        Assert.Equal(5, appeals.Count);
        Assert.Contains(appeals, a => a.ExternalId == "vk:wall-555_13");
        Assert.Contains(appeals, a => a.ExternalId == "vk:wall-555_10:105");
        Assert.DoesNotContain(appeals, a => a.ExternalId == "vk:wall-555_4:300");
        Assert.Equal(5, vk.Events.Of(AppealEventKind.Accepted).Count);
        var cursor = JsonSerializer.Deserialize((await vk.Checkpoints.GetCheckpointAsync(VkMonitoringService.CursorKey(Public)))!, VkJsonContext.Default.VkMonitoringCursor)!;
        Assert.Equal(13, cursor.LastPostId);
        Assert.Equal(105, cursor.Posts.Single(p => p.Id == 10).LastCommentId);
        Assert.DoesNotContain(cursor.Posts, p => p.Id == 5);
    }

    [Fact]
    public async Task RunPassAsync_CatchUpOnceADay_FindsAPostPublishedLateWithAnOlderId()
    {
        await using var vk = await StartAsync();
        SeedWall(vk);
        var first = await vk.Monitoring.RunPassAsync(default);
        vk.Clock.Advance(TimeSpan.FromHours(1));
        vk.Api.AddPost(Public, 9, vk.Clock.GetUtcNow(), "Отложенная запись: на Лесной упало дерево на провода [topic:utilities]");

        var regular = await vk.Monitoring.RunPassAsync(default);
        var missed = (await vk.AppealsAsync()).Any(a => a.ExternalId == "vk:wall-555_9");
        vk.Clock.Advance(TimeSpan.FromHours(23));
        var catchUp = await vk.Monitoring.RunPassAsync(default);
        vk.Clock.Advance(TimeSpan.FromMinutes(5));
        var after = await vk.Monitoring.RunPassAsync(default);

        Assert.True(first.CatchUp);
        Assert.False(regular.CatchUp);
        Assert.False(missed);
        Assert.True(catchUp.CatchUp);
        Assert.Contains(await vk.AppealsAsync(), a => a.ExternalId == "vk:wall-555_9");
        Assert.False(after.CatchUp);
        Assert.Equal(4, vk.Events.Of(AppealEventKind.Accepted).Count);
    }

    [Fact]
    public async Task RunPassAsync_CatchUp_FindsACommentMissedBehindTheCursor()
    {
        await using var vk = await StartAsync();
        var post = SeedWall(vk);
        await vk.Monitoring.RunPassAsync(default);
        vk.Clock.Advance(TimeSpan.FromHours(2));
        // A reply that VK shows under an older comment only after moderation, with an id below the cursor.
        vk.Api.AddComment(post, 99, vk.Clock.GetUtcNow(), "После модерации: во дворе на Мира 3 нет воды [topic:utilities]", Citizen + 9);

        await vk.Monitoring.RunPassAsync(default);
        var missed = (await vk.AppealsAsync()).Any(a => a.ExternalId == "vk:wall-555_10:99");
        vk.Clock.Advance(TimeSpan.FromHours(22));
        await vk.Monitoring.RunPassAsync(default);

        Assert.False(missed);
        Assert.Contains(await vk.AppealsAsync(), a => a.ExternalId == "vk:wall-555_10:99");
    }

    [Fact]
    public async Task RunPassAsync_DeskFails_CursorIsNotAdvancedAndTheNextPassReadsItAgain()
    {
        var store = new FailingStore { AddFailures = 1 };
        await using var vk = await StartAsync(mcu => mcu.UseStore(_ => store));
        SeedWall(vk);

        var failed = await vk.Monitoring.RunPassAsync(default);
        var cursorAfterFailure = await vk.Checkpoints.GetCheckpointAsync(VkMonitoringService.CursorKey(Public));
        var retried = await vk.Monitoring.RunPassAsync(default);

        Assert.Equal(1, failed.FailedPublics);
        Assert.Null(cursorAfterFailure);
        Assert.Equal(0, retried.FailedPublics);
        Assert.True(retried.CatchUp);
        Assert.Equal(3, (await vk.AppealsAsync()).Count);
    }

    [Fact]
    public async Task RunPassAsync_OnePublicClosed_TheOthersAreStillRead()
    {
        await using var vk = await StartAsync(null, "-555", "-556");
        vk.Api.AddPost(-556, 1, vk.Clock.GetUtcNow().AddHours(-1), "Не убран снег на остановке «Школа» [topic:roads]");
        SeedWall(vk);
        vk.Api.FailNext("wall.get", 15, "Access denied: this wall is available only to community members");

        var pass = await vk.Monitoring.RunPassAsync(default);

        Assert.Equal(1, pass.FailedPublics);
        Assert.Single(await vk.AppealsAsync());
        Assert.NotNull(await vk.Checkpoints.GetCheckpointAsync(VkMonitoringService.CursorKey(-556)));
    }

    [Fact]
    public async Task RunPassAsync_ScreenName_IsResolvedOnce()
    {
        await using var vk = await StartAsync(null, "gorod_online");
        vk.Api.ScreenNames["gorod_online"] = ("page", 555);
        SeedWall(vk);

        await vk.Monitoring.RunPassAsync(default);
        await vk.Monitoring.RunPassAsync(default);

        Assert.Single(vk.Api.CallsTo("utils.resolveScreenName"));
        Assert.Equal(3, (await vk.AppealsAsync()).Count);
    }

    [Fact]
    public async Task RunPassAsync_UnknownScreenName_FailsWithAClearError()
    {
        await using var vk = await StartAsync(null, "no_such_public");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => vk.Monitoring.RunPassAsync(default));

        Assert.Contains("no_such_public", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPassAsync_TransientWallGetError_IsRetriedWithBackoffOnTheClock()
    {
        await using var vk = await StartAsync();
        SeedWall(vk);
        vk.Api.FailNext("wall.get", 10, "Internal server error", times: 2);

        var pass = vk.Monitoring.RunPassAsync(default);
        await Drive.UntilCompleteAsync(vk.Clock, pass, TimeSpan.FromSeconds(1));

        Assert.Equal(3, (await vk.AppealsAsync()).Count);
        Assert.True(vk.Api.CallsTo("wall.get").Count >= 3);
    }

    [Fact]
    public async Task AnswerAsync_ToAFinding_IsACommentUnderItFromTheCommunityWithTheUserToken()
    {
        await using var vk = await StartAsync();
        SeedWall(vk);
        await vk.Monitoring.RunPassAsync(default);
        var finding = (await vk.AppealsAsync()).Single(a => a.ExternalId == "vk:wall-555_10:100");

        await vk.Desk.AnswerAsync(finding.Id, new UnitAnswer("Аварийная бригада выехала на Мира 3.", IsFinal: false));
        await vk.Dispatcher.DispatchDueAsync();

        var comment = Assert.Single(vk.Api.Comments);
        Assert.Equal("wall.createComment", comment.Method);
        Assert.Equal(Public, comment.OwnerId);
        Assert.Equal(10, comment.ItemId);
        Assert.Equal(100, comment.ReplyToComment);
        Assert.Equal(VkEvents.Id(FakeVkApi.GroupId), comment.FromGroup);
        Assert.Equal("user", comment.TokenKind);
        Assert.Contains("Аварийная бригада", comment.Text, StringComparison.Ordinal);
        Assert.Empty(vk.Api.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_RunsAPassEveryIntervalOnTheClock()
    {
        await using var vk = await StartAsync();
        SeedWall(vk);
        var service = vk.Monitoring;

        await service.StartAsync(default);
        await vk.Api.WaitForCallsAsync("wall.get", 1);
        var second = vk.Api.WaitForCallsAsync("wall.get", 2);
        await Drive.UntilCompleteAsync(vk.Clock, second, TimeSpan.FromMinutes(5));
        await service.StopAsync(default);

        Assert.True(vk.Api.CallsTo("wall.get").Count >= 2);
        Assert.Equal(3, (await vk.AppealsAsync()).Count);
    }
}
