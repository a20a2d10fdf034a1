using System.Globalization;
using System.Text.Json;
using Mcu.Sdk;

namespace Mcu.Samples.Console.Input;

/// <summary>
/// Turns replay lines into <see cref="InboundMessage"/>s and <see cref="ReplayAnswer"/>s, explaining exactly what is wrong
/// with a bad line.
/// </summary>
internal sealed class InboundMessageParser
{
    private readonly HashSet<ChannelId> _channels;

    /// <summary>Initializes a new instance of the <see cref="InboundMessageParser"/> class.</summary>
    /// <param name="channels">The channels the host can answer through; a line of another channel is refused.</param>
    public InboundMessageParser(IEnumerable<ChannelId> channels) => _channels = [.. channels];

    /// <summary>Parses one line that must be a citizen's message.</summary>
    /// <param name="line">The line: one JSON object.</param>
    /// <param name="message">The message, when the line is good.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    /// <returns><see langword="true"/> when the line is a good message.</returns>
    public bool TryParse(string line, out InboundMessage? message, out string? error)
    {
        message = null;
        if (!TryParseLine(line, out var item, out error))
        {
            return false;
        }

        if (item!.Message is null)
        {
            error = "expected a message, got an answer";
            return false;
        }

        message = item.Message;
        return true;
    }

    /// <summary>Parses one line: a citizen's message or (with <c>"kind":"answer"</c>) a unit's answer.</summary>
    /// <param name="line">The line: one JSON object.</param>
    /// <param name="item">The message or the answer, when the line is good.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    /// <returns><see langword="true"/> when the line is good.</returns>
    public bool TryParseLine(string line, out ReplayItem? item, out string? error)
    {
        item = null;
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

        var kind = parsed.Kind?.Trim();
        if (kind is null || string.Equals(kind, "message", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseMessage(parsed, out var message, out error))
            {
                return false;
            }

            item = new ReplayItem(message, null);
            return true;
        }

        if (string.Equals(kind, "answer", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseAnswer(parsed, out var answer, out error))
            {
                return false;
            }

            item = new ReplayItem(null, answer);
            return true;
        }

        error = $"unknown kind '{parsed.Kind}' (expected message or answer)";
        return false;
    }

    private bool TryParseAnswer(InboundLine parsed, out ReplayAnswer? answer, out string? error)
    {
        answer = null;
        string? name = parsed.Channel is null ? "channel"
            : string.IsNullOrWhiteSpace(parsed.ExternalId) ? "externalId"
            : string.IsNullOrWhiteSpace(parsed.Text) ? "text"
            : null;
        if (name is not null)
        {
            error = $"missing field '{name}' of an answer";
            return false;
        }

        if (!TryParseChannel(parsed.Channel!, out var channel, out error))
        {
            return false;
        }

        DateTimeOffset? answeredAt = null;
        if (parsed.AnsweredAt is { } text)
        {
            if (!TryParseInstant(text, out var instant))
            {
                error = $"bad date in 'answeredAt': '{text}' (expected ISO 8601 with an offset, such as 2026-11-20T10:40:00+03:00)";
                return false;
            }

            answeredAt = instant;
        }

        answer = new ReplayAnswer(channel, parsed.ExternalId!, parsed.Text!, parsed.Final ?? false, answeredAt, string.IsNullOrWhiteSpace(parsed.Actor) ? null : parsed.Actor.Trim());
        return true;
    }

    private bool TryParseChannel(string value, out ChannelId channel, out string? error)
    {
        if (!ChannelId.TryParse(value, out channel) || !_channels.Contains(channel))
        {
            error = $"unknown channel '{value}' (known: {string.Join(", ", _channels.Select(c => c.Value).Order(StringComparer.Ordinal))})";
            return false;
        }

        error = null;
        return true;
    }

    private bool TryParseMessage(InboundLine parsed, out InboundMessage? message, out string? error)
    {
        message = null;
        if (Missing(parsed, out error))
        {
            return false;
        }

        if (!TryParseChannel(parsed.Channel!, out var channel, out error))
        {
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

        error = null;
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

/// <summary>A good replay line: exactly one of a citizen's message and a unit's answer.</summary>
/// <param name="Message">The message, or <see langword="null"/> for an answer.</param>
/// <param name="Answer">The answer, or <see langword="null"/> for a message.</param>
internal sealed record ReplayItem(InboundMessage? Message, ReplayAnswer? Answer);

/// <summary>A unit's answer in a replay file: it answers the appeal that holds a message.</summary>
/// <param name="Channel">The channel of the answered message.</param>
/// <param name="ExternalId">The channel's id of the answered message (the appeal's first message or any follow-up).</param>
/// <param name="Text">The answer's text.</param>
/// <param name="IsFinal">Whether the answer is final (an interim one otherwise).</param>
/// <param name="AnsweredAt">When it was given, or <see langword="null"/> for the clock's current time.</param>
/// <param name="Actor">Who gives it, or <see langword="null"/> for the appeal's unit.</param>
internal sealed record ReplayAnswer(ChannelId Channel, string ExternalId, string Text, bool IsFinal, DateTimeOffset? AnsweredAt, string? Actor);
