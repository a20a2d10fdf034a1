using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram.Api;

/// <summary>
/// The typed Bot API client: one chokepoint (<see cref="CallAsync"/>) turns every method call into a JSON POST to
/// <c>{api}/bot{token}/{method}</c> and every failure into one <see cref="TelegramApiException"/>. It never retries
/// (the core dispatcher and polling service do) and never lets the token reach a log line or an exception.
/// </summary>
internal sealed partial class TelegramBotClient : ITelegramBot
{
    /// <summary>The name of the <see cref="HttpClient"/> registered with <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Mcu.Sdk.Channels.Telegram";

    /// <summary>The update kinds the adapter asks for, explicitly (an empty or missing list would keep an older setting).</summary>
    public static readonly IReadOnlyList<string> AllowedUpdates = ["message", "callback_query", "my_chat_member"];

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private static TelegramJsonContext Json => TelegramJsonContext.Default;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TelegramChannelOptions _options;
    private readonly ILogger _logger;
    private readonly string _token;
    private readonly string _apiRoot;

    public TelegramBotClient(IHttpClientFactory httpClientFactory, IOptions<TelegramChannelOptions> options, ILogger<TelegramBotClient> logger)
    {
        _httpClientFactory = Throw.IfNull(httpClientFactory);
        _options = Throw.IfNull(options).Value;
        _logger = Throw.IfNull(logger);
        _token = _options.BotToken is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException("Telegram:BotToken is not configured.");
        _apiRoot = _options.ApiBaseUrl.AbsoluteUri.TrimEnd('/');
        BotId = TelegramTokens.BotIdOf(_token);
    }

    /// <summary>Gets the bot's user id: the part of the token before the colon (public, not secret).</summary>
    public long BotId { get; }

    public Task<User> GetMeAsync(CancellationToken cancellationToken = default) =>
        CallAsync("getMe", EmptyRequest.Instance, Json.EmptyRequest, Json.ApiResponseUser, cancellationToken);

    public Task<Update[]> GetUpdatesAsync(long? offset, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Clamp(timeout.TotalSeconds, 0, 50);
        var request = new GetUpdatesRequest { Offset = offset, Limit = 100, Timeout = seconds, AllowedUpdates = AllowedUpdates };
        return CallAsync("getUpdates", request, Json.GetUpdatesRequest, Json.ApiResponseUpdateArray, cancellationToken, TimeSpan.FromSeconds(seconds));
    }

    public Task<Message> SendMessageAsync(SendMessageRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("sendMessage", request, Json.SendMessageRequest, Json.ApiResponseMessage, cancellationToken);

    public Task<Message> SendPhotoAsync(SendPhotoRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("sendPhoto", request, Json.SendPhotoRequest, Json.ApiResponseMessage, cancellationToken);

    public Task<Message> SendDocumentAsync(SendDocumentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("sendDocument", request, Json.SendDocumentRequest, Json.ApiResponseMessage, cancellationToken);

    public Task<TelegramFile> GetFileAsync(string fileId, CancellationToken cancellationToken = default) =>
        CallAsync("getFile", new GetFileRequest { FileId = Throw.IfNullOrWhiteSpace(fileId) }, Json.GetFileRequest, Json.ApiResponseTelegramFile, cancellationToken);

    public Task<bool> AnswerCallbackQueryAsync(string callbackQueryId, string? text, CancellationToken cancellationToken = default) =>
        CallAsync("answerCallbackQuery", new AnswerCallbackQueryRequest { CallbackQueryId = callbackQueryId, Text = text }, Json.AnswerCallbackQueryRequest, Json.ApiResponseBoolean, cancellationToken);

    public Task<bool> SetMyCommandsAsync(IReadOnlyList<BotCommand> commands, CancellationToken cancellationToken = default) =>
        CallAsync("setMyCommands", new SetMyCommandsRequest { Commands = commands }, Json.SetMyCommandsRequest, Json.ApiResponseBoolean, cancellationToken);

    /// <inheritdoc/>
    public Task SetWebhookAsync(Uri url, bool dropPendingUpdates = false, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("The webhook URL must be absolute.", nameof(url));
        }

        if (string.IsNullOrEmpty(_options.WebhookSecret))
        {
            throw new InvalidOperationException("Telegram:WebhookSecret is not configured; a webhook without a secret would accept anybody's updates.");
        }

        var request = new SetWebhookRequest
        {
            Url = url.AbsoluteUri,
            SecretToken = _options.WebhookSecret,
            AllowedUpdates = AllowedUpdates,
            MaxConnections = _options.WebhookMaxConnections,
            DropPendingUpdates = dropPendingUpdates ? true : null,
        };
        return CallAsync("setWebhook", request, Json.SetWebhookRequest, Json.ApiResponseBoolean, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteWebhookAsync(bool dropPendingUpdates = false, CancellationToken cancellationToken = default) =>
        CallAsync("deleteWebhook", new DeleteWebhookRequest { DropPendingUpdates = dropPendingUpdates ? true : null }, Json.DeleteWebhookRequest, Json.ApiResponseBoolean, cancellationToken);

    /// <inheritdoc/>
    public async Task<TelegramWebhookInfo> GetWebhookInfoAsync(CancellationToken cancellationToken = default)
    {
        var info = await CallAsync("getWebhookInfo", EmptyRequest.Instance, Json.EmptyRequest, Json.ApiResponseWebhookInfo, cancellationToken).ConfigureAwait(false);
        return new TelegramWebhookInfo(
            info.Url,
            info.PendingUpdateCount,
            info.LastErrorDate is { } date and > 0 ? DateTimeOffset.FromUnixTimeSeconds(date) : null,
            info.LastErrorMessage,
            info.AllowedUpdates ?? []);
    }

    /// <inheritdoc/>
    public async Task<long> DownloadFileAsync(string fileId, Stream destination, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(fileId);
        Throw.IfNull(destination);
        const string Method = "file download";
        var limit = Math.Min(_options.MaxDownloadBytes, TelegramChannelOptions.MaxBotApiDownloadBytes);
        var file = await GetFileAsync(fileId, cancellationToken).ConfigureAwait(false);
        if (file.FileSize is { } declared && declared > limit)
        {
            throw Failure(Method, null, null, null, $"The file has {declared} bytes; at most {limit} bytes can be downloaded.", transient: false);
        }

        if (string.IsNullOrEmpty(file.FilePath))
        {
            throw Failure(Method, null, null, null, "Telegram gave no file_path for the file (bots cannot download files over 20 MB).", transient: false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{_apiRoot}/file/bot{_token}/{file.FilePath.TrimStart('/')}");
            using var response = await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw Failure(Method, status, null, null, $"Telegram answered the file download with HTTP {status}.", transient: IsTransientStatus(status));
            }

            if (response.Content.Headers.ContentLength is { } length && length > limit)
            {
                throw Failure(Method, null, null, null, $"The file has {length} bytes; at most {limit} bytes can be downloaded.", transient: false);
            }

            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(81920);
                try
                {
                    long total = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > limit)
                        {
                            throw Failure(Method, null, null, null, $"The download exceeded {limit} bytes and was stopped.", transient: false);
                        }

                        await destination.WriteAsync(buffer.AsMemory(0, read), timeout.Token).ConfigureAwait(false);
                    }

                    LogDownloaded(total);
                    return total;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(Method, null, null, null, $"The file download timed out after {_options.RequestTimeout}.", transient: true);
        }
        catch (HttpRequestException ex)
        {
            throw NetworkFailure(Method, ex);
        }
    }

    /// <summary>The chokepoint: serializes the request, posts it, and reads the envelope.</summary>
    private async Task<TResult> CallAsync<TRequest, TResult>(
        string method,
        TRequest request,
        JsonTypeInfo<TRequest> requestInfo,
        JsonTypeInfo<ApiResponse<TResult>> responseInfo,
        CancellationToken cancellationToken,
        TimeSpan extraTimeout = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout + extraTimeout);
        int status;
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestInfo));
            content.Headers.ContentType = JsonMediaType;
            using var message = new HttpRequestMessage(HttpMethod.Post, $"{_apiRoot}/bot{_token}/{method}") { Content = content };
            using var response = await Client().SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(method, null, null, null, $"Telegram {method} timed out after {_options.RequestTimeout + extraTimeout}.", transient: true);
        }
        catch (HttpRequestException ex)
        {
            throw NetworkFailure(method, ex);
        }

        ApiResponse<TResult>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, responseInfo);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        if (envelope is null)
        {
            throw Failure(method, status, null, null, $"Telegram {method} answered HTTP {status} without the documented JSON envelope.", transient: IsTransientStatus(status));
        }

        if (!envelope.Ok)
        {
            var code = envelope.ErrorCode ?? status;
            LogApiError(method, code, envelope.Parameters?.RetryAfter);
            throw Failure(method, code, envelope.Description, envelope.Parameters, null, IsTransientStatus(code));
        }

        if (envelope.Result is null)
        {
            throw Failure(method, status, null, null, $"Telegram {method} answered ok without a result.", transient: false);
        }

        return envelope.Result;
    }

    private HttpClient Client() => _httpClientFactory.CreateClient(HttpClientName);

    private static bool IsTransientStatus(int status) => status == 429 || status >= 500;

    private TelegramApiException NetworkFailure(string method, HttpRequestException ex)
    {
        // The inner exception is not attached: it is not ours, so nothing guarantees that it never carries the request URL.
        var reason = ex.HttpRequestError.ToString();
        var status = ex.StatusCode is HttpStatusCode code ? (int?)code : null;
        return Failure(method, status, null, null, $"Telegram {method} failed: network error {reason}: {ex.Message}", transient: status is null || IsTransientStatus(status.Value));
    }

    private TelegramApiException Failure(string method, int? code, string? description, ResponseParameters? parameters, string? message, bool transient)
    {
        var retryAfter = parameters?.RetryAfter is int seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        description = Redact(description);
        if (message is null)
        {
            message = string.Create(CultureInfo.InvariantCulture, $"Telegram {method} failed with {code}: {description ?? "no description"}");
            if (code == 409)
            {
                message += ". Another process polls this bot, or a webhook is set: stop the other instance, or delete the webhook " +
                    "(ITelegramBot.DeleteWebhookAsync, or Telegram:DeleteWebhookOnStart=true) before long polling.";
            }
            else if (retryAfter is { } wait)
            {
                message += string.Create(CultureInfo.InvariantCulture, $" (retry after {wait.TotalSeconds:0} s)");
            }
            else if (parameters?.MigrateToChatId is not null)
            {
                message += " (the group was migrated to a supergroup)";
            }
        }

        return new TelegramApiException(Redact(message)!)
        {
            Channel = ChannelId.Telegram,
            Method = method,
            Description = description,
            ErrorCode = code,
            IsTransient = transient,
            RetryAfter = retryAfter,
            MigrateToChatId = parameters?.MigrateToChatId,
        };
    }

    private string? Redact(string? text) => TelegramTokens.Redact(text, _token);

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Bot API {Method} answered error {Code} (retry after {RetryAfter} s)")]
    private partial void LogApiError(string method, int code, int? retryAfter);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Downloaded a Telegram file of {Bytes} bytes")]
    private partial void LogDownloaded(long bytes);
}

/// <summary>Token helpers: the public bot id, the format check and redaction.</summary>
internal static class TelegramTokens
{
    /// <summary>Tells whether a token has the BotFather shape <c>{digits}:{letters, digits, _ and -}</c>.</summary>
    public static bool IsWellFormed(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == token.Length - 1 || !long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        foreach (var c in token.AsSpan(colon + 1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gets the bot id of a well-formed token, or 0.</summary>
    public static long BotIdOf(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
    }

    /// <summary>Replaces the token (and its secret part) in a text with <c>***</c>.</summary>
    public static string? Redact(string? text, string token)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(token))
        {
            return text;
        }

        text = text.Replace(token, "***", StringComparison.Ordinal);
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && token.Length - colon > 8)
        {
            text = text.Replace(token[(colon + 1)..], "***", StringComparison.Ordinal);
        }

        return text;
    }
}
