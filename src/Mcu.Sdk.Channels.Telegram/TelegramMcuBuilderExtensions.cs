using Mcu.Sdk.Channels;
using Mcu.Sdk.Channels.Telegram;
using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Channels.Telegram.Intake;
using Mcu.Sdk.Channels.Telegram.Replies;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Adds the Telegram chat-bot channel to the SDK.</summary>
public static class TelegramMcuBuilderExtensions
{
    /// <summary>
    /// Adds the Telegram channel: the Bot API client, the reply sender, and the intake chosen by
    /// <see cref="TelegramChannelOptions.Mode"/> (long polling through the SDK's polling service, or the webhook handler that
    /// <c>Mcu.Sdk.AspNetCore</c>'s <c>MapMcuWebhooks()</c> maps). Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Configures the channel; at least <see cref="TelegramChannelOptions.BotToken"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>Calling it again only applies <paramref name="configure"/> to the same options.</remarks>
    public static IMcuBuilder AddTelegram(this IMcuBuilder builder, Action<TelegramChannelOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        builder.Services.AddOptions<TelegramChannelOptions>().Configure(configure);
        AddServices(builder.Services);
        return builder;
    }

    /// <summary>Adds the Telegram channel with options bound from a configuration section (usually <c>Telegram</c>), then <paramref name="configure"/>.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="section">The section: <c>BotToken</c>, <c>Mode</c>, <c>WebhookSecret</c>, <c>Texts</c> and the other option names.</param>
    /// <param name="configure">Further configuration applied after binding, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static IMcuBuilder AddTelegram(this IMcuBuilder builder, IConfiguration section, Action<TelegramChannelOptions>? configure = null)
    {
        Throw.IfNull(builder);
        Throw.IfNull(section);
        builder.Services.Configure<TelegramChannelOptions>(section);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        AddServices(builder.Services);
        return builder;
    }

    private static void AddServices(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(TelegramMarker)))
        {
            return;
        }

        services.AddSingleton<TelegramMarker>();
        services.AddOptions<TelegramChannelOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelegramChannelOptions>, TelegramChannelOptionsValidator>());

        // The default HttpClientFactory loggers write request URLs, and a Bot API URL contains the token: remove them all.
        services.AddHttpClient(TelegramBotClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();

        services.TryAddSingleton<TelegramBotClient>();
        services.TryAddSingleton<ITelegramBot>(sp => sp.GetRequiredService<TelegramBotClient>());
        services.TryAddSingleton<TelegramRecipients>();
        services.TryAddSingleton<TelegramUpdateProcessor>();
        services.TryAddSingleton<TelegramReplySender>();
        services.AddSingleton<IReplySender>(sp => sp.GetRequiredService<TelegramReplySender>());

        // Both intakes are registered; each stands aside unless the configured mode is its own.
        services.AddSingleton<IChannelPoller>(sp => new ModeAwarePoller(
            sp.GetRequiredService<IOptions<TelegramChannelOptions>>().Value.Mode == TelegramIntakeMode.LongPolling
                ? ActivatorUtilities.CreateInstance<TelegramPoller>(sp)
                : null));
        services.AddSingleton<IWebhookHandler>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelegramChannelOptions>>().Value;
            var handler = options.Mode == TelegramIntakeMode.Webhook ? ActivatorUtilities.CreateInstance<TelegramWebhookHandler>(sp) : null;
            return new ModeAwareWebhookHandler(handler, options.WebhookPath);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TelegramStartupService>());
    }

    private sealed class TelegramMarker;
}
