using System.Text.Json.Serialization;

namespace Mcu.Samples.Console.Input;

/// <summary>
/// One line of a replay file: a citizen's message as a channel adapter would hand it over, or (with <c>"kind":"answer"</c>)
/// a unit's answer to the appeal that holds a message.
/// </summary>
internal sealed class InboundLine
{
    /// <summary>Gets or sets the kind of line: <c>message</c> (the default when absent) or <c>answer</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>Gets or sets the channel id: <c>telegram</c>, <c>vk</c>, <c>ok</c>, <c>pos</c> or <c>monitoring</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>Gets or sets the channel's own message id (the idempotency key).</summary>
    public string? ExternalId { get; set; }

    /// <summary>Gets or sets the conversation key (chat, dialog, comment thread).</summary>
    public string? Conversation { get; set; }

    /// <summary>Gets or sets the citizen.</summary>
    public AuthorLine? Author { get; set; }

    /// <summary>Gets or sets the text (may be empty when a photo comes alone).</summary>
    public string? Text { get; set; }

    /// <summary>Gets or sets the receipt time, ISO 8601 with an offset.</summary>
    public string? ReceivedAt { get; set; }

    /// <summary>Gets or sets the shared location, if any.</summary>
    public LocationLine? Location { get; set; }

    /// <summary>Gets or sets the attachments, if any.</summary>
    public List<AttachmentLine>? Attachments { get; set; }

    /// <summary>Gets or sets the city district, if the channel knows it.</summary>
    public string? District { get; set; }

    /// <summary>Gets or sets whether an answer is final (an interim answer when absent).</summary>
    public bool? Final { get; set; }

    /// <summary>Gets or sets when an answer was given, ISO 8601 with an offset; optional.</summary>
    public string? AnsweredAt { get; set; }

    /// <summary>Gets or sets who gives an answer (a unit or an official); optional.</summary>
    public string? Actor { get; set; }
}

/// <summary>The author of an inbound line.</summary>
internal sealed class AuthorLine
{
    /// <summary>Gets or sets the channel's user id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the display name.</summary>
    public string? Name { get; set; }
}

/// <summary>A location of an inbound line.</summary>
internal sealed class LocationLine
{
    /// <summary>Gets or sets the latitude in degrees.</summary>
    public double? Lat { get; set; }

    /// <summary>Gets or sets the longitude in degrees.</summary>
    public double? Lon { get; set; }
}

/// <summary>An attachment of an inbound line.</summary>
internal sealed class AttachmentLine
{
    /// <summary>Gets or sets the kind: <c>photo</c>, <c>video</c>, <c>document</c>, <c>audio</c> or anything else.</summary>
    public string? Kind { get; set; }

    /// <summary>Gets or sets the channel's reference to the file.</summary>
    public string? Ref { get; set; }
}

/// <summary>One line of <c>mcu classify</c> input.</summary>
internal sealed class ClassifyLine
{
    /// <summary>Gets or sets the caller's id of the text, echoed in the output.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the text to classify.</summary>
    public string? Text { get; set; }
}

/// <summary>The small record the benchmark's baseline parses each JSONL line into.</summary>
/// <param name="Channel">The channel id.</param>
/// <param name="ExternalId">The message id.</param>
/// <param name="Conversation">The conversation key.</param>
/// <param name="Text">The text.</param>
/// <param name="ReceivedAt">The receipt time.</param>
internal sealed record BaselineLine(string Channel, string ExternalId, string Conversation, string Text, DateTimeOffset ReceivedAt);

/// <summary>The source-generated System.Text.Json metadata of the sample's input lines.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(InboundLine))]
[JsonSerializable(typeof(ClassifyLine))]
[JsonSerializable(typeof(BaselineLine))]
internal sealed partial class InputJsonContext : JsonSerializerContext;
