using System.Globalization;
using Mcu.Sdk;
using Mcu.Sdk.Channels.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu telegram --token T [--api-base URL]</c>: runs the city's appeal bot by long polling, with the desk on in-memory
/// defaults, until Ctrl+C. With <c>--api-base</c> the bot talks to a self-hosted Bot API server or a fake one.
/// </summary>
/// <remarks>
/// Any webhook left on the bot is deleted at start (long polling and a webhook exclude each other). Appeals live in memory:
/// a restart forgets them, which is what a demonstration wants; a real deployment uses a durable store.
/// </remarks>
internal static class TelegramCommand
{
    /// <summary>Runs the bot until <paramref name="cancellationToken"/> fires (Ctrl+C cancels it too).</summary>
    /// <param name="token">The bot token from @BotFather.</param>
    /// <param name="apiBase">The Bot API server, or <see langword="null"/> for Telegram's.</param>
    /// <param name="stdout">Where the banner goes.</param>
    /// <param name="stderr">Where errors and the log go.</param>
    /// <param name="cancellationToken">Stops the bot.</param>
    /// <returns>0 after a clean stop; 1 when the arguments or the configuration are invalid.</returns>
    public static async Task<int> RunAsync(string token, string? apiBase, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (string.IsNullOrWhiteSpace(token))
        {
            await stderr.WriteLineAsync("mcu telegram: --token is required (create a bot with @BotFather and pass its token).").ConfigureAwait(false);
            return 1;
        }

        Uri? api = null;
        if (apiBase is not null && (!Uri.TryCreate(apiBase, UriKind.Absolute, out api) || (api.Scheme != Uri.UriSchemeHttp && api.Scheme != Uri.UriSchemeHttps)))
        {
            await stderr.WriteLineAsync($"mcu telegram: --api-base must be an absolute http or https URL; got '{apiBase}'.").ConfigureAwait(false);
            return 1;
        }

        // ---- 1. The host: the SDK on in-memory defaults and the Telegram channel by long polling.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "mcu-telegram" });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(new WriterLoggerProvider(stderr));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddMcu(mcu => mcu
            .ConfigureDesk(desk => desk.FollowUpWindow = TimeSpan.FromMinutes(10))
            .AddTelegram(telegram =>
            {
                telegram.BotToken = token;
                telegram.Mode = TelegramIntakeMode.LongPolling;
                telegram.DeleteWebhookOnStart = true;
                if (api is not null)
                {
                    telegram.ApiBaseUrl = api;
                }
            }));

        // ---- 2. Run until Ctrl+C or cancellation.
        using var host = builder.Build();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        System.Console.CancelKeyPress += onCancel;
        try
        {
            await host.StartAsync(stop.Token).ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"mcu telegram: the bot runs by long polling against {(api ?? new Uri("https://api.telegram.org/")).GetLeftPart(UriPartial.Authority)}; press Ctrl+C to stop.")).ConfigureAwait(false);
            await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync("mcu telegram: invalid configuration: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or the caller's token: stop cleanly below.
        }
        finally
        {
            System.Console.CancelKeyPress -= onCancel;
        }

        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await stdout.WriteLineAsync("mcu telegram: stopped.").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Writes log lines (never secrets: the SDK does not log them) to a text writer.</summary>
    private sealed class WriterLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new WriterLogger(this, categoryName);

        public void Dispose()
        {
        }

        private void Write(string line)
        {
            lock (_gate)
            {
                writer.WriteLine(line);
            }
        }

        private sealed class WriterLogger(WriterLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                var line = string.Create(CultureInfo.InvariantCulture, $"{logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}");
                owner.Write(exception is null ? line : line + " (" + exception.GetType().Name + ": " + exception.Message + ")");
            }
        }
    }
}
