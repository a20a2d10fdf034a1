namespace Mcu.Sdk.Channels.Telegram;

/// <summary>
/// A Bot API call failed: Telegram answered <c>ok: false</c>, the response was not the documented JSON, or the network failed.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ChannelException.IsTransient"/> is <see langword="true"/> for 429 (flood control; <see cref="ChannelException.RetryAfter"/>
/// carries <c>retry_after</c> exactly), 5xx and network errors, and <see langword="false"/> for 400, 401, 403, 404 and 409.
/// </para>
/// <para>The message, <see cref="Description"/> and <see cref="Exception.ToString"/> never contain the bot token.</para>
/// </remarks>
public sealed class TelegramApiException : ChannelException
{
    /// <summary>Initializes a new instance of the <see cref="TelegramApiException"/> class.</summary>
    public TelegramApiException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TelegramApiException"/> class.</summary>
    /// <param name="message">The message (never the token).</param>
    public TelegramApiException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TelegramApiException"/> class.</summary>
    /// <param name="message">The message (never the token).</param>
    /// <param name="innerException">The cause.</param>
    public TelegramApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets or initializes the Bot API method that failed, such as <c>sendMessage</c>.</summary>
    public string? Method { get; init; }

    /// <summary>Gets or initializes Telegram's <c>description</c> of the error, such as <c>Forbidden: bot was blocked by the user</c>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets or initializes the supergroup a group chat was migrated to (<c>parameters.migrate_to_chat_id</c>), if any.</summary>
    public long? MigrateToChatId { get; init; }

    /// <summary>Gets a value indicating whether the error means that the bot cannot write to the chat any more (HTTP 403: blocked by the user, user deactivated, bot kicked).</summary>
    public bool IsRecipientUnreachable => ErrorCode == 403;

    /// <summary>Gets a value indicating whether another <c>getUpdates</c> poller or a webhook holds the bot's updates (HTTP 409).</summary>
    public bool IsConflict => ErrorCode == 409;
}
