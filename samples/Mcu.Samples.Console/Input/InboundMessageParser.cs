using System.Globalization;
using System.Text.Json;
using Mcu.Sdk;

namespace Mcu.Samples.Console.Input;

/// <summary>Turns replay lines into <see cref="InboundMessage"/>s, explaining exactly what is wrong with a bad line.</summary>
internal sealed class InboundMessageParser
{
    private readonly HashSet<ChannelId> _channels;

    /// <summary>Initializes a new instance of the <see cref="InboundMessageParser"/> class.</summary>
    /// <param name="channels">The channels the host can answer through; a line of another channel is refused.</param>
    public InboundMessageParser(IEnumerable<ChannelId> channels) => _channels = [.. channels];

    /// <summary>Parses one line.</summary>
    /// <param name="line">The line: one JSON object.</param>
    /// <param name="message">The message, when the line is good.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    /// <returns><see langword="true"/> when the line is a good message.</returns>
    public bool TryParse(string line, out InboundMessage? message, out string? error)
    {
        message = null;
        InboundLine? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(line, InputJsonContext.Default.InboundLine);
        }
        catch (JsonException ex)
        {
            error = "not a valid JSON object: " + ex.Message;
            return false;
        }

        if (parsed is null)
        {
            error = "expected a JSON object, got null";
            return false;
        }

        if (Missing(parsed, out error))
        {
            return false;
        }

        if (!ChannelId.TryParse(parsed.Channel, out var channel) || !_channels.Contains(channel))
        {
            error = $"unknown channel '{parsed.Channel}' (known: {string.Join(", ", _channels.Select(c => c.Value).Order(StringComparer.Ordinal))})";
            return false;
        }

        if (!TryParseInstant(parsed.ReceivedAt!, out var receivedAt))
        {
            error = $"bad date in 'receivedAt': '{parsed.ReceivedAt}' (expected ISO 8601 with an offset, such as 2026-11-20T08:15:00+03:00)";
            return false;
        }

        GeoLocation? location = null;
        if (parsed.Location is { } point)
        {
            if (point.Lat is not { } lat || point.Lon is not { } lon)
            {
                error = "'location' needs both 'lat' and 'lon'";
                return false;
            }

            try
            {
                location = new GeoLocation(lat, lon);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                error = "bad 'location': " + ex.Message.Split('\n')[0].Trim();
                return false;
            }
        }

        var attachments = new List<Attachment>(parsed.Attachments?.Count ?? 0);
        foreach (var attachment in parsed.Attachments ?? [])
        {
            if (attachment is null || string.IsNullOrWhiteSpace(attachment.Ref))
            {
                error = "an attachment has no 'ref'";
                return false;
            }

            attachments.Add(new Attachment(ParseKind(attachment.Kind), attachment.Ref));
        }

        message = new InboundMessage(channel, parsed.ExternalId!, parsed.Conversation!, new Author(parsed.Author!.Id!, parsed.Author.Name), parsed.Text!, receivedAt)
        {
            Attachments = attachments,
            Location = location,
            District = string.IsNullOrWhiteSpace(parsed.District) ? null : parsed.District,
            FoundByMonitoring = channel == ChannelId.Monitoring,
        };
        return true;
    }

    /// <summary>Parses an instant: ISO 8601 with an explicit offset (or <c>Z</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when the text is a valid instant with an offset.</returns>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return HasOffset(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant)
            && text.Contains('T', StringComparison.Ordinal);
    }

    private static bool HasOffset(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('Z') || trimmed.EndsWith('z'))
        {
            return true;
        }

        // ...+03:00, ...-05:00 or ...+0300 after the time part.
        var t = trimmed.IndexOf('T', StringComparison.Ordinal);
        return t > 0 && trimmed.AsSpan(t).IndexOfAny('+', '-') > 0;
    }

    private static bool Missing(InboundLine line, out string? error)
    {
        string? name = line.Channel is null ? "channel"
            : string.IsNullOrWhiteSpace(line.ExternalId) ? "externalId"
            : string.IsNullOrWhiteSpace(line.Conversation) ? "conversation"
            : line.Author is null ? "author"
            : string.IsNullOrWhiteSpace(line.Author.Id) ? "author.id"
            : line.Text is null ? "text"
            : line.ReceivedAt is null ? "receivedAt"
            : null;
        error = name is null ? null : $"missing field '{name}'";
        return name is not null;
    }

    private static AttachmentKind ParseKind(string? kind) => kind?.ToUpperInvariant() switch
    {
        "PHOTO" => AttachmentKind.Photo,
        "VIDEO" => AttachmentKind.Video,
        "DOCUMENT" or "FILE" => AttachmentKind.Document,
        "AUDIO" or "VOICE" => AttachmentKind.Audio,
        _ => AttachmentKind.Other,
    };
}
