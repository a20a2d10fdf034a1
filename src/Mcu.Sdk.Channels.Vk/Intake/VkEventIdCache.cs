using System.Collections.Concurrent;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>
/// Remembers the <c>event_id</c>s of the most recent accepted events (VK: "If it passed twice or more – you should ignore it"),
/// so a redelivered event is answered <c>ok</c> without work. Bounded; after a restart the desk's idempotency by external id
/// still drops duplicate messages.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class VkEventIdCache
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public VkEventIdCache(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Gets the number of ids remembered.</summary>
    public int Count => _ids.Count;

    /// <summary>Tells whether an event was accepted already.</summary>
    /// <param name="eventId">The event id.</param>
    /// <returns><see langword="true"/> when it was.</returns>
    public bool Contains(string eventId) => _ids.ContainsKey(eventId);

    /// <summary>Remembers an accepted event, forgetting the oldest beyond the capacity.</summary>
    /// <param name="eventId">The event id.</param>
    public void Add(string eventId)
    {
        if (!_ids.TryAdd(eventId, 0))
        {
            return;
        }

        _order.Enqueue(eventId);
        while (_ids.Count > _capacity && _order.TryDequeue(out var oldest))
        {
            _ids.TryRemove(oldest, out _);
        }
    }
}
