using Mcu.Sdk.Internal;

namespace Mcu.Sdk;

/// <summary>
/// A citizen's message as a channel adapter hands it to the desk: the first step of an appeal's walk.
/// </summary>
/// <remarks>
/// The pair (<see cref="Channel"/>, <see cref="ExternalId"/>) is the idempotency key: the desk accepts the same pair once.
/// </remarks>
public sealed record InboundMessage
{
    /// <summary>Initializes a new instance of the <see cref="InboundMessage"/> class.</summary>
    /// <param name="channel">The channel the message came from.</param>
    /// <param name="externalId">The channel's own id of the message (the idempotency key within the channel).</param>
    /// <param name="conversationKey">The conversation the message belongs to (a chat, a dialog, a comment thread): follow-ups in the same conversation join the open appeal.</param>
    /// <param name="author">The citizen.</param>
    /// <param name="text">The text (may be empty when the message is only a photo or a location).</param>
    /// <param name="receivedAt">When the channel received the message.</param>
    /// <exception cref="ArgumentException">A required value is empty.</exception>
    public InboundMessage(ChannelId channel, string externalId, string conversationKey, Author author, string text, DateTimeOffset receivedAt)
    {
        if (channel.IsDefault)
        {
            throw new ArgumentException("The channel is required.", nameof(channel));
        }

        Channel = channel;
        ExternalId = Throw.IfNullOrWhiteSpace(externalId);
        ConversationKey = Throw.IfNullOrWhiteSpace(conversationKey);
        Author = Throw.IfNull(author);
        Text = text ?? string.Empty;
        ReceivedAt = receivedAt;
    }

    /// <summary>Gets the channel the message came from.</summary>
    public ChannelId Channel { get; }

    /// <summary>Gets the channel's own id of the message.</summary>
    public string ExternalId { get; }

    /// <summary>Gets the conversation key: follow-ups with the same key join the open appeal.</summary>
    public string ConversationKey { get; }

    /// <summary>Gets the citizen.</summary>
    public Author Author { get; }

    /// <summary>Gets the text, possibly empty.</summary>
    public string Text { get; }

    /// <summary>Gets when the channel received the message.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets where to answer; when <see langword="null"/>, the desk answers into <see cref="ConversationKey"/> of <see cref="Channel"/>, replying to <see cref="ExternalId"/>.</summary>
    public ReplyAddress? ReplyAddress { get; init; }

    /// <summary>Gets the attachments.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Gets the location the citizen shared, if any.</summary>
    public GeoLocation? Location { get; init; }

    /// <summary>Gets the city district when the channel or the host knows it (used by routing rules).</summary>
    public string? District { get; init; }

    /// <summary>Gets a value indicating whether the message was found by monitoring rather than sent to the centre.</summary>
    public bool FoundByMonitoring { get; init; }

    /// <summary>Gets channel-specific details, never <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = ReplyAddress.EmptyProperties;

    /// <summary>Gets the reply address to use: <see cref="ReplyAddress"/> or one derived from the conversation.</summary>
    /// <returns>The reply address.</returns>
    public ReplyAddress GetEffectiveReplyAddress() => ReplyAddress ?? new ReplyAddress(Channel, ConversationKey, null, ExternalId);

    /// <inheritdoc/>
    public override string ToString() => $"InboundMessage({Channel}:{ExternalId}, {Text.Length} chars)";
}
