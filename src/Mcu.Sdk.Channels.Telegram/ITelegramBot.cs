namespace Mcu.Sdk.Channels.Telegram;

/// <summary>
/// Operations on the configured bot beyond intake and replies: webhook registration and file downloads.
/// Resolve it from DI after <c>AddTelegram(...)</c>.
/// </summary>
/// <remarks>Thread-safe. Failures throw <see cref="TelegramApiException"/>; nothing is retried inside.</remarks>
public interface ITelegramBot
{
    /// <summary>Registers the webhook URL with the configured secret, allowed update kinds and connection limit (<c>setWebhook</c>).</summary>
    /// <param name="url">The public https URL of the webhook endpoint.</param>
    /// <param name="dropPendingUpdates"><see langword="true"/> to drop the updates Telegram holds.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when Telegram accepted the webhook.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    /// <exception cref="InvalidOperationException">No webhook secret is configured.</exception>
    /// <exception cref="TelegramApiException">Telegram refused the webhook.</exception>
    Task SetWebhookAsync(Uri url, bool dropPendingUpdates = false, CancellationToken cancellationToken = default);

    /// <summary>Removes the webhook (<c>deleteWebhook</c>), so that long polling can be used.</summary>
    /// <param name="dropPendingUpdates"><see langword="true"/> to drop the updates Telegram holds.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the webhook is removed.</returns>
    /// <exception cref="TelegramApiException">The call failed.</exception>
    Task DeleteWebhookAsync(bool dropPendingUpdates = false, CancellationToken cancellationToken = default);

    /// <summary>Reads the webhook's status (<c>getWebhookInfo</c>).</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The status.</returns>
    /// <exception cref="TelegramApiException">The call failed.</exception>
    Task<TelegramWebhookInfo> GetWebhookInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Downloads a file the citizen sent (an attachment's <see cref="Attachment.Reference"/> is its <c>file_id</c>), streaming
    /// it into <paramref name="destination"/>; files over <see cref="TelegramChannelOptions.MaxDownloadBytes"/> (at most 20 MB) are refused.
    /// </summary>
    /// <param name="fileId">The file id.</param>
    /// <param name="destination">Where to write the bytes.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="TelegramApiException">The file is too large, unknown or the download failed.</exception>
    Task<long> DownloadFileAsync(string fileId, Stream destination, CancellationToken cancellationToken = default);
}

/// <summary>The webhook's status as Telegram reports it.</summary>
/// <param name="Url">The registered URL, empty when no webhook is set (long polling).</param>
/// <param name="PendingUpdateCount">The number of updates waiting for delivery.</param>
/// <param name="LastErrorAt">When the last delivery error happened, if any.</param>
/// <param name="LastErrorMessage">Telegram's description of the last delivery error, if any.</param>
/// <param name="AllowedUpdates">The update kinds Telegram delivers.</param>
public sealed record TelegramWebhookInfo(string Url, int PendingUpdateCount, DateTimeOffset? LastErrorAt, string? LastErrorMessage, IReadOnlyList<string> AllowedUpdates);
