using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mcu.Samples.Console.Hosting;

/// <summary>
/// One line of the acknowledgement journal of <c>mcu replay --ack-journal</c>: an input line the desk has acknowledged
/// (stored durably), or a bad line that was skipped.
/// </summary>
internal sealed class AckRecord
{
    /// <summary>The outcome of a new appeal.</summary>
    public const string Created = "created";

    /// <summary>The outcome of a message that joined an open appeal.</summary>
    public const string FollowUp = "followUp";

    /// <summary>The outcome of a message stored before.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The outcome of a committed answer.</summary>
    public const string Answered = "answered";

    /// <summary>The outcome of an answer the appeal already held.</summary>
    public const string AlreadyAnswered = "alreadyAnswered";

    /// <summary>The outcome of a bad line.</summary>
    public const string Skipped = "skipped";

    /// <summary>Gets or sets the input line number (from 1).</summary>
    public int Line { get; set; }

    /// <summary>Gets or sets the kind of line: <c>message</c> or <c>answer</c>; <see langword="null"/> for a bad line.</summary>
    public string? Kind { get; set; }

    /// <summary>Gets or sets the channel of the message (or of the answered message).</summary>
    public string? Channel { get; set; }

    /// <summary>Gets or sets the channel's id of the message (or of the answered message).</summary>
    public string? ExternalId { get; set; }

    /// <summary>Gets or sets the outcome: one of the constants of this class.</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>Gets or sets the appeal that holds the message or took the answer.</summary>
    public Guid? AppealId { get; set; }

    /// <summary>Gets or sets the appeal's number.</summary>
    public long? AppealNumber { get; set; }

    /// <summary>
    /// Gets or sets the outbox ids of the replies the line stands for: the appeal's replies when a message was acknowledged,
    /// the answer's reply for an answer.
    /// </summary>
    public List<Guid>? Replies { get; set; }

    /// <summary>Gets or sets why a bad line was skipped.</summary>
    public string? Error { get; set; }
}

/// <summary>One line of the deliveries journal of <c>mcu replay --deliveries</c>: one reply part a channel was asked to send.</summary>
internal sealed class DeliveryRecord
{
    /// <summary>The event of a part the channel delivered.</summary>
    public const string Delivered = "delivered";

    /// <summary>The event of a resend the channel recognised by its idempotency key and did not deliver again.</summary>
    public const string Deduplicated = "deduplicated";

    /// <summary>Gets or sets the event: <see cref="Delivered"/> or <see cref="Deduplicated"/>.</summary>
    public string Event { get; set; } = string.Empty;

    /// <summary>Gets or sets the channel.</summary>
    public string Channel { get; set; } = string.Empty;

    /// <summary>Gets or sets the conversation the part was sent to.</summary>
    public string Conversation { get; set; } = string.Empty;

    /// <summary>Gets or sets the appeal the reply answers.</summary>
    public Guid AppealId { get; set; }

    /// <summary>Gets or sets the outbox id of the reply.</summary>
    public Guid OutboxId { get; set; }

    /// <summary>Gets or sets the part's index (from 0).</summary>
    public int Part { get; set; }

    /// <summary>Gets or sets how many parts the reply has.</summary>
    public int Parts { get; set; }

    /// <summary>Gets or sets the idempotency key of the part.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets the part's text.</summary>
    public string Text { get; set; } = string.Empty;
}

/// <summary>The source-generated JSON of the sample's journals: camelCase, one object a line, no nulls.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(AckRecord))]
[JsonSerializable(typeof(DeliveryRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
    /// <summary>Gets the context that writes Cyrillic and other text as it is, so that a person can read the journals.</summary>
    public static JournalJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
