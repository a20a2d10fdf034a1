using System.Collections.Concurrent;

namespace Mcu.Sdk.Testing;

/// <summary>Records the desk's events for assertions. Register it with <c>AddEventSubscriber</c>.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RecordingEventSubscriber : IAppealEventSubscriber
{
    private readonly ConcurrentQueue<AppealEvent> _events = new();

    /// <summary>Gets every event recorded so far, in order.</summary>
    public IReadOnlyList<AppealEvent> All => _events.ToArray();

    /// <summary>Gets the events of one kind, in order.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The events.</returns>
    public IReadOnlyList<AppealEvent> Of(AppealEventKind kind) => _events.Where(e => e.Kind == kind).ToArray();

    /// <inheritdoc/>
    public ValueTask HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appealEvent);
        _events.Enqueue(appealEvent);
        return ValueTask.CompletedTask;
    }
}
