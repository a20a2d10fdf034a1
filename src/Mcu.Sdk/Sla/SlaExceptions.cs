namespace Mcu.Sdk.Sla;

/// <summary>Why the SLA engine refused an operation of the legal regime.</summary>
public enum SlaRefusalReason
{
    /// <summary>The appeal's policy allows no extension of the term.</summary>
    ExtensionNotAllowed = 0,

    /// <summary>The term was already extended as many times as the policy allows (59-ФЗ: once).</summary>
    ExtensionLimitReached = 1,

    /// <summary>The extension is longer than the policy allows (59-ФЗ: 30 days).</summary>
    ExtensionTooLong = 2,

    /// <summary>The policy requires a notice to the citizen and none was to be sent.</summary>
    NoticeRequired = 3,

    /// <summary>The term already expired; an expired term cannot be extended.</summary>
    TermExpired = 4,

    /// <summary>The appeal has no running clock the operation applies to (it was answered, closed or has no deadlines).</summary>
    NoRunningClock = 5,

    /// <summary>The appeal must be registered first.</summary>
    NotRegistered = 6,

    /// <summary>The appeal is registered already.</summary>
    AlreadyRegistered = 7,
}

/// <summary>Thrown when the SLA engine refuses an operation: a second extension, an extension or a forwarding without the notice the law requires, and so on.</summary>
public sealed class SlaOperationRefusedException : McuException
{
    /// <summary>Initializes a new instance of the <see cref="SlaOperationRefusedException"/> class.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="reason">Why the operation was refused.</param>
    /// <param name="message">A message naming the rule (no personal data).</param>
    public SlaOperationRefusedException(Guid appealId, SlaRefusalReason reason, string message)
        : base(message)
    {
        AppealId = appealId;
        Reason = reason;
    }

    /// <summary>Initializes a new instance of the <see cref="SlaOperationRefusedException"/> class.</summary>
    public SlaOperationRefusedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SlaOperationRefusedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SlaOperationRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SlaOperationRefusedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SlaOperationRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the appeal.</summary>
    public Guid AppealId { get; }

    /// <summary>Gets why the operation was refused.</summary>
    public SlaRefusalReason Reason { get; }
}
