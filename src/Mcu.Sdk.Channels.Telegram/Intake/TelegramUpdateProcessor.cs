using System.Globalization;
using System.Text;
using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram.Intake;

/// <summary>What to do with one update after the processor handled its side effects.</summary>
/// <param name="Message">The citizen's message to accept through the desk, or <see langword="null"/>.</param>
/// <param name="SkipReason">Why the update was skipped (already counted), or <see langword="null"/>.</param>
internal readonly record struct UpdateOutcome(InboundMessage? Message, string? SkipReason)
{
    public static UpdateOutcome Handled => default;
}

/// <summary>
/// Turns one Telegram update into what the desk needs, shared by long polling and the webhook: a citizen's message becomes an
/// <see cref="InboundMessage"/>; <c>/start</c>, <c>/status</c>, rating buttons, «не решено» and membership changes are
/// handled here; anything else is skipped with a counter.
/// </summary>
/// <remarks>
/// Message ids: a message's external id is <c>{chat_id}:{message_id}</c>, stable across webhook redeliveries, polling replays and a
/// switch between the two. Conversation key: the chat for a private chat; chat, forum topic and author in a group, so that two
/// citizens writing in one group never share an appeal. Answers to commands and buttons are best effort: a failure is logged
/// and the citizen can repeat the command.
/// </remarks>
internal sealed partial class TelegramUpdateProcessor
{
    private const string RatingPrefix = "rate:";
    private readonly TelegramBotClient _client;
    private readonly IAppealDesk _desk;
    private readonly IAppealStore _store;
    private readonly TelegramRecipients _recipients;
    private readonly TelegramChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _notResolved;

    public TelegramUpdateProcessor(
        TelegramBotClient client,
        IAppealDesk desk,
        IAppealStore store,
        TelegramRecipients recipients,
        IOptions<TelegramChannelOptions> options,
        TimeProvider timeProvider,
        ILogger<TelegramUpdateProcessor> logger)
    {
        _client = Throw.IfNull(client);
        _desk = Throw.IfNull(desk);
        _store = Throw.IfNull(store);
        _recipients = Throw.IfNull(recipients);
        _options = Throw.IfNull(options).Value;
        _time = Throw.IfNull(timeProvider);
        _logger = Throw.IfNull(logger);
        _notResolved = new HashSet<string>(_options.Texts.NotResolvedReplies.Select(Normalize), StringComparer.Ordinal);
    }

    /// <summary>Builds the rating callback data of an appeal (at most 64 bytes, as the Bot API allows).</summary>
    public static string RatingData(Guid appealId, int rating) =>
        string.Create(CultureInfo.InvariantCulture, $"{RatingPrefix}{appealId:N}:{rating}");

    /// <summary>Handles an update.</summary>
    public async ValueTask<UpdateOutcome> ProcessAsync(Update update, CancellationToken cancellationToken)
    {
        Throw.IfNull(update);
        if (update.Message is { } message)
        {
            return await OnMessageAsync(update, message, cancellationToken).ConfigureAwait(false);
        }

        if (update.CallbackQuery is { } callback)
        {
            await OnCallbackAsync(callback, cancellationToken).ConfigureAwait(false);
            return UpdateOutcome.Handled;
        }

        if (update.MyChatMember is { } membership)
        {
            await OnMembershipAsync(membership, cancellationToken).ConfigureAwait(false);
            return UpdateOutcome.Handled;
        }

        if (update.EditedMessage is not null || update.EditedChannelPost is not null)
        {
            return Skip(update, "edited_message");
        }

        return Skip(update, update.ChannelPost is not null ? "channel_post" : "unknown_update_kind");
    }

    private async ValueTask<UpdateOutcome> OnMessageAsync(Update update, Message message, CancellationToken cancellationToken)
    {
        if (string.Equals(message.Chat.Type, "channel", StringComparison.Ordinal))
        {
            return Skip(update, "channel_post");
        }

        if (message.From is not { IsBot: false } from)
        {
            return Skip(update, "bot_or_anonymous_sender");
        }

        await _recipients.MarkReachableAsync(message.Chat.Id, cancellationToken).ConfigureAwait(false);
        var text = message.Text ?? message.Caption ?? string.Empty;
        if (message.Text is { } commandText && TryParseCommand(commandText, out var command))
        {
            await OnCommandAsync(command, message, from, cancellationToken).ConfigureAwait(false);
            return UpdateOutcome.Handled;
        }

        if (_notResolved.Contains(Normalize(text)) && await TryReopenAsync(message, cancellationToken).ConfigureAwait(false))
        {
            return UpdateOutcome.Handled;
        }

        var attachments = AttachmentsOf(message);
        GeoLocation? location = message.Location is { } l && IsValidLocation(l) ? new GeoLocation(l.Latitude, l.Longitude) : null;
        if (text.Length == 0 && attachments.Count == 0 && location is null)
        {
            return Skip(update, "unsupported_message_kind");
        }

        var chatId = message.Chat.Id.ToString(CultureInfo.InvariantCulture);
        var threadId = message.IsTopicMessage == true && message.MessageThreadId is { } thread ? thread.ToString(CultureInfo.InvariantCulture) : null;
        var properties = new Dictionary<string, string>(3, StringComparer.Ordinal)
        {
            ["telegram.update_id"] = update.UpdateId.ToString(CultureInfo.InvariantCulture),
            ["telegram.chat_type"] = message.Chat.Type,
        };
        if (message.MediaGroupId is { Length: > 0 } mediaGroup)
        {
            properties["telegram.media_group_id"] = mediaGroup;
        }

        var inbound = new InboundMessage(
            ChannelId.Telegram,
            ExternalIdOf(message),
            ConversationKeyOf(message, from),
            new Author(from.Id.ToString(CultureInfo.InvariantCulture), DisplayName(from)),
            text,
            message.Date > 0 ? DateTimeOffset.FromUnixTimeSeconds(message.Date) : _time.GetUtcNow())
        {
            ReplyAddress = new ReplyAddress(ChannelId.Telegram, chatId, threadId, message.MessageId.ToString(CultureInfo.InvariantCulture)),
            Attachments = attachments,
            Location = location,
            Properties = properties,
        };
        return new UpdateOutcome(inbound, null);
    }

    /// <summary>Gets the external id of a message: <c>{chat_id}:{message_id}</c>.</summary>
    public static string ExternalIdOf(Message message) =>
        string.Create(CultureInfo.InvariantCulture, $"{message.Chat.Id}:{message.MessageId}");

    private static string ConversationKeyOf(Message message, User from)
    {
        if (string.Equals(message.Chat.Type, "private", StringComparison.Ordinal))
        {
            return message.Chat.Id.ToString(CultureInfo.InvariantCulture);
        }

        return message.IsTopicMessage == true && message.MessageThreadId is { } thread
            ? string.Create(CultureInfo.InvariantCulture, $"{message.Chat.Id}:{thread}:{from.Id}")
            : string.Create(CultureInfo.InvariantCulture, $"{message.Chat.Id}:{from.Id}");
    }

    private static string? DisplayName(User user)
    {
        var name = string.IsNullOrWhiteSpace(user.LastName) ? user.FirstName : user.FirstName + " " + user.LastName;
        return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
    }

    private static bool IsValidLocation(Location location) =>
        !double.IsNaN(location.Latitude) && location.Latitude is >= -90 and <= 90
        && !double.IsNaN(location.Longitude) && location.Longitude is >= -180 and <= 180;

    private static List<Attachment> AttachmentsOf(Message message)
    {
        var attachments = new List<Attachment>(1);
        if (message.Photo is { Count: > 0 } sizes)
        {
            // The array order is not a promise: take the largest size explicitly.
            var largest = sizes.MaxBy(size => ((long)size.Width * size.Height, size.FileSize ?? 0))!;
            if (largest.FileId.Length > 0)
            {
                attachments.Add(new Attachment(AttachmentKind.Photo, largest.FileId, message.Caption));
            }
        }

        AddFile(attachments, message.Document, AttachmentKind.Document, message.Caption);
        AddFile(attachments, message.Video, AttachmentKind.Video, message.Caption);
        AddFile(attachments, message.Voice, AttachmentKind.Audio, null);
        AddFile(attachments, message.Audio, AttachmentKind.Audio, message.Caption);
        return attachments;

        static void AddFile(List<Attachment> list, Document? file, AttachmentKind kind, string? caption)
        {
            if (file is { FileId.Length: > 0 })
            {
                list.Add(new Attachment(kind, file.FileId, caption));
            }
        }
    }

    private static bool TryParseCommand(string text, out string command)
    {
        command = string.Empty;
        if (text.Length < 2 || text[0] != '/' || !char.IsAsciiLetter(text[1]))
        {
            return false;
        }

        var end = 1;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        var token = text.AsSpan(1, end - 1);
        var at = token.IndexOf('@');
        command = (at >= 0 ? token[..at] : token).ToString().ToLowerInvariant();
        return true;
    }

    private async ValueTask OnCommandAsync(string command, Message message, User from, CancellationToken cancellationToken)
    {
        var text = command switch
        {
            "status" => await StatusTextAsync(from, cancellationToken).ConfigureAwait(false),
            _ => _options.Texts.Start,
        };
        LogCommand(command);
        await TrySendAsync(message, text, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string> StatusTextAsync(User from, CancellationToken cancellationToken)
    {
        var limit = _options.StatusListLimit;
        var latest = new Queue<Appeal>(limit + 1);
        var query = new AppealQuery { Channel = ChannelId.Telegram, AuthorId = from.Id.ToString(CultureInfo.InvariantCulture) };
        await foreach (var appeal in _store.QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            latest.Enqueue(appeal);
            if (latest.Count > limit)
            {
                latest.Dequeue();
            }
        }

        if (latest.Count == 0)
        {
            return _options.Texts.StatusEmpty;
        }

        var text = new StringBuilder(_options.Texts.StatusHeader);
        foreach (var appeal in latest.Reverse())
        {
            var local = TimeZoneInfo.ConvertTime(appeal.ReceivedAt, _time.LocalTimeZone);
            var status = _options.Texts.StatusNames.GetValueOrDefault(appeal.Status) ?? appeal.Status.ToString();
            text.Append('\n').Append(_options.Texts.StatusLine
                .Replace("{number}", appeal.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{date}", local.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{status}", status, StringComparison.Ordinal));
        }

        return text.ToString();
    }

    private async ValueTask<bool> TryReopenAsync(Message message, CancellationToken cancellationToken)
    {
        var from = message.From!;
        var externalId = ExternalIdOf(message);
        Appeal? latest = null;
        var query = new AppealQuery { Channel = ChannelId.Telegram, ConversationKey = ConversationKeyOf(message, from) };
        await foreach (var appeal in _store.QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            latest = appeal;
        }

        if (latest is null)
        {
            return false;
        }

        var marker = "(message " + externalId + ")";
        if (latest.Status == AppealStatus.Reopened && latest.History.Any(h => h.Description.Contains(marker, StringComparison.Ordinal)))
        {
            return true; // a redelivery of the reply that already reopened it
        }

        if (latest.Status is not (AppealStatus.Answered or AppealStatus.Closed))
        {
            return false;
        }

        Appeal reopened;
        try
        {
            reopened = await _desk.ReopenAsync(latest.Id, "citizen", "the citizen replied that the problem is not solved " + marker, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidAppealTransitionException)
        {
            return false; // changed meanwhile: accept the text as an ordinary message
        }

        LogReopened(reopened.Number);
        await TrySendAsync(message, WithNumber(_options.Texts.Reopened, reopened.Number), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask OnCallbackAsync(CallbackQuery callback, CancellationToken cancellationToken)
    {
        if (!TryParseRating(callback.Data, out var appealId, out var rating))
        {
            McuDiagnostics.RecordSkippedUpdate(ChannelId.Telegram, "unknown_callback");
            await TryAnswerCallbackAsync(callback, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var answer = _options.Texts.RatingNotAccepted;
        var appeal = await _desk.GetAsync(appealId, cancellationToken).ConfigureAwait(false);
        if (appeal is not null
            && appeal.Channel == ChannelId.Telegram
            && string.Equals(appeal.Author.Id, callback.From?.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            && CanRate(appeal))
        {
            try
            {
                var rated = await _desk.RateAsync(appealId, rating, cancellationToken).ConfigureAwait(false);
                answer = rated.Status == AppealStatus.Reopened ? WithNumber(_options.Texts.RatingReopened, rated.Number) : _options.Texts.RatingThanks;
                LogRated(rated.Number, rating);
            }
            catch (InvalidOperationException)
            {
                // The appeal changed meanwhile (reopened, answered again): the rating is not accepted.
            }
        }

        await TryAnswerCallbackAsync(callback, answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An appeal can be rated once per final answer, while it is answered or closed.</summary>
    private static bool CanRate(Appeal appeal)
    {
        if (appeal.Status is not (AppealStatus.Answered or AppealStatus.Closed))
        {
            return false;
        }

        var finalAt = appeal.Replies.LastOrDefault(r => r.Kind == ReplyKind.Final)?.CreatedAt;
        var ratedAt = appeal.History.LastOrDefault(h => h.Kind == AppealHistoryKind.Rating)?.At;
        return finalAt is not null && (ratedAt is null || ratedAt < finalAt);
    }

    private static bool TryParseRating(string? data, out Guid appealId, out int rating)
    {
        appealId = Guid.Empty;
        rating = 0;
        if (data is null || !data.StartsWith(RatingPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = data.AsSpan(RatingPrefix.Length);
        var colon = rest.IndexOf(':');
        return colon > 0
            && Guid.TryParseExact(rest[..colon], "N", out appealId)
            && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out rating)
            && rating is >= 1 and <= 5;
    }

    private async ValueTask OnMembershipAsync(ChatMemberUpdated membership, CancellationToken cancellationToken)
    {
        switch (membership.NewChatMember?.Status)
        {
            case "kicked" or "left":
                await _recipients.MarkUnreachableAsync(membership.Chat.Id, cancellationToken).ConfigureAwait(false);
                LogMembership("blocked");
                break;
            case "member" or "administrator":
                await _recipients.MarkReachableAsync(membership.Chat.Id, cancellationToken).ConfigureAwait(false);
                LogMembership("unblocked");
                break;
            default:
                break;
        }
    }

    private async ValueTask TrySendAsync(Message replyTo, string text, CancellationToken cancellationToken)
    {
        try
        {
            await _client.SendMessageAsync(
                new SendMessageRequest
                {
                    ChatId = replyTo.Chat.Id,
                    MessageThreadId = replyTo.IsTopicMessage == true ? replyTo.MessageThreadId : null,
                    Text = text,
                    LinkPreviewOptions = _options.DisableLinkPreviews ? new LinkPreviewOptions { IsDisabled = true } : null,
                    ReplyParameters = new ReplyParameters { MessageId = replyTo.MessageId, AllowSendingWithoutReply = true },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException ex)
        {
            LogDialogueFailed(ex.ErrorCode, ex.Message);
        }
    }

    private async ValueTask TryAnswerCallbackAsync(CallbackQuery callback, string? text, CancellationToken cancellationToken)
    {
        try
        {
            await _client.AnswerCallbackQueryAsync(callback.Id, text, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException ex)
        {
            LogDialogueFailed(ex.ErrorCode, ex.Message);
        }
    }

    private UpdateOutcome Skip(Update update, string reason)
    {
        McuDiagnostics.RecordSkippedUpdate(ChannelId.Telegram, reason);
        LogSkipped(update.UpdateId, reason);
        return new UpdateOutcome(null, reason);
    }

    private static string WithNumber(string template, long number) =>
        template.Replace("{number}", number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Lower case, ё as е, letters, digits and single spaces only.</summary>
    private static string Normalize(string text)
    {
        if (text.Length > 64)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c == 'ё' ? 'е' : c);
            }
            else if (char.IsWhiteSpace(c) && builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Telegram update {UpdateId} skipped: {Reason}")]
    private partial void LogSkipped(long updateId, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "Telegram command /{Command} answered")]
    private partial void LogCommand(string command);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Appeal #{Number} reopened: the citizen replied that the problem is not solved")]
    private partial void LogReopened(long number);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "Appeal #{Number} rated {Rating} of 5 in Telegram")]
    private partial void LogRated(long number, int rating);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "A Telegram citizen {Change} the bot")]
    private partial void LogMembership(string change);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "The bot's own answer (command or button) could not be sent ({Code}): {Error}")]
    private partial void LogDialogueFailed(int? code, string error);
}
