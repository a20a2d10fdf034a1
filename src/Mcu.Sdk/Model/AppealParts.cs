using Mcu.Sdk.Classification;

namespace Mcu.Sdk;

/// <summary>One of the citizen's messages that make up an appeal: the first one and each follow-up.</summary>
/// <param name="ExternalId">The channel's id of the message (deduplicates replays).</param>
/// <param name="Text">The text.</param>
/// <param name="ReceivedAt">When it was received.</param>
public sealed record AppealMessage(string ExternalId, string Text, DateTimeOffset ReceivedAt)
{
    /// <summary>Gets the message's attachments.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Gets the shared location, if any.</summary>
    public GeoLocation? Location { get; init; }
}

/// <summary>What kind of entry a history line is.</summary>
public enum AppealHistoryKind
{
    /// <summary>The appeal was accepted.</summary>
    Accepted = 0,

    /// <summary>The classifier decided the topic.</summary>
    Classified = 1,

    /// <summary>The appeal was routed (or re-routed) to a unit.</summary>
    Routed = 2,

    /// <summary>The status changed.</summary>
    StatusChanged = 3,

    /// <summary>The citizen sent a follow-up.</summary>
    FollowUp = 4,

    /// <summary>A reply was queued in the outbox.</summary>
    ReplyQueued = 5,

    /// <summary>A reply was delivered or failed.</summary>
    ReplyDelivery = 6,

    /// <summary>SLA deadlines were set or changed.</summary>
    Deadlines = 7,

    /// <summary>An SLA warning, breach or escalation step was raised.</summary>
    Sla = 8,

    /// <summary>A note by a specialist.</summary>
    Note = 9,

    /// <summary>The SLA clocks were paused or resumed.</summary>
    Clock = 10,

    /// <summary>The citizen rated the answer.</summary>
    Rating = 11,
}

/// <summary>An append-only line of an appeal's history.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Description">A short description in English, for specialists and logs (no personal data).</param>
/// <param name="Actor">Who did it: <c>system</c>, a unit id, a specialist's login, <c>citizen</c>.</param>
public sealed record AppealHistoryEntry(DateTimeOffset At, AppealHistoryKind Kind, string Description, string Actor = "system");

/// <summary>The kind of a reply to the citizen.</summary>
public enum ReplyKind
{
    /// <summary>The acknowledgement with the appeal number.</summary>
    Acknowledgement = 0,

    /// <summary>An interim answer: the problem is known and who is solving it.</summary>
    Interim = 1,

    /// <summary>The final answer.</summary>
    Final = 2,

    /// <summary>The polite refusal for an out-of-scope request.</summary>
    Refusal = 3,

    /// <summary>A question asking the citizen for a clarification.</summary>
    Clarification = 4,

    /// <summary>Any other notice (extension of the term, forwarding, reopening).</summary>
    Notice = 5,
}

/// <summary>A reply of the appeal as recorded on the appeal (its delivery is tracked by the outbox).</summary>
/// <param name="OutboxId">The id of the outbox message that delivers it.</param>
/// <param name="Kind">The kind of reply.</param>
/// <param name="Text">The text.</param>
/// <param name="CreatedAt">When it was committed.</param>
/// <param name="Actor">Who wrote it: a unit id or <c>system</c>.</param>
public sealed record AppealReply(Guid OutboxId, ReplyKind Kind, string Text, DateTimeOffset CreatedAt, string Actor);

/// <summary>The SLA deadlines of an appeal.</summary>
/// <param name="FirstAnswerDue">When the first answer is due.</param>
/// <param name="ResolutionDue">When the final answer is due.</param>
/// <param name="PolicyName">The name of the SLA policy that set them.</param>
public sealed record SlaDeadlines(DateTimeOffset FirstAnswerDue, DateTimeOffset ResolutionDue, string PolicyName);

/// <summary>The priority of an appeal.</summary>
public enum AppealPriority
{
    /// <summary>Normal.</summary>
    Normal = 0,

    /// <summary>Higher than normal (for example a repeated complaint).</summary>
    High = 1,

    /// <summary>Urgent: a danger needing an immediate reaction.</summary>
    Urgent = 2,
}
