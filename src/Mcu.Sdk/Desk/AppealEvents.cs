using Mcu.Sdk.Storage;

namespace Mcu.Sdk;

/// <summary>What happened to an appeal.</summary>
public enum AppealEventKind
{
    /// <summary>A new appeal was accepted.</summary>
    Accepted = 0,

    /// <summary>A citizen's follow-up joined an open appeal.</summary>
    FollowUpAdded = 1,

    /// <summary>The appeal was routed (or re-routed) to a unit.</summary>
    Routed = 2,

    /// <summary>An urgent appeal was escalated.</summary>
    Escalated = 3,

    /// <summary>The appeal was rejected as out of scope.</summary>
    Rejected = 4,

    /// <summary>A unit answered (interim or final).</summary>
    Answered = 5,

    /// <summary>The status changed (closed, reopened, waiting for the citizen, resumed).</summary>
    StatusChanged = 6,

    /// <summary>A reply was committed to the outbox.</summary>
    ReplyQueued = 7,

    /// <summary>A reply was delivered.</summary>
    ReplyDelivered = 8,

    /// <summary>A reply failed permanently (or was parked); a person must look at it.</summary>
    ReplyFailed = 9,

    /// <summary>An SLA deadline is near: a clock passed an escalation step below 100 % of its target (the detail is the step key, for example <c>first-answer:unit-head</c>).</summary>
    SlaWarning = 10,

    /// <summary>An SLA deadline passed: a clock reached the 100 % step of its ladder (the detail is the step key).</summary>
    SlaBreached = 11,

    /// <summary>The citizen rated the answer.</summary>
    Rated = 12,

    /// <summary>A reply was parked until a person acts (a captcha, a revoked token); it is not retried automatically.</summary>
    ReplyParked = 13,

    /// <summary>The channel moved the conversation (a Telegram group became a supergroup); the appeal's reply address was updated.</summary>
    AddressChanged = 14,

    /// <summary>An SLA clock passed an escalation step above 100 % of its target (the detail is the step key, for example <c>resolution:regional-centre</c>).</summary>
    SlaEscalated = 15,

    /// <summary>The appeal was registered (59-ФЗ art. 8 part 2).</summary>
    Registered = 16,

    /// <summary>The appeal was forwarded to the competent body with a notice to the citizen (59-ФЗ art. 8 part 3); the detail names the body.</summary>
    Forwarded = 17,

    /// <summary>The resolution term was extended with a notice to the citizen (59-ФЗ art. 12 part 2).</summary>
    DeadlineExtended = 18,
}

/// <summary>An event of an appeal's life, raised after the change is stored.</summary>
/// <remarks>Create it through the constructor; members may be added later.</remarks>
public sealed class AppealEvent
{
    /// <summary>Initializes a new instance of the <see cref="AppealEvent"/> class.</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="appeal">The appeal as stored after the change.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="detail">A short description without personal data, or <see langword="null"/>.</param>
    /// <param name="reply">The outbox message concerned, for reply events.</param>
    public AppealEvent(AppealEventKind kind, Appeal appeal, DateTimeOffset at, string? detail = null, OutboxMessage? reply = null)
    {
        Kind = kind;
        Appeal = appeal ?? throw new ArgumentNullException(nameof(appeal));
        At = at;
        Detail = detail;
        Reply = reply;
    }

    /// <summary>Gets what happened.</summary>
    public AppealEventKind Kind { get; }

    /// <summary>Gets the appeal as stored after the change.</summary>
    public Appeal Appeal { get; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets a short description, or <see langword="null"/>.</summary>
    public string? Detail { get; }

    /// <summary>Gets the outbox message concerned, for reply events.</summary>
    public OutboxMessage? Reply { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} #{Appeal.Number} at {At:O}{(Detail is null ? string.Empty : ": " + Detail)}";
}

/// <summary>Receives the desk's events (register any number in DI).</summary>
/// <remarks>
/// Handlers run after the change is stored, in registration order. An exception from a handler is logged and does not
/// affect the appeal or other handlers. Handlers should be quick; hand long work to a queue.
/// </remarks>
public interface IAppealEventSubscriber
{
    /// <summary>Handles an event.</summary>
    /// <param name="appealEvent">The event.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when handled.</returns>
    ValueTask HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken = default);
}
