using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram;

/// <summary>
/// Prepares the bot in the background when the host starts, without delaying the host: checks the token (<c>getMe</c>),
/// registers the menu commands, and registers the webhook (webhook mode with a URL) or deletes a stale one (long polling with
/// <see cref="TelegramChannelOptions.DeleteWebhookOnStart"/>). Failures are logged clearly; intake and replies keep working.
/// </summary>
internal sealed partial class TelegramStartupService : BackgroundService
{
    private readonly TelegramBotClient _client;
    private readonly TelegramChannelOptions _options;
    private readonly ILogger _logger;

    public TelegramStartupService(TelegramBotClient client, IOptions<TelegramChannelOptions> options, ILogger<TelegramStartupService> logger)
    {
        _client = Throw.IfNull(client);
        _options = Throw.IfNull(options).Value;
        _logger = Throw.IfNull(logger);
    }

    /// <summary>Runs the start-up calls once.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await _client.GetMeAsync(cancellationToken).ConfigureAwait(false);
            LogReady(me.Username ?? me.FirstName, me.Id, _options.Mode.ToString());
            if (_options.RegisterCommandsOnStart)
            {
                await _client.SetMyCommandsAsync(
                    [
                        new BotCommand { Command = "start", Description = _options.Texts.StartCommandDescription },
                        new BotCommand { Command = "status", Description = _options.Texts.StatusCommandDescription },
                    ],
                    cancellationToken).ConfigureAwait(false);
            }

            if (_options.Mode == TelegramIntakeMode.Webhook && _options.WebhookUrl is { } url)
            {
                await _client.SetWebhookAsync(url, dropPendingUpdates: false, cancellationToken).ConfigureAwait(false);
                LogWebhookRegistered(url.GetLeftPart(UriPartial.Path));
            }
            else if (_options.Mode == TelegramIntakeMode.LongPolling && _options.DeleteWebhookOnStart)
            {
                await _client.DeleteWebhookAsync(dropPendingUpdates: false, cancellationToken).ConfigureAwait(false);
                LogWebhookDeleted();
            }
        }
        catch (TelegramApiException ex) when (ex.ErrorCode is 401 or 404)
        {
            LogTokenRejected(ex.ErrorCode.Value);
        }
        catch (TelegramApiException ex)
        {
            LogStartFailed(ex.ErrorCode, ex.Message);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PrepareAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops before the bot was prepared: nothing to do.
        }
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Telegram bot @{Username} ({BotId}) is ready; intake by {Mode}")]
    private partial void LogReady(string username, long botId, string mode);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "Telegram webhook registered at {Url} with the secret token")]
    private partial void LogWebhookRegistered(string url);

    [LoggerMessage(EventId = 152, Level = LogLevel.Information, Message = "Telegram webhook deleted so that long polling can run")]
    private partial void LogWebhookDeleted();

    [LoggerMessage(EventId = 153, Level = LogLevel.Critical, Message = "Telegram rejected the bot token ({Code}); check Telegram:BotToken (from @BotFather)")]
    private partial void LogTokenRejected(int code);

    [LoggerMessage(EventId = 154, Level = LogLevel.Error, Message = "Preparing the Telegram bot failed ({Code}): {Error}")]
    private partial void LogStartFailed(int? code, string error);
}
