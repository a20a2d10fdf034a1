using System.Globalization;
using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram.Intake;

/// <summary>
/// Long-polling intake: reads <c>getUpdates</c> after the stored offset with the update kinds set explicitly, handles the
/// dialogue updates, and hands the citizens' messages to the core polling service, which stores the next offset only after
/// the desk accepted every one of them (a crash replays the batch; the desk drops the duplicates).
/// </summary>
internal sealed partial class TelegramPoller : IChannelPoller
{
    private readonly TelegramBotClient _client;
    private readonly TelegramUpdateProcessor _processor;
    private readonly TelegramChannelOptions _options;
    private readonly ILogger _logger;

    public TelegramPoller(TelegramBotClient client, TelegramUpdateProcessor processor, IOptions<TelegramChannelOptions> options, ILogger<TelegramPoller> logger)
    {
        _client = Throw.IfNull(client);
        _processor = Throw.IfNull(processor);
        _options = Throw.IfNull(options).Value;
        _logger = Throw.IfNull(logger);
        CheckpointKey = string.Create(CultureInfo.InvariantCulture, $"telegram:{_client.BotId}:offset");
    }

    /// <inheritdoc/>
    public ChannelId Channel => ChannelId.Telegram;

    /// <inheritdoc/>
    public string CheckpointKey { get; }

    /// <inheritdoc/>
    public async ValueTask<PollBatch> PollAsync(string? checkpoint, CancellationToken cancellationToken = default)
    {
        long? offset = long.TryParse(checkpoint, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var stored) ? stored : null;
        Update[] updates;
        try
        {
            updates = await _client.GetUpdatesAsync(offset, _options.PollingTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.IsConflict)
        {
            LogConflict(ex.Description ?? "Conflict");
            throw;
        }

        if (updates.Length == 0)
        {
            return new PollBatch([], null);
        }

        var messages = new List<InboundMessage>(updates.Length);
        var next = offset ?? long.MinValue;
        foreach (var update in updates.OrderBy(u => u.UpdateId))
        {
            if (offset is { } current && update.UpdateId < current)
            {
                continue; // already confirmed: a server that ignores the offset must not make us accept it twice
            }

            var outcome = await _processor.ProcessAsync(update, cancellationToken).ConfigureAwait(false);
            if (outcome.Message is { } message)
            {
                messages.Add(message);
            }

            next = Math.Max(next, update.UpdateId + 1);
        }

        return new PollBatch(messages, next == long.MinValue ? null : next.ToString(CultureInfo.InvariantCulture));
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Telegram long polling is blocked: 409 {Description}. Another process polls this bot, or a webhook is set; stop the other instance or delete the webhook (Telegram:DeleteWebhookOnStart=true)")]
    private partial void LogConflict(string description);
}
