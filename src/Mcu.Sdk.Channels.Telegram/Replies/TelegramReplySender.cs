using System.Collections.Concurrent;
using System.Globalization;
using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Channels.Telegram.Intake;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram.Replies;

/// <summary>
/// Delivers replies into the citizen's chat, as a reply to the citizen's message and in the same forum topic.
/// </summary>
/// <remarks>
/// <para>
/// Never retries (the core dispatcher does, honouring <c>retry_after</c>), with two exceptions the Bot API asks for: a group
/// migrated to a supergroup is answered once more at the new chat id, and the receipt reports the new address; a 403 (blocked,
/// deactivated, kicked) marks the chat unreachable and throws <see cref="RecipientUnreachableException"/>.
/// </para>
/// <para>
/// Attachments: one attachment with a text of at most 1,024 characters goes out as one photo (or document) with the text as
/// its caption; otherwise the text goes first and each attachment follows as its own message. A final answer's last part
/// carries the 1–5 rating keyboard. When one part needs several Bot API calls, the calls already made are remembered by the
/// part's idempotency key, so a retry in the same process does not send them twice.
/// </para>
/// </remarks>
internal sealed partial class TelegramReplySender : IReplySender
{
    private const int MaxRememberedSteps = 10_000;
    private readonly TelegramBotClient _client;
    private readonly TelegramRecipients _recipients;
    private readonly TelegramChannelOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _sentSteps = new(StringComparer.Ordinal);

    public TelegramReplySender(TelegramBotClient client, TelegramRecipients recipients, IOptions<TelegramChannelOptions> options, ILogger<TelegramReplySender> logger)
    {
        _client = Throw.IfNull(client);
        _recipients = Throw.IfNull(recipients);
        _options = Throw.IfNull(options).Value;
        _logger = Throw.IfNull(logger);
        Capabilities = new ChannelCapabilities
        {
            MaxTextLength = 4096,
            MaxCaptionLength = 1024,
            SupportsAttachments = true,
            SupportsThreads = true,
            SupportsIdempotencyKey = false,
            MaxMessagesPerSecond = _options.MessagesPerSecond,
            MaxMessagesPerSecondPerConversation = _options.MessagesPerSecondPerChat,
        };
    }

    /// <inheritdoc/>
    public ChannelId Channel => ChannelId.Telegram;

    /// <inheritdoc/>
    public ChannelCapabilities Capabilities { get; }

    /// <inheritdoc/>
    public async ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var address = message.Address;
        if (!long.TryParse(address.ConversationId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            throw new ChannelException("The reply address is not a Telegram chat id.") { Channel = Channel, IsTransient = false };
        }

        if (await _recipients.IsUnreachableAsync(chatId, cancellationToken).ConfigureAwait(false))
        {
            throw new RecipientUnreachableException("The citizen blocked the bot or the bot left the chat; the reply is not sent until the citizen writes again.")
            {
                Channel = Channel,
                ErrorCode = 403,
            };
        }

        try
        {
            return await SendToChatAsync(chatId, message, cancellationToken).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.MigrateToChatId is { } migrated)
        {
            LogMigrated();
            var receipt = await SendToChatAsync(migrated, message, cancellationToken).ConfigureAwait(false);
            return receipt with { UpdatedAddress = address with { ConversationId = migrated.ToString(CultureInfo.InvariantCulture) } };
        }
    }

    private async ValueTask<DeliveryReceipt> SendToChatAsync(long chatId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await SendPartAsync(chatId, message, cancellationToken).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.IsRecipientUnreachable)
        {
            await _recipients.MarkUnreachableAsync(chatId, cancellationToken).ConfigureAwait(false);
            LogUnreachable(ex.Description ?? "Forbidden");
            throw new RecipientUnreachableException(ex.Message, ex) { Channel = Channel, ErrorCode = ex.ErrorCode };
        }
    }

    private async ValueTask<DeliveryReceipt> SendPartAsync(long chatId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var address = message.Address;
        long? threadId = long.TryParse(address.ThreadId, NumberStyles.None, CultureInfo.InvariantCulture, out var thread) ? thread : null;
        var replyTo = long.TryParse(address.ReplyToMessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var replyId)
            ? new ReplyParameters { MessageId = replyId, AllowSendingWithoutReply = true }
            : null;
        var text = message.Text;
        var hasText = !string.IsNullOrWhiteSpace(text);
        var askForRating = _options.AskForRating && message.Kind == ReplyKind.Final && message.AppealId != Guid.Empty && message.PartIndex == message.PartCount - 1;
        var attachments = message.Attachments;
        var key = message.IdempotencyKey;

        if (attachments.Count == 1 && !askForRating && text.Length <= Capabilities.MaxCaptionLength)
        {
            var id = await StepAsync(key + "#media0", ct => SendAttachmentAsync(chatId, threadId, replyTo, attachments[0], hasText ? text : attachments[0].Caption, ct), cancellationToken).ConfigureAwait(false);
            return Receipt(id);
        }

        long? first = null;
        var prompt = _options.Texts.RatingPrompt;
        var promptInline = askForRating && hasText && text.Length + 2 + prompt.Length <= Capabilities.MaxTextLength;
        if (hasText)
        {
            var body = promptInline ? text + "\n\n" + prompt : text;
            var keyboard = promptInline ? RatingKeyboard(message.AppealId) : null;
            first = await StepAsync(key + "#text", ct => SendTextAsync(chatId, threadId, replyTo, body, keyboard, ct), cancellationToken).ConfigureAwait(false);
        }

        if (askForRating && !promptInline)
        {
            var id = await StepAsync(key + "#rating", ct => SendTextAsync(chatId, threadId, replyTo, prompt, RatingKeyboard(message.AppealId), ct), cancellationToken).ConfigureAwait(false);
            first ??= id;
        }

        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            var caption = attachment.Caption is { Length: > 0 } c && c.Length <= Capabilities.MaxCaptionLength ? c : null;
            var id = await StepAsync(key + "#media" + i.ToString(CultureInfo.InvariantCulture), ct => SendAttachmentAsync(chatId, threadId, replyTo, attachment, caption, ct), cancellationToken).ConfigureAwait(false);
            first ??= id;
        }

        if (first is null)
        {
            throw new ChannelException("The reply has neither text nor attachments.") { Channel = Channel, IsTransient = false };
        }

        return Receipt(first.Value);
    }

    private async Task<long> SendTextAsync(long chatId, long? threadId, ReplyParameters? replyTo, string text, InlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        var sent = await _client.SendMessageAsync(
            new SendMessageRequest
            {
                ChatId = chatId,
                MessageThreadId = threadId,
                Text = text,
                ParseMode = _options.ParseMode,
                LinkPreviewOptions = _options.DisableLinkPreviews ? new LinkPreviewOptions { IsDisabled = true } : null,
                ReplyParameters = replyTo,
                ReplyMarkup = keyboard,
            },
            cancellationToken).ConfigureAwait(false);
        return sent.MessageId;
    }

    private async Task<long> SendAttachmentAsync(long chatId, long? threadId, ReplyParameters? replyTo, Attachment attachment, string? caption, CancellationToken cancellationToken)
    {
        var sent = attachment.Kind == AttachmentKind.Photo
            ? await _client.SendPhotoAsync(
                new SendPhotoRequest { ChatId = chatId, MessageThreadId = threadId, Photo = attachment.Reference, Caption = caption, ParseMode = caption is null ? null : _options.ParseMode, ReplyParameters = replyTo },
                cancellationToken).ConfigureAwait(false)
            : await _client.SendDocumentAsync(
                new SendDocumentRequest { ChatId = chatId, MessageThreadId = threadId, Document = attachment.Reference, Caption = caption, ParseMode = caption is null ? null : _options.ParseMode, ReplyParameters = replyTo },
                cancellationToken).ConfigureAwait(false);
        return sent.MessageId;
    }

    private async Task<long> StepAsync(string stepKey, Func<CancellationToken, Task<long>> send, CancellationToken cancellationToken)
    {
        if (_sentSteps.TryGetValue(stepKey, out var sent))
        {
            return sent;
        }

        var id = await send(cancellationToken).ConfigureAwait(false);
        if (_sentSteps.Count >= MaxRememberedSteps)
        {
            _sentSteps.Clear();
        }

        _sentSteps[stepKey] = id;
        return id;
    }

    private static InlineKeyboardMarkup RatingKeyboard(Guid appealId) => new()
    {
        InlineKeyboard =
        [
            Enumerable.Range(1, 5)
                .Select(rating => new InlineKeyboardButton { Text = rating.ToString(CultureInfo.InvariantCulture), CallbackData = TelegramUpdateProcessor.RatingData(appealId, rating) })
                .ToArray(),
        ],
    };

    private static DeliveryReceipt Receipt(long messageId) => new(messageId.ToString(CultureInfo.InvariantCulture));

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "A Telegram group was migrated to a supergroup; the reply goes to the new chat and the appeal's address is updated")]
    private partial void LogMigrated();

    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "A Telegram citizen cannot be reached ({Description}); the chat is marked unreachable")]
    private partial void LogUnreachable(string description);
}
