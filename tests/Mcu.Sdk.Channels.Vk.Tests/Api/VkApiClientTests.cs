using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Testing;

namespace Mcu.Sdk.Channels.Vk.Tests.Api;

public sealed class VkApiClientTests
{
    [Fact]
    public async Task CallAsync_PostsAFormWithVersionAndTokenInTheBodyNeverInTheUrl()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.Users[1] = ("Иван", "Петров");

        var users = await vk.Client.GetUsersAsync([1], default);

        Assert.Equal("Иван", Assert.Single(users).FirstName);
        var call = Assert.Single(vk.Api.Calls);
        Assert.Equal("users.get", call.Method);
        Assert.Equal("5.199", call.Fields["v"]);
        Assert.Equal("community", call.TokenKind);
        Assert.StartsWith("application/x-www-form-urlencoded", call.ContentType, StringComparison.Ordinal);
        Assert.Equal(0, vk.Api.TokenInUrlCount);
    }

    [Fact]
    public async Task CallAsync_ErrorEnvelope_ThrowsOneExceptionTypeWithTheCodeAndVkText()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("users.get", 100, "One of the parameters specified was missing or invalid: user_ids is undefined");

        var ex = await Assert.ThrowsAsync<VkApiException>(() => vk.Client.GetUsersAsync([1], default));

        Assert.Equal(100, ex.ErrorCode);
        Assert.Equal("users.get", ex.Method);
        Assert.False(ex.IsTransient);
        Assert.Contains("user_ids is undefined", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, true, false, false)]
    [InlineData(6, true, false, false)]
    [InlineData(9, true, false, false)]
    [InlineData(10, true, false, false)]
    [InlineData(29, true, false, false)]
    [InlineData(5, false, true, false)]
    [InlineData(27, false, true, false)]
    [InlineData(900, false, false, true)]
    [InlineData(901, false, false, true)]
    [InlineData(902, false, false, true)]
    [InlineData(14, false, false, false)]
    [InlineData(914, false, false, false)]
    public void VkApiException_Code_IsClassified(int code, bool transient, bool authorization, bool unreachable)
    {
        var ex = new VkApiException("messages.send", code, "text");

        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(authorization, ex.IsAuthorizationFailure);
        Assert.Equal(unreachable, ex.IsRecipientUnreachable);
    }

    [Fact]
    public async Task ReadMethod_TransientError_IsRetriedWithBackoffOnTheClock()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("groups.getLongPollServer", 6, "Too many requests per second", times: 2);
        var started = vk.Clock.GetUtcNow();

        var call = vk.Client.GetLongPollServerAsync(default);
        await Drive.UntilCompleteAsync(vk.Clock, call, TimeSpan.FromMilliseconds(250));

        Assert.False(string.IsNullOrEmpty((await call).Key));
        Assert.Equal(3, vk.Api.CallsTo("groups.getLongPollServer").Count);
        Assert.True(vk.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ReadMethod_AuthorizationError_FailsFastWithoutRetry()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("groups.getLongPollServer", 27, "Group authorization failed: invalid access_token");

        var ex = await Assert.ThrowsAsync<VkApiException>(() => vk.Client.GetLongPollServerAsync(default));

        Assert.True(ex.IsAuthorizationFailure);
        Assert.Single(vk.Api.CallsTo("groups.getLongPollServer"));
    }

    [Fact]
    public async Task SendMethod_TransientError_IsNotRetriedByTheClient()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.FailNext("messages.send", 10, "Internal server error");

        await Assert.ThrowsAsync<VkApiException>(() => vk.Client.SendMessageAsync(1, 42, "Текст", null, null, default));

        Assert.Single(vk.Api.CallsTo("messages.send"));
    }

    [Fact]
    public async Task CallAsync_CommunityTokenRate_IsAtMost20RequestsInAnyOneSecond()
    {
        await using var vk = await VkFixture.StartAsync(o => o.ResolveAuthorNames = false);
        var started = vk.Clock.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 45).Select(_ => vk.Client.GetUsersAsync([1], default)));
        await Drive.UntilCompleteAsync(vk.Clock, calls, TimeSpan.FromMilliseconds(100));

        Assert.Equal(45, vk.Api.CallsTo("users.get").Count);
        Assert.True(vk.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Limiter_21stRequestInOneSecond_WaitsForTheWindow()
    {
        var clock = new ManualTimeProvider();
        using var strict = new VkRequestLimiter(clock, 20);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(strict.AcquireAsync(default).AsTask().IsCompleted);
        }

        var twentyFirst = strict.AcquireAsync(default).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var earlyDone = twentyFirst.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await twentyFirst;

        Assert.False(earlyDone);
        Assert.True(twentyFirst.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CallAsync_VkUnreachable_IsATransientTransportFailureWithoutTheToken()
    {
        await using var vk = await VkFixture.StartAsync(o => o.ApiBaseUrl = new Uri("http://127.0.0.1:1/"));

        var ex = await Assert.ThrowsAsync<VkTransportException>(() => vk.Client.SendMessageAsync(1, 42, "Текст", null, null, default));

        Assert.True(ex.IsTransient);
        Assert.DoesNotContain(FakeVkApi.CommunityToken, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveScreenName_Unknown_ReturnsNull()
    {
        await using var vk = await VkFixture.StartAsync();
        vk.Api.ScreenNames["gorod"] = ("group", 555);

        var known = await vk.Client.ResolveScreenNameAsync("gorod", default);
        var unknown = await vk.Client.ResolveScreenNameAsync("nobody_here", default);

        Assert.Equal(555, known!.ObjectId);
        Assert.Equal("group", known.Type);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task GetWallAsync_WithoutAMonitoringToken_FailsWithAClearMessage()
    {
        await using var vk = await VkFixture.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => vk.Client.GetWallAsync(-555, 0, 20, default));

        Assert.Contains("user or service token", ex.Message, StringComparison.Ordinal);
        Assert.Empty(vk.Api.Calls);
    }
}
