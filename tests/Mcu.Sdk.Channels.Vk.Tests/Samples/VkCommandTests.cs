using System.Text;
using Mcu.Samples.Console.Commands;

namespace Mcu.Sdk.Channels.Vk.Tests.Samples;

/// <summary><c>mcu vk</c> of the console sample, run in-process against the fake VK API.</summary>
public sealed class VkCommandTests
{
    [Fact]
    public async Task RunAsync_LongPoll_AcceptsTheAppealAnswersItAndStopsOnCancel()
    {
        await using var api = await FakeVkApi.StartAsync();
        api.LongPollFromFirstEvent = true;
        api.AddEvent("message_new", VkEvents.MessageNew(22757746, 1, "Во дворе дома 5 на Ленина огромная яма, машины бьют колёса"));
        var stdout = new StringWriter(new StringBuilder());
        var stderr = new StringWriter(new StringBuilder());
        using var stop = new CancellationTokenSource();

        var run = VkCommand.RunAsync(FakeVkApi.GroupId, FakeVkApi.CommunityToken, api.BaseUrl.AbsoluteUri, stdout, stderr, stop.Token);
        await api.WaitForCallsAsync("messages.send", 1);
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exitCode);
        var sent = Assert.Single(api.Messages);
        Assert.Equal(22757746, sent.PeerId);
        var output = stdout.ToString();
        Assert.Contains("Listening to VK community 201077021", output, StringComparison.Ordinal);
        Assert.Contains("#1 accepted from vk", output, StringComparison.Ordinal);
        Assert.Contains("Stopped.", output, StringComparison.Ordinal);
        Assert.Equal("25", api.LongPollRequests[0].Wait);
        Assert.DoesNotContain(FakeVkApi.CommunityToken, output + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidGroupId_Returns1WithTheReason()
    {
        var stderr = new StringWriter(new StringBuilder());

        var exitCode = await VkCommand.RunAsync(0, "token", null, TextWriter.Null, stderr, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("Vk:GroupId", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task RunAsync_BadApiBase_Returns1(string apiBase)
    {
        var stderr = new StringWriter(new StringBuilder());

        var exitCode = await VkCommand.RunAsync(FakeVkApi.GroupId, "token", apiBase, TextWriter.Null, stderr, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("--api-base", stderr.ToString(), StringComparison.Ordinal);
    }
}
