using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

// The stored JSON shape of an appeal and of an outbox message. These documents are the store's own contract with the
// database file: they change only together with a schema migration, never because a model type was renamed. Enums are
// stored as numbers, channel ids and topic codes as their lower-case strings, times as ISO 8601 with their offset.
// Default values (null, false, 0) are not written: no property below has an initializer other than its type's default
// or an empty string, so an omitted property reads back as the value that was written.

/// <summary>An appeal as stored in <c>appeals.document</c>.</summary>
internal sealed class AppealDocument
{
    public Guid Id { get; set; }

    public long Number { get; set; }

    public string Channel { get; set; } = string.Empty;

    public string ExternalId { get; set; } = string.Empty;

    public string ConversationKey { get; set; } = string.Empty;

    public AddressDocument ReplyAddress { get; set; } = new();

    public AuthorDocument Author { get; set; } = new();

    public string Text { get; set; } = string.Empty;

    public List<AttachmentDocument>? Attachments { get; set; }

    public LocationDocument? Location { get; set; }

    public string? District { get; set; }

    public bool Monitoring { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public List<MessageDocument>? Messages { get; set; }

    public ClassificationDocument? Classification { get; set; }

    public string? UnitId { get; set; }

    public int Priority { get; set; }

    public int Status { get; set; }

    public DeadlinesDocument? Deadlines { get; set; }

    public DateTimeOffset? RegisteredAt { get; set; }

    public string? RegistrationNumber { get; set; }

    public string? ForwardedTo { get; set; }

    public DateTimeOffset? ForwardedAt { get; set; }

    public DateTimeOffset? FirstAnsweredAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset? ClockPausedAt { get; set; }

    public List<string>? SlaSteps { get; set; }

    public int? Rating { get; set; }

    public List<ReplyDocument>? Replies { get; set; }

    public List<HistoryDocument>? History { get; set; }

    public long Version { get; set; }
}

/// <summary>A reply address.</summary>
internal sealed class AddressDocument
{
    public string Channel { get; set; } = string.Empty;

    public string ConversationId { get; set; } = string.Empty;

    public string? ThreadId { get; set; }

    public string? ReplyTo { get; set; }

    public Dictionary<string, string>? Properties { get; set; }
}

/// <summary>The citizen.</summary>
internal sealed class AuthorDocument
{
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }
}

/// <summary>An attachment.</summary>
internal sealed class AttachmentDocument
{
    public int Kind { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string? Caption { get; set; }
}

/// <summary>A location.</summary>
internal sealed class LocationDocument
{
    public double Lat { get; set; }

    public double Lon { get; set; }
}

/// <summary>One of the citizen's messages. <see cref="Text"/> is omitted when it equals the appeal's text.</summary>
internal sealed class MessageDocument
{
    public string ExternalId { get; set; } = string.Empty;

    public string? Text { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public List<AttachmentDocument>? Attachments { get; set; }

    public LocationDocument? Location { get; set; }
}

/// <summary>The classification.</summary>
internal sealed class ClassificationDocument
{
    public string Topic { get; set; } = string.Empty;

    public string? Subtopic { get; set; }

    public bool Urgent { get; set; }

    public bool OutOfScope { get; set; }

    public double Confidence { get; set; }

    public List<TermDocument>? Terms { get; set; }

    public string? Reason { get; set; }
}

/// <summary>A matched term.</summary>
internal sealed class TermDocument
{
    public string Term { get; set; } = string.Empty;

    public string Target { get; set; } = string.Empty;

    public double Weight { get; set; }
}

/// <summary>SLA deadlines and their clocks.</summary>
internal sealed class DeadlinesDocument
{
    public DateTimeOffset FirstAnswerDue { get; set; }

    public DateTimeOffset ResolutionDue { get; set; }

    public string Policy { get; set; } = string.Empty;

    public string? Rule { get; set; }

    public bool Urgent { get; set; }

    public List<TimerDocument>? Timers { get; set; }
}

/// <summary>An SLA clock. Durations are stored as ticks.</summary>
internal sealed class TimerDocument
{
    public int Kind { get; set; }

    public int Sequence { get; set; }

    public int Mode { get; set; }

    public string? Calendar { get; set; }

    public int Anchor { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public long Target { get; set; }

    public long Extension { get; set; }

    public int Extensions { get; set; }

    public long Paused { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? MetAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public bool Escalates { get; set; }
}

/// <summary>A reply recorded on the appeal.</summary>
internal sealed class ReplyDocument
{
    public Guid OutboxId { get; set; }

    public int Kind { get; set; }

    public string Text { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public string Actor { get; set; } = string.Empty;
}

/// <summary>A history line. <see cref="Actor"/> is omitted for <c>system</c>.</summary>
internal sealed class HistoryDocument
{
    public DateTimeOffset At { get; set; }

    public int Kind { get; set; }

    public string Description { get; set; } = string.Empty;

    public string? Actor { get; set; }
}

/// <summary>The parts of an outbox message that are not columns of <c>outbox</c>.</summary>
internal sealed class OutboxDocument
{
    public AddressDocument Address { get; set; } = new();

    public int Kind { get; set; }

    public string Text { get; set; } = string.Empty;

    public List<AttachmentDocument>? Attachments { get; set; }

    public List<string>? DeliveredParts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>The source-generated serializer of the stored documents.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(AppealDocument))]
[JsonSerializable(typeof(OutboxDocument))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

/// <summary>The serializer context the store uses: Cyrillic text is written as UTF-8, not as <c>\u</c> escapes.</summary>
internal static class StoreJson
{
    public static readonly StoreJsonContext Context = new(new JsonSerializerOptions(StoreJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
