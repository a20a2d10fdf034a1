using System.Globalization;
using Mcu.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu vk --group-id G --token T [--api-base URL]</c>: a host with the SDK and the VK channel reading the community's
/// events with Bots Long Poll, until the command is cancelled (Ctrl+C). Every accepted appeal and every delivered reply is
/// a line on standard output; the SDK's warnings and errors go to standard error.
/// </summary>
/// <remarks>
/// Uses the in-memory store: appeals live as long as the process. The community must have Long Poll enabled (community
/// management → API usage → Long Poll API) with the events <c>message_new</c>, <c>wall_reply_new</c>, <c>wall_post_new</c>,
/// <c>photo_comment_new</c>, <c>board_post_new</c>, <c>message_allow</c> and <c>message_deny</c>, and the token the rights
/// <c>messages</c>, <c>manage</c> and <c>wall</c> (see docs/vk.md).
/// </remarks>
internal static class VkCommand
{
    /// <summary>Runs the long-poll intake until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="groupId">The community id (positive).</param>
    /// <param name="token">The community access token.</param>
    /// <param name="apiBase">The API base address (a fake server in tests), or <see langword="null"/> for VK's.</param>
    /// <param name="stdout">Standard output: one line per accepted appeal and per delivered reply.</param>
    /// <param name="stderr">Standard error: warnings and errors of the SDK, and option errors.</param>
    /// <param name="cancellationToken">Stops the host.</param>
    /// <returns>0 after a clean stop; 1 when the options are invalid or the host cannot start.</returns>
    public static async Task<int> RunAsync(long groupId, string token, string? apiBase, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        Uri? apiBaseUrl = null;
        if (apiBase is not null && (!Uri.TryCreate(apiBase, UriKind.Absolute, out apiBaseUrl) || (apiBaseUrl.Scheme != Uri.UriSchemeHttp && apiBaseUrl.Scheme != Uri.UriSchemeHttps)))
        {
            await stderr.WriteLineAsync($"--api-base must be an absolute http(s) address; got '{apiBase}'.").ConfigureAwait(false);
            return 1;
        }

        // ---- 1. Compose the SDK with the VK channel reading Bots Long Poll.
        var output = new SynchronizedWriter(stdout);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(new WriterLoggerProvider(new SynchronizedWriter(stderr), LogLevel.Warning));
        builder.Services.AddMcu(mcu => mcu
            .AddVk(o =>
            {
                o.GroupId = groupId;
                o.AccessToken = token ?? string.Empty;
                o.UseLongPoll = true;
                if (apiBaseUrl is not null)
                {
                    o.ApiBaseUrl = apiBaseUrl;
                }
            })
            .AddEventSubscriber(new AppealPrinter(output)));

        // ---- 2. Start: options are validated here, before anything is read.
        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await stderr.WriteLineAsync(failure).ConfigureAwait(false);
            }

            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Listening to VK community {groupId} with Bots Long Poll; press Ctrl+C to stop."));

        // ---- 3. Run until cancelled, then stop the background services gracefully.
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop below.
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await host.StopAsync(stopping.Token).ConfigureAwait(false);
        output.WriteLine("Stopped.");
        return 0;
    }

    /// <summary>Writes one line per accepted appeal and per reply outcome (numbers, topics and units only: no personal data).</summary>
    private sealed class AppealPrinter(SynchronizedWriter output) : IAppealEventSubscriber
    {
        public ValueTask HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken = default)
        {
            var appeal = appealEvent.Appeal;
            var line = appealEvent.Kind switch
            {
                AppealEventKind.Accepted => $"#{appeal.Number} accepted from {appeal.Channel}: topic {appeal.Topic}",
                AppealEventKind.Routed => $"#{appeal.Number} routed to {appeal.UnitId}",
                AppealEventKind.ReplyDelivered => $"#{appeal.Number} reply delivered ({appealEvent.Reply?.Kind})",
                AppealEventKind.ReplyFailed or AppealEventKind.ReplyParked => $"#{appeal.Number} reply {appealEvent.Kind}: {appealEvent.Detail}",
                _ => null,
            };
            if (line is not null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line}"));
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A text writer shared by background threads.</summary>
    private sealed class SynchronizedWriter(TextWriter inner)
    {
        private readonly Lock _gate = new();

        public void WriteLine(string line)
        {
            lock (_gate)
            {
                inner.WriteLine(line);
                inner.Flush();
            }
        }
    }

    /// <summary>Writes the SDK's log lines at or above a level to a text writer.</summary>
    private sealed class WriterLoggerProvider(SynchronizedWriter output, LogLevel minimum) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new WriterLogger(output, minimum, categoryName);

        public void Dispose()
        {
        }

        private sealed class WriterLogger(SynchronizedWriter output, LogLevel minimum, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                var text = $"{logLevel}: {category}: {formatter(state, exception)}";
                output.WriteLine(exception is null ? text : $"{text} ({exception.GetType().Name}: {exception.Message})");
            }
        }
    }
}
