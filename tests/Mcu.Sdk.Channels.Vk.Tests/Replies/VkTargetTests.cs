using Mcu.Sdk.Channels.Vk.Replies;

namespace Mcu.Sdk.Channels.Vk.Tests.Replies;

public sealed class VkTargetTests
{
    [Theory]
    [InlineData("22757746", null, "Dialog", 22757746L, 0L, null)]
    [InlineData("2000000007", "55", "Dialog", 2000000007L, 0L, 55L)]
    [InlineData("wall-201077021_5", "8", "WallComment", -201077021L, 5L, 8L)]
    [InlineData("wall343298673_12", null, "WallComment", 343298673L, 12L, null)]
    [InlineData("photo-1_457239017", "31", "PhotoComment", -1L, 457239017L, 31L)]
    [InlineData("topic-201077021_9", null, "BoardComment", -201077021L, 9L, null)]
    public void TryParse_VkAddresses_RoundTrip(string conversation, string? replyTo, string kindName, long owner, long item, long? reply)
    {
        var kind = Enum.Parse<VkTargetKind>(kindName);
        var address = new ReplyAddress(ChannelId.Vk, conversation, null, replyTo);

        Assert.True(VkTarget.TryParse(address, out var target));
        Assert.Equal(kind, target.Kind);
        Assert.Equal(owner, target.OwnerId);
        Assert.Equal(item, target.ItemId);
        Assert.Equal(reply, target.ReplyTo);
        Assert.Equal(address, target.ToAddress());
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("wall-1", null)]
    [InlineData("wall_5", null)]
    [InlineData("wall-1_0", null)]
    [InlineData("wall-1_x", null)]
    [InlineData("video-1_5", null)]
    [InlineData("22757746", "abc")]
    [InlineData("22757746", "-3")]
    [InlineData("", null)]
    public void TryParse_NotVkAddresses_AreRejected(string conversation, string? replyTo)
    {
        Assert.False(VkTarget.TryParse(new ReplyAddress(ChannelId.Vk, conversation, null, replyTo), out _));
    }

    [Fact]
    public void Link_PointsSpecialistsToTheCommentOrTopicPost()
    {
        Assert.Equal("https://vk.com/wall-555_10?reply=100", new VkTarget(VkTargetKind.WallComment, -555, 10, 100).Link);
        Assert.Equal("https://vk.com/topic-555_9?post=77", new VkTarget(VkTargetKind.BoardComment, -555, 9, 77).Link);
        Assert.Null(new VkTarget(VkTargetKind.Dialog, 1, 0).Link);
    }
}
