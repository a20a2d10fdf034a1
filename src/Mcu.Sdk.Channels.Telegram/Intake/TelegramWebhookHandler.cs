using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram.Intake;

/// <summary>
/// The Telegram webhook endpoint: checks <c>X-Telegram-Bot-Api-Secret-Token</c> in constant time (401, nothing stored, on a
/// mismatch), answers 400 to a malformed body, skips unknown update kinds with a counter, and answers 200 only after the desk
/// accepted the citizen's message. An exception from the desk propagates, so the host answers 500 and Telegram redelivers.
/// </summary>
internal sealed partial class TelegramWebhookHandler : IWebhookHandler
{
    /// <summary>The header Telegram sends the secret in.</summary>
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private readonly TelegramUpdateProcessor _processor;
    private readonly IInboundMessageSink _sink;
    private readonly ILogger _logger;
    private readonly byte[] _secretHash;

    public TelegramWebhookHandler(TelegramUpdateProcessor processor, IInboundMessageSink sink, IOptions<TelegramChannelOptions> options, ILogger<TelegramWebhookHandler> logger)
    {
        _processor = Throw.IfNull(processor);
        _sink = Throw.IfNull(sink);
        _logger = Throw.IfNull(logger);
        var value = Throw.IfNull(options).Value;
        Path = value.WebhookPath.Trim('/');
        _secretHash = value.WebhookSecret is { Length: > 0 } secret
            ? SHA256.HashData(Encoding.UTF8.GetBytes(secret))
            : throw new InvalidOperationException("Telegram:WebhookSecret is required in webhook mode.");
    }

    /// <inheritdoc/>
    public ChannelId Channel => ChannelId.Telegram;

    /// <inheritdoc/>
    public string Path { get; }

    /// <inheritdoc/>
    public async ValueTask<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        if (!SecretMatches(request.GetHeader(SecretHeader)))
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Telegram, "wrong_secret");
            LogWrongSecret();
            return WebhookResponse.Unauthorized;
        }

        Update? update;
        try
        {
            update = JsonSerializer.Deserialize(request.Body.Span, TelegramJsonContext.Default.Update);
        }
        catch (JsonException)
        {
            update = null;
        }

        if (update is null)
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Telegram, "malformed_body");
            LogMalformed(request.Body.Length);
            return WebhookResponse.BadRequest("malformed update");
        }

        var outcome = await _processor.ProcessAsync(update, cancellationToken).ConfigureAwait(false);
        if (outcome.Message is { } message)
        {
            await _sink.IngestAsync(message, cancellationToken).ConfigureAwait(false);
        }

        return WebhookResponse.Ok;
    }

    /// <summary>Compares SHA-256 digests in constant time, so neither the content nor the length of the secret leaks.</summary>
    private bool SecretMatches(string? received)
    {
        if (received is null)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(received), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _secretHash);
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Telegram webhook request refused: missing or wrong secret token")]
    private partial void LogWrongSecret();

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Telegram webhook request refused: the body ({Bytes} bytes) is not an update")]
    private partial void LogMalformed(int bytes);
}
