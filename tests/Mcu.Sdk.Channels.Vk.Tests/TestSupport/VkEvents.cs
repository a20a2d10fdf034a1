using System.Globalization;
using System.Text.Json.Nodes;

namespace Mcu.Sdk.Channels.Vk.Tests.TestSupport;

/// <summary>VK event objects and Callback API bodies, built field by field from VK's schema (texts written for the tests).</summary>
internal static class VkEvents
{
    public static readonly DateTimeOffset Date = new(2026, 11, 16, 8, 30, 0, TimeSpan.Zero);

    public static long Unix => Date.ToUnixTimeSeconds();

    public static JsonObject MessageNew(long fromId, long cmid, string text, long? peerId = null, int outgoing = 0, JsonArray? attachments = null, JsonObject? geo = null)
    {
        var message = new JsonObject
        {
            ["id"] = cmid + 1000,
            ["date"] = Unix,
            ["peer_id"] = peerId ?? fromId,
            ["from_id"] = fromId,
            ["out"] = outgoing,
            ["conversation_message_id"] = cmid,
            ["version"] = 10001,
            ["important"] = false,
            ["is_hidden"] = false,
            ["text"] = text,
            ["random_id"] = 0,
            ["attachments"] = attachments ?? [],
            ["fwd_messages"] = new JsonArray(),
        };
        if (geo is not null)
        {
            message["geo"] = geo;
        }

        return new JsonObject
        {
            ["message"] = message,
            ["client_info"] = new JsonObject
            {
                ["button_actions"] = new JsonArray("text", "location", "callback"),
                ["keyboard"] = true,
                ["inline_keyboard"] = true,
                ["carousel"] = true,
                ["lang_id"] = 0,
            },
        };
    }

    /// <summary>A <c>wall_reply_new</c> object; <paramref name="ownerForm"/> uses <c>owner_id</c> instead of <c>post_owner_id</c>.</summary>
    public static JsonObject WallReply(long commentId, long fromId, long postId, string text, bool ownerForm = false, long? parentId = null)
    {
        var reply = new JsonObject
        {
            ["id"] = commentId,
            ["from_id"] = fromId,
            ["date"] = Unix,
            ["text"] = text,
            ["post_id"] = postId,
        };
        reply[ownerForm ? "owner_id" : "post_owner_id"] = -FakeVkApi.GroupId;
        if (parentId is { } parent)
        {
            reply["parents_stack"] = new JsonArray(parent);
            reply["reply_to_comment"] = parent;
        }

        return reply;
    }

    public static JsonObject PhotoComment(long commentId, long fromId, long photoId, string text) => new()
    {
        ["id"] = commentId,
        ["from_id"] = fromId,
        ["date"] = Unix,
        ["text"] = text,
        ["photo_id"] = photoId,
        ["photo_owner_id"] = -FakeVkApi.GroupId,
    };

    public static JsonObject BoardPost(long commentId, long fromId, long topicId, string text) => new()
    {
        ["id"] = commentId,
        ["from_id"] = fromId,
        ["date"] = Unix,
        ["text"] = text,
        ["topic_id"] = topicId,
        ["topic_owner_id"] = -FakeVkApi.GroupId,
    };

    public static JsonObject WallPost(long postId, long fromId, string text, string postType = "suggest") => new()
    {
        ["id"] = postId,
        ["owner_id"] = -FakeVkApi.GroupId,
        ["from_id"] = fromId,
        ["date"] = Unix,
        ["text"] = text,
        ["post_type"] = postType,
        ["attachments"] = new JsonArray(),
    };

    public static JsonObject Permission(long userId) => new() { ["user_id"] = userId, ["key"] = "ref-key" };

    /// <summary>A Callback API body.</summary>
    public static string Callback(string type, JsonObject? eventObject, string? eventId = null, string? secret = VkFixture.Secret, long groupId = FakeVkApi.GroupId)
    {
        var body = new JsonObject
        {
            ["type"] = type,
            ["event_id"] = eventId ?? Guid.NewGuid().ToString("N"),
            ["v"] = "5.199",
            ["group_id"] = groupId,
        };
        if (eventObject is not null)
        {
            body["object"] = eventObject;
        }

        if (secret is not null)
        {
            body["secret"] = secret;
        }

        return body.ToJsonString();
    }

    public static JsonObject Photo(long ownerId, long id, string? accessKey = null)
    {
        var photo = new JsonObject { ["id"] = id, ["owner_id"] = ownerId, ["date"] = Unix, ["text"] = "фото ямы" };
        if (accessKey is not null)
        {
            photo["access_key"] = accessKey;
        }

        return new JsonObject { ["type"] = "photo", ["photo"] = photo };
    }

    public static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}
