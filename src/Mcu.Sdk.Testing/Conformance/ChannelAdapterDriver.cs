namespace Mcu.Sdk.Testing.Conformance;

/// <summary>A citizen's message the conformance suite asks the driver to deliver through the adapter's intake.</summary>
/// <param name="Conversation">A small number naming the conversation (a chat, a dialog); equal numbers are the same conversation.</param>
/// <param name="MessageNumber">A small number naming the message within the channel; the same spec twice must be the very same channel message (a redelivery).</param>
/// <param name="Text">The text.</param>
public sealed record InboundSpec(int Conversation, int MessageNumber, string Text)
{
    /// <summary>Gets a value indicating whether the message is written inside a thread (a forum topic, a comment thread).</summary>
    public bool InThread { get; init; }
}

/// <summary>Where the driver's message was written, in the channel's own identifiers (as the adapter should answer to them).</summary>
/// <param name="ConversationId">The chat, dialog or post.</param>
/// <param name="ThreadId">The thread, or <see langword="null"/>.</param>
/// <param name="MessageId">The channel's id of the message itself.</param>
public sealed record InboundProbe(string ConversationId, string? ThreadId, string MessageId);

/// <summary>One message the fake channel received from the adapter, in the channel's own identifiers.</summary>
/// <param name="ConversationId">The chat, dialog or post it went to.</param>
/// <param name="ThreadId">The thread it went to, or <see langword="null"/>.</param>
/// <param name="ReplyToMessageId">The message it replies to, or <see langword="null"/>.</param>
/// <param name="Text">The text (or caption).</param>
public sealed record ChannelDelivery(string ConversationId, string? ThreadId, string? ReplyToMessageId, string Text);

/// <summary>
/// What a channel author implements so that <see cref="ChannelAdapterConformanceTests"/> can drive the adapter against the
/// author's fake channel (usually a real HTTP server on 127.0.0.1 that speaks the channel's documented JSON).
/// </summary>
/// <remarks>
/// One driver serves one test: the suite creates it, calls <see cref="StartAsync"/>, builds the SDK with
/// <see cref="AddAdapter"/>, runs the test and disposes it. Members may be called from several threads.
/// </remarks>
public abstract class ChannelAdapterDriver : IAsyncDisposable
{
    /// <summary>Gets the channel the adapter serves.</summary>
    public abstract ChannelId Channel { get; }

    /// <summary>Gets the secrets that must never appear in a log line, a scope or an exception (tokens, webhook secrets).</summary>
    public virtual IReadOnlyCollection<string> Secrets => [];

    /// <summary>Gets the messages the fake channel received from the adapter (successful deliveries only), in order.</summary>
    public abstract IReadOnlyList<ChannelDelivery> Deliveries { get; }

    /// <summary>Gets how many delivery requests reached the fake channel, failed and hanging ones included.</summary>
    public abstract int SendAttempts { get; }

    /// <summary>Starts the fake channel (for example an HTTP server on 127.0.0.1).</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the fake is ready.</returns>
    public virtual ValueTask StartAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Registers the adapter, configured against the fake channel, on the SDK builder.</summary>
    /// <param name="mcu">The SDK builder (a manual clock and the in-memory store are already set).</param>
    public abstract void AddAdapter(IMcuBuilder mcu);

    /// <summary>
    /// Delivers a citizen's message through the adapter's own intake (its webhook handler with a valid request, or its poller
    /// after queuing the message on the fake) and returns when the adapter has handed it to the desk.
    /// </summary>
    /// <param name="services">The built SDK services.</param>
    /// <param name="spec">The message.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>Where the message was written, in channel identifiers.</returns>
    public abstract ValueTask<InboundProbe> InjectAsync(IServiceProvider services, InboundSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Makes the fake channel fail the next <paramref name="count"/> delivery requests with <paramref name="fault"/>.</summary>
    /// <param name="fault">The failure: transient (5xx), permanent (400) or a hang until the request is canceled.</param>
    /// <param name="count">How many requests fail.</param>
    public abstract void InjectFault(ChannelFault fault, int count = 1);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the fake channel and releases its resources.</summary>
    /// <returns>A task that completes when done.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
