namespace Mcu.Sdk;

/// <summary>The life-cycle state of an appeal. Allowed transitions are enforced by <see cref="AppealStatusMachine"/>.</summary>
public enum AppealStatus
{
    /// <summary>Accepted and stored, not yet routed.</summary>
    New = 0,

    /// <summary>Assigned to the responsible unit.</summary>
    Routed = 1,

    /// <summary>The unit is working on it (an interim answer may have been sent).</summary>
    InProgress = 2,

    /// <summary>Waiting for the citizen's clarification; SLA clocks are paused.</summary>
    AwaitingCitizen = 3,

    /// <summary>A final answer was sent to the citizen.</summary>
    Answered = 4,

    /// <summary>Done.</summary>
    Closed = 5,

    /// <summary>Refused as out of scope with the polite refusal.</summary>
    Rejected = 6,

    /// <summary>The citizen disputed the final answer (or a specialist reopened it); it is being worked on again.</summary>
    Reopened = 7,
}

/// <summary>The appeal status state machine.</summary>
/// <remarks>
/// <code>
/// New → Routed | Rejected
/// Routed → InProgress | AwaitingCitizen | Answered | Rejected
/// InProgress → AwaitingCitizen | Answered | Rejected
/// AwaitingCitizen → InProgress
/// Answered → Closed | Reopened
/// Closed → Reopened
/// Rejected → Reopened
/// Reopened → Routed | InProgress | AwaitingCitizen | Answered | Rejected
/// </code>
/// </remarks>
public static class AppealStatusMachine
{
    /// <summary>Tells whether a transition is allowed.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The requested status.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public static bool CanTransition(AppealStatus from, AppealStatus to) => (from, to) switch
    {
        (AppealStatus.New, AppealStatus.Routed or AppealStatus.Rejected) => true,
        (AppealStatus.Routed, AppealStatus.InProgress or AppealStatus.AwaitingCitizen or AppealStatus.Answered or AppealStatus.Rejected) => true,
        (AppealStatus.InProgress, AppealStatus.AwaitingCitizen or AppealStatus.Answered or AppealStatus.Rejected) => true,
        (AppealStatus.AwaitingCitizen, AppealStatus.InProgress) => true,
        (AppealStatus.Answered, AppealStatus.Closed or AppealStatus.Reopened) => true,
        (AppealStatus.Closed, AppealStatus.Reopened) => true,
        (AppealStatus.Rejected, AppealStatus.Reopened) => true,
        (AppealStatus.Reopened, AppealStatus.Routed or AppealStatus.InProgress or AppealStatus.AwaitingCitizen or AppealStatus.Answered or AppealStatus.Rejected) => true,
        _ => false,
    };

    /// <summary>Tells whether an appeal in this status is open: a follow-up joins it and SLA clocks may run.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="false"/> for <see cref="AppealStatus.Closed"/> and <see cref="AppealStatus.Rejected"/>.</returns>
    public static bool IsOpen(AppealStatus status) => status is not (AppealStatus.Closed or AppealStatus.Rejected);

    /// <summary>Gets the statuses reachable from a status.</summary>
    /// <param name="from">The current status.</param>
    /// <returns>The allowed next statuses.</returns>
    public static IReadOnlyList<AppealStatus> NextStatuses(AppealStatus from) =>
        Enum.GetValues<AppealStatus>().Where(to => CanTransition(from, to)).ToArray();
}
