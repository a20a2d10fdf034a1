using Mcu.Sdk.Channels;

namespace Mcu.Sdk.Testing.Tests;

public sealed class FaultInjectingReplySenderTests
{
    private static OutgoingMessage Message(string key) => new(new ReplyAddress(ChannelId.Loopback, "c1"), "Текст", key);

    [Fact]
    public async Task SendAsync_PlannedFaults_PlayedInOrderThenDelivers()
    {
        var channel = new LoopbackChannel();
        var sender = new FaultInjectingReplySender(channel);
        sender.InjectFault(ChannelFault.Transient);
        sender.InjectFault(ChannelFault.Permanent);

        var transient = await Assert.ThrowsAsync<ChannelException>(() => sender.SendAsync(Message("a")).AsTask());
        var permanent = await Assert.ThrowsAsync<ChannelException>(() => sender.SendAsync(Message("b")).AsTask());
        var receipt = await sender.SendAsync(Message("c"));

        Assert.True(transient.IsTransient);
        Assert.False(permanent.IsTransient);
        Assert.Equal(ChannelId.Loopback, permanent.Channel);
        Assert.NotNull(receipt.ExternalMessageId);
        Assert.Equal(3, sender.Attempts);
        Assert.Equal("c", Assert.Single(channel.Delivered).Message.IdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_HangThenCancel_ThrowsAndDeliversNothing()
    {
        var channel = new LoopbackChannel();
        var sender = new FaultInjectingReplySender(channel);
        sender.InjectFault(ChannelFault.Hang);
        using var cancellation = new CancellationTokenSource();

        var send = sender.SendAsync(Message("a"), cancellation.Token).AsTask();
        Assert.False(send.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Empty(channel.Delivered);
    }

    [Fact]
    public async Task SendAsync_CanceledToken_NotCounted()
    {
        var sender = new FaultInjectingReplySender(new LoopbackChannel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.SendAsync(Message("a"), new CancellationToken(true)).AsTask());

        Assert.Equal(0, sender.Attempts);
    }

    [Fact]
    public void InjectFault_BadArguments_Throw()
    {
        var sender = new FaultInjectingReplySender(new LoopbackChannel());

        Assert.Throws<ArgumentOutOfRangeException>(() => sender.InjectFault(ChannelFault.Transient, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.InjectFault((ChannelFault)42));
        Assert.Throws<ArgumentNullException>(() => new FaultInjectingReplySender(null!));
    }
}
