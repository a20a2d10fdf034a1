using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Intake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Replies;

/// <summary>
/// Delivers replies into VK, to the exact place the citizen wrote: <c>messages.send</c> to the dialog with a deterministic
/// <c>random_id</c>; <c>wall.createComment</c>, <c>photos.createComment</c>, <c>board.createComment</c> under the comment with
/// <c>reply_to_comment</c>, <c>from_group</c> and a deterministic <c>guid</c> — so a retry or a restart never posts twice.
/// </summary>
/// <remarks>
/// Thread-safe. Texts over 4,096 characters are split at word boundaries; VK error 914 (message too long) splits the text
/// further and sends the halves, each with its own derived idempotency key. Everything else is left to the core dispatcher:
/// errors map to <see cref="ChannelException"/> (6, 9, 10, 29 transient; 14 — captcha — and 5, 27 — a rejected token —
/// with <see cref="ChannelException.RequiresIntervention"/>, so the dispatcher parks the reply and raises an event for a
/// person) or to <see cref="RecipientUnreachableException"/> (900–902, remembered until the citizen allows messages again).
/// </remarks>
internal sealed partial class VkReplySender : IReplySender
{
    /// <summary>VK's message length this sender splits at.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The most attachments VK accepts on one message.</summary>
    public const int MaxAttachments = 10;

    private const int MaxSplitDepth = 6;

    private readonly VkApiClient _client;
    private readonly VkReachability _reachability;
    private readonly VkChannelOptions _options;
    private readonly ILogger _logger;

    public VkReplySender(VkApiClient client, VkReachability reachability, IOptions<VkChannelOptions> options, ILogger<VkReplySender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _reachability = reachability ?? throw new ArgumentNullException(nameof(reachability));
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Capabilities = new ChannelCapabilities
        {
            MaxTextLength = MaxTextLength,
            MaxCaptionLength = MaxTextLength,
            SupportsAttachments = true,
            SupportsThreads = true,
            SupportsIdempotencyKey = true,
            MaxMessagesPerSecond = _options.MaxRequestsPerSecond,
        };
    }

    /// <inheritdoc/>
    public ChannelId Channel => ChannelId.Vk;

    /// <inheritdoc/>
    public ChannelCapabilities Capabilities { get; }

    /// <summary>Derives VK's <c>random_id</c> from an idempotency key: a stable, non-zero, positive <see cref="int"/>.</summary>
    /// <param name="idempotencyKey">The key (<c>{outboxId:N}:{partIndex}</c>, or a sub-part key).</param>
    /// <returns>The random id.</returns>
    public static int RandomIdOf(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey), hash);
        var value = BinaryPrimitives.ReadInt32LittleEndian(hash) & int.MaxValue;
        return value == 0 ? 1 : value;
    }

    /// <summary>Derives VK's comment <c>guid</c> from an idempotency key.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns>The guid: the key itself, which is unique per reply part and stable across retries.</returns>
    public static string GuidOf(string idempotencyKey) => idempotencyKey;

    /// <inheritdoc/>
    public async ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (!VkTarget.TryParse(message.Address, out var target))
        {
            throw new ChannelException($"'{message.Address.ConversationId}' is not a VK reply address (a peer id, wall{{owner}}_{{post}}, photo{{owner}}_{{photo}} or topic{{owner}}_{{topic}}).")
            {
                Channel = ChannelId.Vk,
            };
        }

        if (target.Kind == VkTargetKind.Dialog
            && await _reachability.GetUnreachableCodeAsync(target.OwnerId, cancellationToken).ConfigureAwait(false) is { } blocked)
        {
            throw Unreachable(blocked, "the citizen does not accept messages from the community (remembered until they allow messages again or write)");
        }

        var (attachments, extraLinks) = SplitAttachments(message.Attachments);
        var text = extraLinks.Count == 0 ? message.Text : string.Join('\n', [message.Text, .. extraLinks]).Trim();
        if (string.IsNullOrWhiteSpace(text) && attachments is null)
        {
            throw new ChannelException("The reply has neither text nor a VK attachment.") { Channel = ChannelId.Vk };
        }

        var parts = text.Length > MaxTextLength ? TextSplitter.Split(text, MaxTextLength) : [text];
        string? firstId = null;
        for (var i = 0; i < parts.Count; i++)
        {
            var key = parts.Count == 1 ? message.IdempotencyKey : $"{message.IdempotencyKey}/{i.ToString(CultureInfo.InvariantCulture)}";
            var id = await SendPartAsync(target, parts[i], i == 0 ? attachments : null, key, 0, cancellationToken).ConfigureAwait(false);
            firstId ??= id;
        }

        return new DeliveryReceipt(firstId);
    }

    private async ValueTask<string> SendPartAsync(VkTarget target, string text, string? attachments, string key, int depth, CancellationToken cancellationToken)
    {
        try
        {
            var id = await CallAsync(target, text, attachments, key, cancellationToken).ConfigureAwait(false);
            return id.ToString(CultureInfo.InvariantCulture);
        }
        catch (VkApiException ex) when (ex.ErrorCode == VkErrorCodes.MessageTooLong && depth < MaxSplitDepth && text.Length > 32)
        {
            // 914: VK's limit is lower than ours here; halve the text at a word boundary and send both halves.
            LogSplitting(text.Length, depth + 1);
            var halves = TextSplitter.Split(text, (text.Length + 1) / 2);
            string? firstId = null;
            for (var i = 0; i < halves.Count; i++)
            {
                var id = await SendPartAsync(target, halves[i], i == 0 ? attachments : null, $"{key}/{i.ToString(CultureInfo.InvariantCulture)}", depth + 1, cancellationToken).ConfigureAwait(false);
                firstId ??= id;
            }

            return firstId!;
        }
        catch (VkApiException ex)
        {
            throw await MapAsync(ex, target, cancellationToken).ConfigureAwait(false);
        }
        catch (VkTransportException ex)
        {
            throw new ChannelException(ex.Message, ex) { Channel = ChannelId.Vk, IsTransient = ex.IsTransient };
        }
    }

    private async Task<long> CallAsync(VkTarget target, string text, string? attachments, string key, CancellationToken cancellationToken)
    {
        switch (target.Kind)
        {
            case VkTargetKind.Dialog:
                var forward = target.IsGroupChat && target.ReplyTo is { } quoted
                    ? string.Create(CultureInfo.InvariantCulture, $"{{\"peer_id\":{target.OwnerId},\"conversation_message_ids\":[{quoted}],\"is_reply\":true}}")
                    : null;
                return await _client.SendMessageAsync(target.OwnerId, RandomIdOf(key), text, attachments, forward, cancellationToken).ConfigureAwait(false);
            case VkTargetKind.WallComment:
                // The community token answers on the community's own wall; other walls (monitoring findings) need the
                // administrator's user token, posting on behalf of the community.
                var own = target.OwnerId == -_options.GroupId;
                var token = own ? VkTokenKind.Community : VkTokenKind.User;
                RequireToken(token, "answer on another community's wall (a monitoring finding)");
                return await _client.CreateWallCommentAsync(token, target.OwnerId, target.ItemId, text, target.ReplyTo, attachments, GuidOf(key), cancellationToken).ConfigureAwait(false);
            case VkTargetKind.PhotoComment:
                RequireToken(VkTokenKind.User, "answer a photo comment (photos.createComment accepts user tokens only)");
                return await _client.CreatePhotoCommentAsync(target.OwnerId, target.ItemId, text, target.ReplyTo, attachments, GuidOf(key), cancellationToken).ConfigureAwait(false);
            default:
                RequireToken(VkTokenKind.User, "answer in a discussion board (board.createComment accepts user tokens only)");
                return await _client.CreateBoardCommentAsync(Math.Abs(target.OwnerId), target.ItemId, text, attachments, GuidOf(key), cancellationToken).ConfigureAwait(false);
        }
    }

    private void RequireToken(VkTokenKind token, string purpose)
    {
        if (!_client.HasToken(token))
        {
            throw new ChannelException($"To {purpose}, VkChannelOptions.UserAccessToken (a user token of a community administrator) must be set.")
            {
                Channel = ChannelId.Vk,
            };
        }
    }

    private async ValueTask<ChannelException> MapAsync(VkApiException ex, VkTarget target, CancellationToken cancellationToken)
    {
        if (ex.IsRecipientUnreachable)
        {
            if (target.Kind == VkTargetKind.Dialog)
            {
                await _reachability.MarkUnreachableAsync(target.OwnerId, ex.ErrorCode, cancellationToken).ConfigureAwait(false);
            }

            return Unreachable(ex.ErrorCode, ex.ErrorMessage ?? "the citizen cannot receive messages", ex);
        }

        if (ex.ErrorCode == VkErrorCodes.Captcha)
        {
            LogCaptcha(ex.Method);
            return new ChannelException(
                $"VK asked for a captcha (error 14) on {ex.Method}; a server cannot solve it. The reply is parked until a person acts (sends it by hand, then releases or closes it).",
                ex)
            {
                Channel = ChannelId.Vk,
                ErrorCode = VkErrorCodes.Captcha,
                IsTransient = false,
                RequiresIntervention = true,
            };
        }

        if (ex.IsAuthorizationFailure)
        {
            // A rejected token does not heal by retrying: fail fast and park the reply for a person to fix the token.
            LogAuthorizationFailed(ex.Method, ex.ErrorCode);
            return new ChannelException(ex.Message, ex)
            {
                Channel = ChannelId.Vk,
                ErrorCode = ex.ErrorCode,
                IsTransient = false,
                RequiresIntervention = true,
            };
        }

        return new ChannelException(ex.Message, ex)
        {
            Channel = ChannelId.Vk,
            ErrorCode = ex.ErrorCode,
            IsTransient = ex.IsTransient,
            RetryAfter = ex.ErrorCode == VkErrorCodes.TooManyRequests ? TimeSpan.FromSeconds(1) : null,
        };
    }

    private static RecipientUnreachableException Unreachable(int code, string reason, Exception? inner = null) =>
        new(string.Create(CultureInfo.InvariantCulture, $"VK cannot deliver the message (error {code}): {reason}."), inner)
        {
            Channel = ChannelId.Vk,
            ErrorCode = code,
            IsTransient = false,
        };

    private (string? Attachments, List<string> Links) SplitAttachments(IReadOnlyList<Attachment> attachments)
    {
        var links = new List<string>();
        if (attachments.Count == 0)
        {
            return (null, links);
        }

        var vk = new List<string>(Math.Min(attachments.Count, MaxAttachments));
        foreach (var attachment in attachments)
        {
            var reference = attachment.Reference.Trim();
            if (VkAttachments.IsAttachmentString(reference) && vk.Count < MaxAttachments)
            {
                vk.Add(reference);
            }
            else if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                links.Add(attachment.Caption is { Length: > 0 } caption ? $"{caption}: {uri.AbsoluteUri}" : uri.AbsoluteUri);
            }
            else
            {
                LogAttachmentDropped(attachment.Kind.ToString());
            }
        }

        return (vk.Count == 0 ? null : string.Join(',', vk), links);
    }

    [LoggerMessage(EventId = 350, Level = LogLevel.Information, Message = "VK answered 914 (message too long) to a {Length}-character text; sending it split (depth {Depth})")]
    private partial void LogSplitting(int length, int depth);

    [LoggerMessage(EventId = 351, Level = LogLevel.Error, Message = "VK asked for a captcha on {Method}: the reply needs a person")]
    private partial void LogCaptcha(string method);

    [LoggerMessage(EventId = 352, Level = LogLevel.Critical, Message = "VK rejected the access token on {Method} (error {ErrorCode}): check the token and its rights")]
    private partial void LogAuthorizationFailed(string method, int errorCode);

    [LoggerMessage(EventId = 353, Level = LogLevel.Warning, Message = "A {Kind} attachment is neither a VK attachment string nor a link and was not sent")]
    private partial void LogAttachmentDropped(string kind);
}
