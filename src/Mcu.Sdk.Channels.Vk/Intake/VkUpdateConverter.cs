using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Replies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>What a VK event turned into.</summary>
/// <param name="Message">The appeal message, or <see langword="null"/>.</param>
/// <param name="SkipReason">Why the event was skipped (counted), or <see langword="null"/> when it was handled.</param>
internal readonly record struct VkConversion(InboundMessage? Message, string? SkipReason)
{
    /// <summary>Gets a conversion of an event handled without an appeal (<c>message_allow</c>).</summary>
    public static VkConversion Handled => default;

    /// <summary>Creates a skipped conversion.</summary>
    public static VkConversion Skip(string reason) => new(null, reason);
}

/// <summary>
/// Turns a VK event (from the Callback API or Bots Long Poll) into an appeal message: <c>message_new</c>,
/// <c>wall_reply_new</c> (both the <c>post_owner_id</c> and the <c>owner_id</c> forms), <c>wall_post_new</c> (suggested posts),
/// <c>photo_comment_new</c> and <c>board_post_new</c>; <c>message_allow</c>/<c>message_deny</c> update reachability.
/// Everything else is skipped with a reason.
/// </summary>
/// <remarks>Thread-safe. Never throws for bad input; store failures (reachability) propagate.</remarks>
internal sealed partial class VkUpdateConverter
{
    /// <summary>The skip reason of event kinds the channel does not turn into appeals.</summary>
    public const string UnhandledKind = "unhandled_event_kind";

    /// <summary>The skip reason of events whose object cannot be read.</summary>
    public const string Malformed = "malformed_event";

    private readonly long _groupId;
    private readonly VkReachability _reachability;
    private readonly VkAuthorNames _names;
    private readonly ILogger _logger;

    public VkUpdateConverter(IOptions<VkChannelOptions> options, VkReachability reachability, VkAuthorNames names, ILogger<VkUpdateConverter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _groupId = options.Value.GroupId;
        _reachability = reachability ?? throw new ArgumentNullException(nameof(reachability));
        _names = names ?? throw new ArgumentNullException(nameof(names));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Converts one event.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="eventObject">The event's <c>object</c>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What the event turned into.</returns>
    public async ValueTask<VkConversion> ConvertAsync(string? type, JsonElement eventObject, CancellationToken cancellationToken)
    {
        if (type is "message_new" or "wall_reply_new" or "wall_post_new" or "photo_comment_new" or "board_post_new" or "message_allow" or "message_deny"
            && eventObject.ValueKind != JsonValueKind.Object)
        {
            return VkConversion.Skip(Malformed);
        }

        try
        {
            return type switch
            {
                "message_new" => await FromMessageNewAsync(eventObject, cancellationToken).ConfigureAwait(false),
                "wall_reply_new" => await FromCommentAsync(VkTargetKind.WallComment, eventObject, cancellationToken).ConfigureAwait(false),
                "photo_comment_new" => await FromCommentAsync(VkTargetKind.PhotoComment, eventObject, cancellationToken).ConfigureAwait(false),
                "board_post_new" => await FromCommentAsync(VkTargetKind.BoardComment, eventObject, cancellationToken).ConfigureAwait(false),
                "wall_post_new" => await FromWallPostAsync(eventObject, cancellationToken).ConfigureAwait(false),
                "message_allow" => await OnPermissionAsync(eventObject, allowed: true, cancellationToken).ConfigureAwait(false),
                "message_deny" => await OnPermissionAsync(eventObject, allowed: false, cancellationToken).ConfigureAwait(false),
                _ => VkConversion.Skip(UnhandledKind),
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            LogMalformed(type ?? "(none)", ex.GetType().Name);
            return VkConversion.Skip(Malformed);
        }
    }

    private async ValueTask<VkConversion> FromMessageNewAsync(JsonElement eventObject, CancellationToken cancellationToken)
    {
        var message = eventObject.Deserialize(VkJsonContext.Default.VkMessageNew)?.Message;
        if (message is null || message.PeerId == 0)
        {
            return VkConversion.Skip(Malformed);
        }

        if (message.Out != 0 || message.FromId <= 0)
        {
            return VkConversion.Skip("not_from_citizen");
        }

        if (message.PeerId == message.FromId)
        {
            // The citizen wrote to the community, so the community may write back: an earlier 900–902 no longer holds.
            await _reachability.MarkReachableAsync(message.FromId, cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(message.Text) && message.Attachments is not { Count: > 0 } && message.Geo is null)
        {
            return VkConversion.Skip("empty_message");
        }

        var name = await _names.GetAsync(message.FromId, cancellationToken).ConfigureAwait(false);
        return new VkConversion(VkInboundMessages.FromDialog(message, name), null);
    }

    private async ValueTask<VkConversion> FromCommentAsync(VkTargetKind kind, JsonElement eventObject, CancellationToken cancellationToken)
    {
        var comment = eventObject.Deserialize(VkJsonContext.Default.VkComment);
        if (comment is null || comment.Id <= 0)
        {
            return VkConversion.Skip(Malformed);
        }

        var (owner, item) = kind switch
        {
            VkTargetKind.WallComment => (comment.PostOwnerId ?? comment.OwnerId, comment.PostId),
            VkTargetKind.PhotoComment => (comment.PhotoOwnerId ?? comment.OwnerId, comment.PhotoId),
            _ => (comment.TopicOwnerId ?? comment.OwnerId ?? -_groupId, comment.TopicId),
        };
        if (owner is not { } ownerId || ownerId == 0 || item is not { } itemId || itemId <= 0)
        {
            return VkConversion.Skip(Malformed);
        }

        if (comment.FromId <= 0)
        {
            // The community's own answers (and other communities) are not citizens' appeals.
            return VkConversion.Skip("not_from_citizen");
        }

        if (string.IsNullOrWhiteSpace(comment.Text) && comment.Attachments is not { Count: > 0 })
        {
            return VkConversion.Skip("empty_message");
        }

        var name = await _names.GetAsync(comment.FromId, cancellationToken).ConfigureAwait(false);
        return new VkConversion(VkInboundMessages.FromComment(ChannelId.Vk, string.Empty, kind, ownerId, itemId, comment, name), null);
    }

    private async ValueTask<VkConversion> FromWallPostAsync(JsonElement eventObject, CancellationToken cancellationToken)
    {
        var post = eventObject.Deserialize(VkJsonContext.Default.VkWallPost);
        if (post is null || post.Id <= 0 || post.OwnerId == 0)
        {
            return VkConversion.Skip(Malformed);
        }

        if (!string.Equals(post.PostType, "suggest", StringComparison.Ordinal))
        {
            // The community's own publications: only suggested posts are citizens' appeals.
            return VkConversion.Skip("not_suggested_post");
        }

        var author = VkInboundMessages.AuthorOf(post);
        if (author <= 0)
        {
            return VkConversion.Skip("not_from_citizen");
        }

        var name = await _names.GetAsync(author, cancellationToken).ConfigureAwait(false);
        return new VkConversion(VkInboundMessages.FromSuggestedPost(post, name), null);
    }

    private async ValueTask<VkConversion> OnPermissionAsync(JsonElement eventObject, bool allowed, CancellationToken cancellationToken)
    {
        var permission = eventObject.Deserialize(VkJsonContext.Default.VkMessagePermission);
        if (permission is null || permission.UserId <= 0)
        {
            return VkConversion.Skip(Malformed);
        }

        if (allowed)
        {
            await _reachability.MarkReachableAsync(permission.UserId, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _reachability.MarkUnreachableAsync(permission.UserId, VkErrorCodes.DenySend, cancellationToken).ConfigureAwait(false);
        }

        return VkConversion.Handled;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "A VK {Type} event could not be read ({Error}); it was skipped")]
    private partial void LogMalformed(string type, string error);
}
