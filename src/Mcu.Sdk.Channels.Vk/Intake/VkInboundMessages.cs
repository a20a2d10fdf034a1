using System.Globalization;
using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Replies;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>
/// Builds <see cref="InboundMessage"/>s from VK objects, with external ids in VK's object notation so that the same message
/// read through the Callback API and through Long Poll (or twice) is accepted once:
/// <c>msg{peer}_{conversation_message_id}</c>, <c>wall{owner}_{post}</c>, <c>wall{owner}_{post}:{comment}</c>,
/// <c>photo{owner}_{photo}:{comment}</c>, <c>topic{owner}_{topic}:{comment}</c>.
/// </summary>
internal static class VkInboundMessages
{
    /// <summary>The property with a link to the post or comment, for specialists.</summary>
    public const string LinkProperty = "vk.url";

    /// <summary>The property that names the suggested post an appeal came from.</summary>
    public const string SuggestedPostProperty = "vk.suggested_post";

    /// <summary>Builds a message of a dialog.</summary>
    public static InboundMessage FromDialog(VkMessage message, string? authorName)
    {
        ArgumentNullException.ThrowIfNull(message);
        var peer = message.PeerId;
        var isChat = peer >= VkTarget.FirstChatPeerId;
        var externalId = message.ConversationMessageId > 0
            ? $"msg{Id(peer)}_{Id(message.ConversationMessageId)}"
            : $"msg{Id(peer)}_id{Id(message.Id)}";
        var conversation = isChat ? $"msg{Id(peer)}:{Id(message.FromId)}" : $"msg{Id(peer)}";
        var target = new VkTarget(VkTargetKind.Dialog, peer, 0, isChat && message.ConversationMessageId > 0 ? message.ConversationMessageId : null);
        return new InboundMessage(ChannelId.Vk, externalId, conversation, new Author(Id(message.FromId), authorName), message.Text ?? string.Empty, VkJsonValues.FromUnix(message.Date))
        {
            ReplyAddress = target.ToAddress(),
            Attachments = VkAttachments.Read(message.Attachments),
            Location = ToLocation(message.Geo),
        };
    }

    /// <summary>Builds a message of a comment (wall, photo or board).</summary>
    /// <param name="channel">The channel (<c>vk</c>, or <c>monitoring</c> for findings).</param>
    /// <param name="idPrefix">A prefix of the external and conversation ids (<c>vk:</c> for findings), or empty.</param>
    /// <param name="kind">The kind of comment.</param>
    /// <param name="ownerId">The owner of the wall, photo or board.</param>
    /// <param name="itemId">The post, photo or topic.</param>
    /// <param name="comment">The comment.</param>
    /// <param name="authorName">The author's name, or <see langword="null"/>.</param>
    /// <returns>The message.</returns>
    public static InboundMessage FromComment(ChannelId channel, string idPrefix, VkTargetKind kind, long ownerId, long itemId, VkComment comment, string? authorName)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var thread = comment.ParentsStack is { Count: > 0 } stack ? stack[0] : comment.Id;
        var target = new VkTarget(kind, ownerId, itemId, kind == VkTargetKind.BoardComment ? null : comment.Id, kind == VkTargetKind.BoardComment ? null : thread);
        var place = target.ConversationId;
        var link = (target with { ReplyTo = comment.Id }).Link;
        return new InboundMessage(channel, $"{idPrefix}{place}:{Id(comment.Id)}", $"{idPrefix}{place}:{Id(comment.FromId)}", new Author(Id(comment.FromId), authorName), comment.Text ?? string.Empty, VkJsonValues.FromUnix(comment.Date))
        {
            ReplyAddress = target.ToAddress(),
            Attachments = VkAttachments.Read(comment.Attachments),
            FoundByMonitoring = channel == ChannelId.Monitoring,
            Properties = link is null ? new Dictionary<string, string>(0) : new Dictionary<string, string>(1) { [LinkProperty] = link },
        };
    }

    /// <summary>Builds a message of a post found by monitoring (answered with a comment under it).</summary>
    public static InboundMessage FromMonitoredPost(VkWallPost post, string? authorName)
    {
        ArgumentNullException.ThrowIfNull(post);
        var target = new VkTarget(VkTargetKind.WallComment, post.OwnerId, post.Id);
        var place = target.ConversationId;
        var author = AuthorOf(post);
        return new InboundMessage(ChannelId.Monitoring, "vk:" + place, $"vk:{place}:{Id(author)}", new Author(Id(author), authorName), post.Text ?? string.Empty, VkJsonValues.FromUnix(post.Date))
        {
            ReplyAddress = target.ToAddress(),
            Attachments = VkAttachments.Read(post.Attachments),
            Location = ToLocation(post.Geo),
            FoundByMonitoring = true,
            Properties = new Dictionary<string, string>(1) { [LinkProperty] = target.Link! },
        };
    }

    /// <summary>Builds a message of a post a citizen suggested to the community's wall (answered in a dialog with the author).</summary>
    public static InboundMessage FromSuggestedPost(VkWallPost post, string? authorName)
    {
        ArgumentNullException.ThrowIfNull(post);
        var author = AuthorOf(post);
        var place = $"wall{Id(post.OwnerId)}_{Id(post.Id)}";
        return new InboundMessage(ChannelId.Vk, place, $"{place}:{Id(author)}", new Author(Id(author), authorName), post.Text ?? string.Empty, VkJsonValues.FromUnix(post.Date))
        {
            ReplyAddress = new VkTarget(VkTargetKind.Dialog, author, 0).ToAddress(),
            Attachments = VkAttachments.Read(post.Attachments),
            Location = ToLocation(post.Geo),
            Properties = new Dictionary<string, string>(1) { [SuggestedPostProperty] = place },
        };
    }

    /// <summary>Gets the author of a post: the signer when a community published it signed, else the sender.</summary>
    public static long AuthorOf(VkWallPost post) => post.FromId < 0 && post.SignerId is > 0 ? post.SignerId.Value : post.FromId;

    /// <summary>Reads a shared location in either of VK's shapes; anything else (or out of range) is no location.</summary>
    public static GeoLocation? ToLocation(VkGeo? geo)
    {
        if (geo is null || !TryReadCoordinates(geo.Coordinates, out var latitude, out var longitude))
        {
            return null;
        }

        return double.IsFinite(latitude) && double.IsFinite(longitude) && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180
            ? new GeoLocation(latitude, longitude)
            : null;
    }

    private static bool TryReadCoordinates(JsonElement coordinates, out double latitude, out double longitude)
    {
        latitude = longitude = 0;
        switch (coordinates.ValueKind)
        {
            case JsonValueKind.Object:
                return coordinates.TryGetProperty("latitude", out var lat) && lat.TryGetDouble(out latitude)
                    && coordinates.TryGetProperty("longitude", out var lon) && lon.TryGetDouble(out longitude);
            case JsonValueKind.String:
                return coordinates.GetString()?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var latText, var lonText]
                    && double.TryParse(latText, NumberStyles.Float, CultureInfo.InvariantCulture, out latitude)
                    && double.TryParse(lonText, NumberStyles.Float, CultureInfo.InvariantCulture, out longitude);
            default:
                return false;
        }
    }

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}
