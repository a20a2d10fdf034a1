namespace Mcu.Sdk;

/// <summary>The base of the SDK's own exceptions.</summary>
public class McuException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="McuException"/> class.</summary>
    public McuException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="McuException"/> class.</summary>
    /// <param name="message">The message.</param>
    public McuException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="McuException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public McuException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Thrown when an appeal's status change is not allowed by <see cref="AppealStatusMachine"/>.</summary>
public sealed class InvalidAppealTransitionException : McuException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidAppealTransitionException"/> class.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="from">The current status.</param>
    /// <param name="to">The requested status.</param>
    public InvalidAppealTransitionException(Guid appealId, AppealStatus from, AppealStatus to)
        : base($"Appeal {appealId} cannot go from {from} to {to}. Allowed from {from}: {string.Join(", ", AppealStatusMachine.NextStatuses(from))}{(AppealStatusMachine.NextStatuses(from).Count == 0 ? "nothing" : string.Empty)}.")
    {
        AppealId = appealId;
        From = from;
        To = to;
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidAppealTransitionException"/> class.</summary>
    public InvalidAppealTransitionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidAppealTransitionException"/> class.</summary>
    /// <param name="message">The message.</param>
    public InvalidAppealTransitionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidAppealTransitionException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidAppealTransitionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the appeal.</summary>
    public Guid AppealId { get; }

    /// <summary>Gets the current status.</summary>
    public AppealStatus From { get; }

    /// <summary>Gets the requested status.</summary>
    public AppealStatus To { get; }
}

/// <summary>Thrown when an appeal does not exist.</summary>
public sealed class AppealNotFoundException : McuException
{
    /// <summary>Initializes a new instance of the <see cref="AppealNotFoundException"/> class.</summary>
    /// <param name="appealId">The appeal id.</param>
    public AppealNotFoundException(Guid appealId)
        : base($"Appeal {appealId} was not found.")
    {
        AppealId = appealId;
    }

    /// <summary>Initializes a new instance of the <see cref="AppealNotFoundException"/> class.</summary>
    public AppealNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AppealNotFoundException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AppealNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AppealNotFoundException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AppealNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the appeal id.</summary>
    public Guid AppealId { get; }
}

/// <summary>Thrown by a store when an appeal changed since it was read (optimistic concurrency).</summary>
public sealed class ConcurrencyConflictException : McuException
{
    /// <summary>Initializes a new instance of the <see cref="ConcurrencyConflictException"/> class.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="actualVersion">The version in the store.</param>
    public ConcurrencyConflictException(Guid appealId, long expectedVersion, long actualVersion)
        : base($"Appeal {appealId} was changed concurrently: expected version {expectedVersion}, the store has {actualVersion}. Read it again and retry.")
    {
        AppealId = appealId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Initializes a new instance of the <see cref="ConcurrencyConflictException"/> class.</summary>
    public ConcurrencyConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConcurrencyConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConcurrencyConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConcurrencyConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the appeal.</summary>
    public Guid AppealId { get; }

    /// <summary>Gets the version the caller read.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the version in the store.</summary>
    public long ActualVersion { get; }
}
