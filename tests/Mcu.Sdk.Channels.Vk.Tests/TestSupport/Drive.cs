using System.Diagnostics;
using Mcu.Sdk.Testing;

namespace Mcu.Sdk.Channels.Vk.Tests.TestSupport;

/// <summary>Runs an operation that does real loopback I/O and waits on a manual clock.</summary>
internal static class Drive
{
    /// <summary>
    /// Waits for <paramref name="task"/>, moving <paramref name="clock"/> by <paramref name="step"/> whenever the code under test
    /// waits on one of its timers (a backoff, a rate limit). Fails after 20 s of real time: a guard against hangs, not a delay.
    /// </summary>
    public static async Task UntilCompleteAsync(ManualTimeProvider clock, Task task, TimeSpan step)
    {
        var watch = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("The operation did not complete within 20 s of real time.");
            }

            if (clock.ActiveTimerCount > 0)
            {
                clock.Advance(step);
            }

            await Task.Yield();
        }

        await task;
    }
}
