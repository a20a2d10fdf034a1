namespace Mcu.Sdk.Channels.Vk.Api;

/// <summary>
/// Keeps the requests made with one token within VK's limit: at most N requests in any one-second window (20 for a
/// community token, 3 for a user token). Waiters are served in arrival order; waiting reads the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class VkRequestLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly Queue<long> _granted;
    private readonly SemaphoreSlim _queue = new(1, 1);

    public VkRequestLimiter(TimeProvider time, int requestsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        _time = time;
        _limit = requestsPerSecond;
        _granted = new Queue<long>(requestsPerSecond);
    }

    /// <summary>Gets the limit per second.</summary>
    public int RequestsPerSecond => _limit;

    /// <summary>Waits until one more request fits in the window, and counts it.</summary>
    /// <param name="cancellationToken">A token to cancel the wait.</param>
    /// <returns>A task that completes when the request may go.</returns>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = _time.GetTimestamp();
                while (_granted.Count > 0 && _time.GetElapsedTime(_granted.Peek(), now) >= Window)
                {
                    _granted.Dequeue();
                }

                if (_granted.Count < _limit)
                {
                    _granted.Enqueue(now);
                    return;
                }

                var wait = Window - _time.GetElapsedTime(_granted.Peek(), now);
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _queue.Dispose();
}
