using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mcu.Sdk.Channels.Vk.Replies;

/// <summary>Where a VK reply goes.</summary>
internal enum VkTargetKind
{
    /// <summary>A dialog with the community (<c>messages.send</c> to a <c>peer_id</c>).</summary>
    Dialog = 0,

    /// <summary>A comment under a wall post (<c>wall.createComment</c>).</summary>
    WallComment = 1,

    /// <summary>A comment under a photo (<c>photos.createComment</c>).</summary>
    PhotoComment = 2,

    /// <summary>A comment in a discussion-board topic (<c>board.createComment</c>).</summary>
    BoardComment = 3,
}

/// <summary>
/// The VK place a reply goes to, encoded in a <see cref="ReplyAddress"/> in VK's own object notation:
/// the conversation id is a <c>peer_id</c> (<c>22757746</c>), <c>wall-1_5</c>, <c>photo-1_77</c> or <c>topic-1_9</c>;
/// <see cref="ReplyAddress.ReplyToMessageId"/> is the comment to answer (or, in a group chat, the message to quote by its
/// <c>conversation_message_id</c>); <see cref="ReplyAddress.ThreadId"/> is the top comment of the thread.
/// </summary>
/// <param name="Kind">The kind of place.</param>
/// <param name="OwnerId">The peer id of a dialog, or the owner id of the wall, photo or board (negative for a community).</param>
/// <param name="ItemId">The post, photo or topic id (0 for a dialog).</param>
/// <param name="ReplyTo">The comment to answer, or the message to quote, or <see langword="null"/>.</param>
/// <param name="ThreadId">The top comment of the thread, or <see langword="null"/>.</param>
internal sealed record VkTarget(VkTargetKind Kind, long OwnerId, long ItemId, long? ReplyTo = null, long? ThreadId = null)
{
    /// <summary>The first <c>peer_id</c> of group chats (VK: <c>2000000000 + chat_id</c>).</summary>
    public const long FirstChatPeerId = 2_000_000_000;

    /// <summary>Gets the conversation id in VK's notation.</summary>
    public string ConversationId => Kind switch
    {
        VkTargetKind.Dialog => Text(OwnerId),
        VkTargetKind.WallComment => $"wall{Text(OwnerId)}_{Text(ItemId)}",
        VkTargetKind.PhotoComment => $"photo{Text(OwnerId)}_{Text(ItemId)}",
        _ => $"topic{Text(OwnerId)}_{Text(ItemId)}",
    };

    /// <summary>Gets a link a specialist can open, or <see langword="null"/> for dialogs.</summary>
    public string? Link => Kind switch
    {
        VkTargetKind.WallComment => $"https://vk.com/{ConversationId}" + (ReplyTo is { } c ? "?reply=" + Text(c) : string.Empty),
        VkTargetKind.PhotoComment => $"https://vk.com/{ConversationId}",
        VkTargetKind.BoardComment => $"https://vk.com/topic{Text(Math.Abs(OwnerId) * -1)}_{Text(ItemId)}" + (ReplyTo is { } p ? "?post=" + Text(p) : string.Empty),
        _ => null,
    };

    /// <summary>Gets a value indicating whether the target is a group chat.</summary>
    public bool IsGroupChat => Kind == VkTargetKind.Dialog && OwnerId >= FirstChatPeerId;

    /// <summary>Builds the reply address.</summary>
    /// <returns>The address on channel <c>vk</c>.</returns>
    public ReplyAddress ToAddress() =>
        new(ChannelId.Vk, ConversationId, ThreadId is { } thread ? Text(thread) : null, ReplyTo is { } reply ? Text(reply) : null);

    /// <summary>Reads a reply address.</summary>
    /// <param name="address">The address.</param>
    /// <param name="target">The target when the address is a VK one.</param>
    /// <returns><see langword="true"/> when the address could be read.</returns>
    public static bool TryParse(ReplyAddress address, [NotNullWhen(true)] out VkTarget? target)
    {
        ArgumentNullException.ThrowIfNull(address);
        target = null;
        long? replyTo = null;
        long? thread = null;
        if (address.ReplyToMessageId is { Length: > 0 } replyText)
        {
            if (!TryLong(replyText, out var r) || r <= 0)
            {
                return false;
            }

            replyTo = r;
        }

        if (address.ThreadId is { Length: > 0 } threadText)
        {
            if (!TryLong(threadText, out var t) || t <= 0)
            {
                return false;
            }

            thread = t;
        }

        var id = address.ConversationId;
        if (TryLong(id, out var peer))
        {
            if (peer == 0)
            {
                return false;
            }

            target = new VkTarget(VkTargetKind.Dialog, peer, 0, replyTo, thread);
            return true;
        }

        foreach (var (prefix, kind) in Prefixes)
        {
            if (!id.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = id.AsSpan(prefix.Length);
            var underscore = rest.IndexOf('_');
            if (underscore <= 0
                || !long.TryParse(rest[..underscore], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var owner)
                || !long.TryParse(rest[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var item)
                || owner == 0
                || item <= 0)
            {
                return false;
            }

            target = new VkTarget(kind, owner, item, replyTo, thread);
            return true;
        }

        return false;
    }

    private static readonly (string Prefix, VkTargetKind Kind)[] Prefixes =
    [
        ("wall", VkTargetKind.WallComment),
        ("photo", VkTargetKind.PhotoComment),
        ("topic", VkTargetKind.BoardComment),
    ];

    private static bool TryLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
