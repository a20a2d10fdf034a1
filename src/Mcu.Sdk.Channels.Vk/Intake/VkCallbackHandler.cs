using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>
/// The Callback API endpoint (<c>/webhooks/{CallbackPath}</c>): answers the <c>confirmation</c> event with the confirmation
/// code, checks the <c>secret</c> in constant time, accepts appeals through the desk and answers <c>ok</c> only after that,
/// ignores a redelivered <c>event_id</c>, and skips (and counts) every other event kind.
/// </summary>
/// <remarks>
/// Thread-safe. Bad input never throws: a malformed body gets 400, a wrong or missing secret 401, another community's
/// event 400. An exception means the desk could not accept the appeal (the store is down): the host answers 500 and VK
/// delivers the event again.
/// </remarks>
internal sealed partial class VkCallbackHandler : IWebhookHandler
{
    private static readonly WebhookResponse OkResponse = new(200, "ok");

    private readonly VkChannelOptions _options;
    private readonly VkUpdateConverter _converter;
    private readonly IInboundMessageSink _sink;
    private readonly VkApiClient _client;
    private readonly VkEventIdCache _seen;
    private readonly ILogger _logger;
    private readonly byte[]? _secretHash;
    private string? _confirmationCode;

    public VkCallbackHandler(
        IOptions<VkChannelOptions> options,
        VkUpdateConverter converter,
        IInboundMessageSink sink,
        VkApiClient client,
        VkEventIdCache seen,
        ILogger<VkCallbackHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _converter = converter ?? throw new ArgumentNullException(nameof(converter));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _seen = seen ?? throw new ArgumentNullException(nameof(seen));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _secretHash = string.IsNullOrEmpty(_options.CallbackSecret) ? null : Hash(_options.CallbackSecret);
        _confirmationCode = string.IsNullOrWhiteSpace(_options.ConfirmationCode) ? null : _options.ConfirmationCode.Trim();
    }

    /// <inheritdoc/>
    public ChannelId Channel => ChannelId.Vk;

    /// <inheritdoc/>
    public string Path => _options.CallbackPath;

    /// <inheritdoc/>
    public async ValueTask<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        VkEvent? update;
        try
        {
            update = JsonSerializer.Deserialize(request.Body.Span, VkJsonContext.Default.VkEvent);
        }
        catch (JsonException)
        {
            update = null;
        }

        if (update is null || string.IsNullOrWhiteSpace(update.Type))
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Vk, "malformed_body");
            LogRejected("malformed body", request.Body.Length);
            return WebhookResponse.BadRequest("The body is not a VK Callback API event.");
        }

        if (update.GroupId != _options.GroupId)
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Vk, "wrong_group");
            LogRejected("event of another community", request.Body.Length);
            return WebhookResponse.BadRequest("The event is for another community.");
        }

        if (string.Equals(update.Type, "confirmation", StringComparison.Ordinal))
        {
            // VK may send the secret with the confirmation too: a wrong one is refused; a missing one is tolerated, because
            // the code only confirms this address to VK for this community.
            if (update.Secret is not null && !SecretMatches(update.Secret))
            {
                McuDiagnostics.RecordSkippedUpdate(ChannelId.Vk, "bad_secret");
                return WebhookResponse.Unauthorized;
            }

            var code = await GetConfirmationCodeAsync(cancellationToken).ConfigureAwait(false);
            return new WebhookResponse(200, code);
        }

        if (!SecretMatches(update.Secret))
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Vk, "bad_secret");
            LogRejected("wrong or missing secret", request.Body.Length);
            return WebhookResponse.Unauthorized;
        }

        var eventId = string.IsNullOrWhiteSpace(update.EventId) ? null : update.EventId;
        if (eventId is not null && _seen.Contains(eventId))
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Vk, "duplicate_event");
            return OkResponse;
        }

        var conversion = await _converter.ConvertAsync(update.Type, update.Object, cancellationToken).ConfigureAwait(false);
        if (conversion.Message is { } message)
        {
            // Answer ok only after the desk accepted the appeal (durably, with a durable store).
            await _sink.IngestAsync(message, cancellationToken).ConfigureAwait(false);
        }
        else if (conversion.SkipReason is { } reason)
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Vk, reason);
            LogSkipped(update.Type, reason);
        }

        if (eventId is not null)
        {
            _seen.Add(eventId);
        }

        return OkResponse;
    }

    private bool SecretMatches(string? secret)
    {
        if (_secretHash is null)
        {
            return true;
        }

        // Hashing first makes the comparison constant-time in the length of the secret as well.
        return secret is not null && CryptographicOperations.FixedTimeEquals(Hash(secret), _secretHash);
    }

    private async ValueTask<string> GetConfirmationCodeAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _confirmationCode) is { } known)
        {
            return known;
        }

        // Two concurrent confirmations may both ask VK once; the code is the same.
        var code = await _client.GetCallbackConfirmationCodeAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _confirmationCode, code);
        return code;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning, Message = "A VK Callback API request was rejected: {Reason} ({Length} bytes)")]
    private partial void LogRejected(string reason, int length);

    [LoggerMessage(EventId = 331, Level = LogLevel.Debug, Message = "A VK {Type} event was skipped: {Reason}")]
    private partial void LogSkipped(string type, string reason);
}
