using System.Text.Json.Serialization;

namespace Mcu.Sdk.Channels.Telegram.Api;

// The subset of the Bot API (10.1) types the adapter reads and writes. Names follow the API in snake_case through the
// source-generated context; fields the adapter does not need are not declared and are ignored when reading.

/// <summary>The response envelope: <c>ok</c>, <c>result</c> or <c>description</c>, <c>error_code</c>, <c>parameters</c>.</summary>
/// <typeparam name="T">The type of the result.</typeparam>
internal sealed class ApiResponse<T>
{
    public bool Ok { get; init; }

    public T? Result { get; init; }

    public string? Description { get; init; }

    public int? ErrorCode { get; init; }

    public ResponseParameters? Parameters { get; init; }
}

/// <summary>Information that helps to handle an error automatically.</summary>
internal sealed class ResponseParameters
{
    public long? MigrateToChatId { get; init; }

    public int? RetryAfter { get; init; }
}

/// <summary>An incoming update: at most one of the optional fields is present.</summary>
internal sealed class Update
{
    [JsonRequired]
    public long UpdateId { get; init; }

    public Message? Message { get; init; }

    public Message? EditedMessage { get; init; }

    public Message? ChannelPost { get; init; }

    public Message? EditedChannelPost { get; init; }

    public CallbackQuery? CallbackQuery { get; init; }

    public ChatMemberUpdated? MyChatMember { get; init; }
}

/// <summary>A message.</summary>
internal sealed class Message
{
    [JsonRequired]
    public long MessageId { get; init; }

    public long? MessageThreadId { get; init; }

    public bool? IsTopicMessage { get; init; }

    public User? From { get; init; }

    public long Date { get; init; }

    [JsonRequired]
    public Chat Chat { get; init; } = null!;

    public string? MediaGroupId { get; init; }

    public string? Text { get; init; }

    public string? Caption { get; init; }

    public IReadOnlyList<PhotoSize>? Photo { get; init; }

    public Document? Document { get; init; }

    public Document? Video { get; init; }

    public Document? Voice { get; init; }

    public Document? Audio { get; init; }

    public Location? Location { get; init; }
}

/// <summary>A chat.</summary>
internal sealed class Chat
{
    public long Id { get; init; }

    public string Type { get; init; } = "private";

    public string? Title { get; init; }

    public bool? IsForum { get; init; }
}

/// <summary>A user or bot.</summary>
internal sealed class User
{
    public long Id { get; init; }

    public bool IsBot { get; init; }

    public string FirstName { get; init; } = string.Empty;

    public string? LastName { get; init; }

    public string? Username { get; init; }
}

/// <summary>One size of a photo.</summary>
internal sealed class PhotoSize
{
    public string FileId { get; init; } = string.Empty;

    public string? FileUniqueId { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public long? FileSize { get; init; }
}

/// <summary>A general file (also used for video, voice and audio, which share the fields the adapter reads).</summary>
internal sealed class Document
{
    public string FileId { get; init; } = string.Empty;

    public string? FileName { get; init; }

    public string? MimeType { get; init; }

    public long? FileSize { get; init; }
}

/// <summary>A point on the map.</summary>
internal sealed class Location
{
    public double Latitude { get; init; }

    public double Longitude { get; init; }

    public double? HorizontalAccuracy { get; init; }
}

/// <summary>A press of an inline keyboard button.</summary>
internal sealed class CallbackQuery
{
    public string Id { get; init; } = string.Empty;

    public User From { get; init; } = null!;

    /// <summary>Gets the message with the button; an inaccessible message has <c>date</c> 0.</summary>
    public Message? Message { get; init; }

    public string? Data { get; init; }
}

/// <summary>A change of the bot's membership in a chat (for private chats: blocked or unblocked by the user).</summary>
internal sealed class ChatMemberUpdated
{
    public Chat Chat { get; init; } = null!;

    public ChatMember? NewChatMember { get; init; }
}

/// <summary>The status part of a chat member.</summary>
internal sealed class ChatMember
{
    public string Status { get; init; } = string.Empty;
}

/// <summary>The current webhook status.</summary>
internal sealed class WebhookInfo
{
    public string Url { get; init; } = string.Empty;

    public int PendingUpdateCount { get; init; }

    public long? LastErrorDate { get; init; }

    public string? LastErrorMessage { get; init; }

    public int? MaxConnections { get; init; }

    public IReadOnlyList<string>? AllowedUpdates { get; init; }
}

/// <summary>A file ready to be downloaded.</summary>
internal sealed class TelegramFile
{
    public string FileId { get; init; } = string.Empty;

    public long? FileSize { get; init; }

    public string? FilePath { get; init; }
}

// ---- Requests ----

/// <summary>A request without parameters.</summary>
internal sealed class EmptyRequest
{
    public static readonly EmptyRequest Instance = new();
}

/// <summary><c>getUpdates</c>.</summary>
internal sealed class GetUpdatesRequest
{
    public long? Offset { get; init; }

    public int? Limit { get; init; }

    public int? Timeout { get; init; }

    public IReadOnlyList<string>? AllowedUpdates { get; init; }
}

/// <summary><c>setWebhook</c> (without a certificate: the adapter expects a publicly trusted one).</summary>
internal sealed class SetWebhookRequest
{
    public string Url { get; init; } = string.Empty;

    public int? MaxConnections { get; init; }

    public IReadOnlyList<string>? AllowedUpdates { get; init; }

    public bool? DropPendingUpdates { get; init; }

    public string? SecretToken { get; init; }
}

/// <summary><c>deleteWebhook</c>.</summary>
internal sealed class DeleteWebhookRequest
{
    public bool? DropPendingUpdates { get; init; }
}

/// <summary>Where and how a message replies to another.</summary>
internal sealed class ReplyParameters
{
    public long MessageId { get; init; }

    public bool? AllowSendingWithoutReply { get; init; }
}

/// <summary>Link preview generation options.</summary>
internal sealed class LinkPreviewOptions
{
    public bool? IsDisabled { get; init; }
}

/// <summary>An inline keyboard under a message.</summary>
internal sealed class InlineKeyboardMarkup
{
    public IReadOnlyList<IReadOnlyList<InlineKeyboardButton>> InlineKeyboard { get; init; } = [];
}

/// <summary>A button of an inline keyboard.</summary>
internal sealed class InlineKeyboardButton
{
    public string Text { get; init; } = string.Empty;

    public string? CallbackData { get; init; }
}

/// <summary><c>sendMessage</c>.</summary>
internal sealed class SendMessageRequest
{
    public long ChatId { get; init; }

    public long? MessageThreadId { get; init; }

    public string Text { get; init; } = string.Empty;

    public string? ParseMode { get; init; }

    public LinkPreviewOptions? LinkPreviewOptions { get; init; }

    public ReplyParameters? ReplyParameters { get; init; }

    public InlineKeyboardMarkup? ReplyMarkup { get; init; }
}

/// <summary><c>sendPhoto</c> with a <c>file_id</c> or an HTTP URL.</summary>
internal sealed class SendPhotoRequest
{
    public long ChatId { get; init; }

    public long? MessageThreadId { get; init; }

    public string Photo { get; init; } = string.Empty;

    public string? Caption { get; init; }

    public string? ParseMode { get; init; }

    public ReplyParameters? ReplyParameters { get; init; }
}

/// <summary><c>sendDocument</c> with a <c>file_id</c> or an HTTP URL.</summary>
internal sealed class SendDocumentRequest
{
    public long ChatId { get; init; }

    public long? MessageThreadId { get; init; }

    public string Document { get; init; } = string.Empty;

    public string? Caption { get; init; }

    public string? ParseMode { get; init; }

    public ReplyParameters? ReplyParameters { get; init; }
}

/// <summary><c>getFile</c>.</summary>
internal sealed class GetFileRequest
{
    public string FileId { get; init; } = string.Empty;
}

/// <summary><c>answerCallbackQuery</c>.</summary>
internal sealed class AnswerCallbackQueryRequest
{
    public string CallbackQueryId { get; init; } = string.Empty;

    public string? Text { get; init; }
}

/// <summary>A command shown in the bot's menu.</summary>
internal sealed class BotCommand
{
    public string Command { get; init; } = string.Empty;

    public string Description { get; init; } = string.Empty;
}

/// <summary><c>setMyCommands</c>.</summary>
internal sealed class SetMyCommandsRequest
{
    public IReadOnlyList<BotCommand> Commands { get; init; } = [];

    public string? LanguageCode { get; init; }
}

/// <summary>The source-generated JSON metadata of the Bot API types (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Update))]
[JsonSerializable(typeof(ApiResponse<User>))]
[JsonSerializable(typeof(ApiResponse<Update[]>))]
[JsonSerializable(typeof(ApiResponse<Message>))]
[JsonSerializable(typeof(ApiResponse<bool>))]
[JsonSerializable(typeof(ApiResponse<WebhookInfo>))]
[JsonSerializable(typeof(ApiResponse<TelegramFile>))]
[JsonSerializable(typeof(EmptyRequest))]
[JsonSerializable(typeof(GetUpdatesRequest))]
[JsonSerializable(typeof(SetWebhookRequest))]
[JsonSerializable(typeof(DeleteWebhookRequest))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(SendPhotoRequest))]
[JsonSerializable(typeof(SendDocumentRequest))]
[JsonSerializable(typeof(GetFileRequest))]
[JsonSerializable(typeof(AnswerCallbackQueryRequest))]
[JsonSerializable(typeof(SetMyCommandsRequest))]
internal sealed partial class TelegramJsonContext : JsonSerializerContext;
