using Mcu.Sdk.Channels.Telegram.Api;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Telegram;

/// <summary>Validates <see cref="TelegramChannelOptions"/> at host start (messages never echo the token or the secret).</summary>
internal sealed class TelegramChannelOptionsValidator : IValidateOptions<TelegramChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BotToken))
        {
            failures.Add("Telegram:BotToken is required: create a bot with @BotFather and put its token into configuration (for example the TELEGRAM__TOKEN environment variable).");
        }
        else if (!TelegramTokens.IsWellFormed(options.BotToken))
        {
            failures.Add("Telegram:BotToken is not a bot token: it must look like '123456789:' followed by letters, digits, '_' or '-'.");
        }

        if (options.ApiBaseUrl is null || !options.ApiBaseUrl.IsAbsoluteUri || (options.ApiBaseUrl.Scheme != Uri.UriSchemeHttps && options.ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Telegram:ApiBaseUrl must be an absolute http or https URL.");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Telegram:Mode must be LongPolling or Webhook; got {options.Mode}.");
        }

        if (string.IsNullOrWhiteSpace(options.WebhookPath) || options.WebhookPath.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '/')))
        {
            failures.Add("Telegram:WebhookPath must be letters, digits, '-', '_' or '/'.");
        }

        if (options.WebhookSecret is { } secret && (secret.Length is 0 or > 256 || secret.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))))
        {
            failures.Add("Telegram:WebhookSecret must be 1 to 256 characters A-Z, a-z, 0-9, '_' or '-' (the Bot API's rule).");
        }

        if (options.Mode == TelegramIntakeMode.Webhook && string.IsNullOrEmpty(options.WebhookSecret))
        {
            failures.Add("Telegram:WebhookSecret is required in webhook mode: without it anybody could post updates to the endpoint.");
        }

        if (options.WebhookUrl is { } url && (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Telegram:WebhookUrl must be an absolute https URL (Telegram delivers webhooks over https only).");
        }

        if (options.WebhookMaxConnections is < 1 or > 100)
        {
            failures.Add($"Telegram:WebhookMaxConnections must be from 1 to 100; got {options.WebhookMaxConnections}.");
        }

        if (options.PollingTimeout < TimeSpan.Zero || options.PollingTimeout > TimeSpan.FromSeconds(50))
        {
            failures.Add($"Telegram:PollingTimeout must be from 0 to 50 seconds; got {options.PollingTimeout}.");
        }

        if (options.RequestTimeout < TimeSpan.FromSeconds(1) || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Telegram:RequestTimeout must be from 1 second to 5 minutes; got {options.RequestTimeout}.");
        }

        if (options.MaxDownloadBytes is < 1 or > TelegramChannelOptions.MaxBotApiDownloadBytes)
        {
            failures.Add($"Telegram:MaxDownloadBytes must be from 1 to {TelegramChannelOptions.MaxBotApiDownloadBytes} (20 MB); got {options.MaxDownloadBytes}.");
        }

        if (double.IsNaN(options.MessagesPerSecondPerChat) || options.MessagesPerSecondPerChat is < 0.01 or > 30)
        {
            failures.Add($"Telegram:MessagesPerSecondPerChat must be from 0.01 to 30; got {options.MessagesPerSecondPerChat}.");
        }

        if (double.IsNaN(options.MessagesPerSecond) || options.MessagesPerSecond is < 1 or > 1000)
        {
            failures.Add($"Telegram:MessagesPerSecond must be from 1 to 1,000; got {options.MessagesPerSecond}.");
        }

        if (options.StatusListLimit is < 1 or > 50)
        {
            failures.Add($"Telegram:StatusListLimit must be from 1 to 50; got {options.StatusListLimit}.");
        }

        if (options.ParseMode is { } mode && mode is not ("HTML" or "MarkdownV2" or "Markdown"))
        {
            failures.Add($"Telegram:ParseMode must be HTML, MarkdownV2, Markdown or empty; got '{mode}'.");
        }

        var texts = options.Texts;
        if (string.IsNullOrWhiteSpace(texts.Start) || string.IsNullOrWhiteSpace(texts.RatingPrompt) || string.IsNullOrWhiteSpace(texts.StatusLine))
        {
            failures.Add("Telegram:Texts:Start, RatingPrompt and StatusLine must not be empty.");
        }

        if (texts.RatingPrompt.Length > 1000)
        {
            failures.Add("Telegram:Texts:RatingPrompt must be at most 1,000 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
