using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mcu.Sdk.Channels.Vk.Api;

/// <summary>The error object of the VK error envelope (<c>base_error</c> of VK's JSON schema).</summary>
internal sealed class VkError
{
    public int ErrorCode { get; set; }

    public int? ErrorSubcode { get; set; }

    public string? ErrorMsg { get; set; }

    public string? CaptchaSid { get; set; }

    public string? RedirectUri { get; set; }
}

/// <summary>The answer of <c>groups.getLongPollServer</c>; <c>ts</c> is a string in the schema and a number in some answers.</summary>
internal sealed class VkLongPollServer
{
    public string Server { get; set; } = string.Empty;

    public string Key { get; set; } = string.Empty;

    public JsonElement Ts { get; set; }
}

/// <summary>The answer of <c>groups.getCallbackConfirmationCode</c>.</summary>
internal sealed class VkConfirmationCode
{
    public string Code { get; set; } = string.Empty;
}

/// <summary>The answer of <c>wall.createComment</c>.</summary>
internal sealed class VkCreatedComment
{
    public long CommentId { get; set; }
}

/// <summary>A page of <c>wall.get</c>.</summary>
internal sealed class VkWallPage
{
    public int Count { get; set; }

    public List<VkWallPost> Items { get; set; } = [];
}

/// <summary>A post (<c>wall_wallpost</c>).</summary>
internal sealed class VkWallPost
{
    public long Id { get; set; }

    public long OwnerId { get; set; }

    public long FromId { get; set; }

    public long? SignerId { get; set; }

    public long Date { get; set; }

    public string? Text { get; set; }

    public string? PostType { get; set; }

    public int? IsPinned { get; set; }

    public List<JsonElement>? Attachments { get; set; }

    public VkGeo? Geo { get; set; }
}

/// <summary>A page of <c>wall.getComments</c>.</summary>
internal sealed class VkCommentPage
{
    public int Count { get; set; }

    public int? CurrentLevelCount { get; set; }

    public List<VkComment> Items { get; set; } = [];
}

/// <summary>
/// A comment (<c>wall_wall_comment</c>) as read by <c>wall.getComments</c> and as delivered by <c>wall_reply_new</c>,
/// <c>photo_comment_new</c> and <c>board_post_new</c> events, with every owner-field spelling seen in practice.
/// </summary>
internal sealed class VkComment
{
    public long Id { get; set; }

    public long FromId { get; set; }

    public long Date { get; set; }

    public string? Text { get; set; }

    public long? PostId { get; set; }

    public long? OwnerId { get; set; }

    public long? PostOwnerId { get; set; }

    public long? PhotoId { get; set; }

    public long? PhotoOwnerId { get; set; }

    public long? TopicId { get; set; }

    public long? TopicOwnerId { get; set; }

    public long? ReplyToComment { get; set; }

    public List<long>? ParentsStack { get; set; }

    public VkCommentThread? Thread { get; set; }

    public List<JsonElement>? Attachments { get; set; }

    public JsonElement Deleted { get; set; }
}

/// <summary>The replies under a comment.</summary>
internal sealed class VkCommentThread
{
    public int Count { get; set; }

    public List<VkComment>? Items { get; set; }
}

/// <summary>A user of <c>users.get</c>.</summary>
internal sealed class VkUser
{
    public long Id { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }
}

/// <summary>The answer of <c>utils.resolveScreenName</c> (an empty array when the name is unknown).</summary>
internal sealed class VkResolvedScreenName
{
    public string? Type { get; set; }

    public long ObjectId { get; set; }
}

/// <summary>A shared location: messages carry <c>{"latitude","longitude"}</c>, wall posts a string <c>"55.75 37.61"</c>.</summary>
internal sealed class VkGeo
{
    public JsonElement Coordinates { get; set; }
}

/// <summary>An answer of the Bots Long Poll server.</summary>
internal sealed class VkLongPollResponse
{
    public JsonElement Ts { get; set; }

    public List<JsonElement>? Updates { get; set; }

    public int? Failed { get; set; }
}

/// <summary>The envelope of a Callback API event or a Long Poll update (<c>callback_base</c>).</summary>
internal sealed class VkEvent
{
    public string? Type { get; set; }

    public string? EventId { get; set; }

    public string? V { get; set; }

    public long GroupId { get; set; }

    public string? Secret { get; set; }

    public JsonElement Object { get; set; }
}

/// <summary>The object of <c>message_new</c> (API 5.103 and later).</summary>
internal sealed class VkMessageNew
{
    public VkMessage? Message { get; set; }
}

/// <summary>A message (<c>messages_message</c>).</summary>
internal sealed class VkMessage
{
    public long Id { get; set; }

    public long Date { get; set; }

    public long PeerId { get; set; }

    public long FromId { get; set; }

    public string? Text { get; set; }

    public int Out { get; set; }

    public long ConversationMessageId { get; set; }

    public List<JsonElement>? Attachments { get; set; }

    public VkGeo? Geo { get; set; }
}

/// <summary>The object of <c>message_allow</c> and <c>message_deny</c>.</summary>
internal sealed class VkMessagePermission
{
    public long UserId { get; set; }
}

/// <summary>The per-public monitoring cursor stored in the checkpoint store.</summary>
internal sealed class VkMonitoringCursor
{
    public long LastPostId { get; set; }

    public List<VkTrackedPost> Posts { get; set; } = [];
}

/// <summary>A post whose comments are followed, with the last comment seen.</summary>
internal sealed class VkTrackedPost
{
    public long Id { get; set; }

    public long Date { get; set; }

    public long LastCommentId { get; set; }
}

/// <summary>The source-generated serializer context of the VK client (snake_case, numbers also read from strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VkError))]
[JsonSerializable(typeof(VkLongPollServer))]
[JsonSerializable(typeof(VkConfirmationCode))]
[JsonSerializable(typeof(VkCreatedComment))]
[JsonSerializable(typeof(VkWallPage))]
[JsonSerializable(typeof(VkCommentPage))]
[JsonSerializable(typeof(List<VkUser>))]
[JsonSerializable(typeof(VkResolvedScreenName))]
[JsonSerializable(typeof(VkLongPollResponse))]
[JsonSerializable(typeof(VkEvent))]
[JsonSerializable(typeof(VkMessageNew))]
[JsonSerializable(typeof(VkComment))]
[JsonSerializable(typeof(VkWallPost))]
[JsonSerializable(typeof(VkMessagePermission))]
[JsonSerializable(typeof(VkMonitoringCursor))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class VkJsonContext : JsonSerializerContext;

/// <summary>Helpers for VK's loosely typed JSON values.</summary>
internal static class VkJsonValues
{
    /// <summary>Reads a value that VK sends as a string or a number (a long-poll <c>ts</c>).</summary>
    /// <param name="element">The value.</param>
    /// <returns>The text, or <see langword="null"/> when absent.</returns>
    public static string? AsText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };

    /// <summary>Tells whether a flag VK sends as <c>1</c>/<c>true</c> is set.</summary>
    /// <param name="element">The value.</param>
    /// <returns><see langword="true"/> when set.</returns>
    public static bool IsSet(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => element.TryGetInt64(out var n) && n != 0,
        JsonValueKind.String => element.GetString() is { Length: > 0 } s && s != "0",
        _ => false,
    };

    /// <summary>Converts Unix seconds to an instant.</summary>
    /// <param name="seconds">The seconds.</param>
    /// <returns>The instant.</returns>
    public static DateTimeOffset FromUnix(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    /// <summary>Formats an id the invariant way.</summary>
    /// <param name="value">The id.</param>
    /// <returns>The text.</returns>
    public static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}
