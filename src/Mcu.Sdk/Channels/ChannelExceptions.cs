namespace Mcu.Sdk.Channels;

/// <summary>A channel failed to do what was asked. <see cref="IsTransient"/> says whether a retry may help.</summary>
/// <remarks>Messages never contain tokens, secrets or citizens' contact data.</remarks>
public class ChannelException : McuException
{
    /// <summary>Initializes a new instance of the <see cref="ChannelException"/> class.</summary>
    public ChannelException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChannelException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ChannelException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChannelException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChannelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets or initializes the channel.</summary>
    public ChannelId Channel { get; init; }

    /// <summary>Gets or initializes a value indicating whether a retry may succeed (rate limits, 5xx, network errors).</summary>
    public bool IsTransient { get; init; }

    /// <summary>Gets or initializes how long the channel asked to wait before a retry, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets or initializes the channel's own error code, if any.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>
    /// Gets or initializes a value indicating whether a person must act before the message can go (a captcha, a revoked token):
    /// the dispatcher parks the reply (<c>OutboxStatus.Parked</c>) and raises <see cref="AppealEventKind.ReplyParked"/> instead of retrying.
    /// </summary>
    public bool RequiresIntervention { get; init; }
}

/// <summary>The citizen cannot be reached through the channel (blocked the bot, closed messages); retrying will not help.</summary>
public sealed class RecipientUnreachableException : ChannelException
{
    /// <summary>Initializes a new instance of the <see cref="RecipientUnreachableException"/> class.</summary>
    public RecipientUnreachableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RecipientUnreachableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public RecipientUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RecipientUnreachableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RecipientUnreachableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
