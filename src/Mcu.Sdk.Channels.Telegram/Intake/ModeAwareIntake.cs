namespace Mcu.Sdk.Channels.Telegram.Intake;

/// <summary>The long-polling intake when the mode is long polling; otherwise it waits quietly until the host stops.</summary>
internal sealed class ModeAwarePoller(TelegramPoller? inner) : IChannelPoller
{
    public ChannelId Channel => ChannelId.Telegram;

    public string CheckpointKey => inner?.CheckpointKey ?? "telegram:offset:webhook-mode";

    public TelegramPoller? Inner => inner;

    public async ValueTask<PollBatch> PollAsync(string? checkpoint, CancellationToken cancellationToken = default)
    {
        if (inner is not null)
        {
            return await inner.PollAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        }

        // Webhook mode: Telegram refuses getUpdates while a webhook is set, so there is nothing to poll.
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return new PollBatch([], null);
    }
}

/// <summary>The webhook handler when the mode is webhook; otherwise every request gets 404.</summary>
internal sealed class ModeAwareWebhookHandler(TelegramWebhookHandler? inner, string path) : IWebhookHandler
{
    public ChannelId Channel => ChannelId.Telegram;

    public string Path { get; } = inner?.Path ?? path.Trim('/');

    public TelegramWebhookHandler? Inner => inner;

    public ValueTask<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
        inner?.HandleAsync(request, cancellationToken) ?? ValueTask.FromResult(new WebhookResponse(404, "the Telegram channel runs by long polling"));
}
