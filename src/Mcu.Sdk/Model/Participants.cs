namespace Mcu.Sdk;

/// <summary>The citizen who wrote a message, as the channel knows them.</summary>
/// <param name="Id">The channel's own user id (Telegram user id, VK user id, ПОС account id).</param>
/// <param name="DisplayName">The name to address the citizen by, or <see langword="null"/>.</param>
/// <remarks>Both values are personal data: the SDK never writes them to logs.</remarks>
public sealed record Author(string Id, string? DisplayName = null)
{
    /// <inheritdoc/>
    public override string ToString() => "Author(redacted)";
}

/// <summary>The kind of an attachment.</summary>
public enum AttachmentKind
{
    /// <summary>A photo.</summary>
    Photo = 0,

    /// <summary>A video.</summary>
    Video = 1,

    /// <summary>A document or other file.</summary>
    Document = 2,

    /// <summary>A voice message or other audio.</summary>
    Audio = 3,

    /// <summary>Anything else the channel carries.</summary>
    Other = 4,
}

/// <summary>A file attached to a message: a reference the channel understands, never the bytes.</summary>
/// <param name="Kind">The kind of attachment.</param>
/// <param name="Reference">The channel's reference: a Telegram <c>file_id</c>, a VK attachment string (<c>photo-1_2</c>), a URL.</param>
/// <param name="Caption">An optional caption.</param>
public sealed record Attachment(AttachmentKind Kind, string Reference, string? Caption = null);

/// <summary>A point on the Earth (WGS 84).</summary>
public readonly record struct GeoLocation
{
    /// <summary>Initializes a new instance of the <see cref="GeoLocation"/> struct.</summary>
    /// <param name="latitude">Latitude in degrees, from -90 to 90.</param>
    /// <param name="longitude">Longitude in degrees, from -180 to 180.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is out of range or not a number.</exception>
    public GeoLocation(double latitude, double longitude)
    {
        if (double.IsNaN(latitude) || latitude is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude is from -90 to 90 degrees.");
        }

        if (double.IsNaN(longitude) || longitude is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude is from -180 to 180 degrees.");
        }

        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>Gets the latitude in degrees.</summary>
    public double Latitude { get; }

    /// <summary>Gets the longitude in degrees.</summary>
    public double Longitude { get; }
}

/// <summary>
/// Everything a channel needs to answer in the very place the citizen wrote: the chat, the forum topic, the comment thread.
/// </summary>
/// <param name="Channel">The channel to answer through.</param>
/// <param name="ConversationId">The chat, dialog (<c>peer_id</c>) or post the message belongs to.</param>
/// <param name="ThreadId">A thread inside the conversation (a Telegram forum topic, a VK comment thread), or <see langword="null"/>.</param>
/// <param name="ReplyToMessageId">The channel's id of the message or comment to reply to, or <see langword="null"/>.</param>
/// <remarks>Channel-specific details (for example a VK wall owner id) go into <see cref="Properties"/>.</remarks>
public sealed record ReplyAddress(ChannelId Channel, string ConversationId, string? ThreadId = null, string? ReplyToMessageId = null)
{
    /// <summary>Gets channel-specific details of the address (string keys and values), never <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    internal static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>(0);

    /// <inheritdoc/>
    public bool Equals(ReplyAddress? other) =>
        other is not null
        && Channel == other.Channel
        && string.Equals(ConversationId, other.ConversationId, StringComparison.Ordinal)
        && string.Equals(ThreadId, other.ThreadId, StringComparison.Ordinal)
        && string.Equals(ReplyToMessageId, other.ReplyToMessageId, StringComparison.Ordinal)
        && Properties.Count == other.Properties.Count
        && Properties.All(p => other.Properties.TryGetValue(p.Key, out var v) && string.Equals(v, p.Value, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Channel, ConversationId, ThreadId, ReplyToMessageId, Properties.Count);
}
