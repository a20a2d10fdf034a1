using Mcu.Sdk.Channels;
using Mcu.Sdk.Channels.Vk;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Intake;
using Mcu.Sdk.Channels.Vk.Monitoring;
using Mcu.Sdk.Channels.Vk.Replies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Adds the VK channel to the SDK.</summary>
public static class VkMcuBuilderExtensions
{
    /// <summary>
    /// Adds the VK channel: the reply sender (dialogs, wall, photo and board comments), the Callback API webhook handler
    /// (mapped by <c>Mcu.Sdk.AspNetCore</c> at <c>/webhooks/{CallbackPath}</c>), the Bots Long Poll intake when
    /// <see cref="VkChannelOptions.UseLongPoll"/> is set, and the monitoring of city publics when
    /// <see cref="VkMonitoringOptions.Publics"/> is not empty. Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the channel; it is also run once at registration to decide which intakes to add.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IMcuBuilder AddVk(this IMcuBuilder builder, Action<VkChannelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var probe = new VkChannelOptions();
        configure(probe);

        var services = builder.Services;
        services.AddOptions<VkChannelOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VkChannelOptions>, VkChannelOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(VkApiClient.HttpClientName, (sp, http) =>
        {
            http.Timeout = sp.GetRequiredService<IOptions<VkChannelOptions>>().Value.RequestTimeout;
        });
        services.AddHttpClient(VkApiClient.LongPollHttpClientName, (sp, http) =>
        {
            http.Timeout = sp.GetRequiredService<IOptions<VkChannelOptions>>().Value.LongPollWait + TimeSpan.FromSeconds(20);
        }).RemoveAllLoggers();

        services.TryAddSingleton<VkApiClient>();
        services.TryAddSingleton<VkReachability>();
        services.TryAddSingleton<VkAuthorNames>();
        services.TryAddSingleton<VkEventIdCache>(_ => new VkEventIdCache());
        services.TryAddSingleton<VkUpdateConverter>();
        services.TryAddSingleton<VkReplySender>();
        services.TryAddSingleton<VkCallbackHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReplySender, VkReplySender>(sp => sp.GetRequiredService<VkReplySender>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookHandler, VkCallbackHandler>(sp => sp.GetRequiredService<VkCallbackHandler>()));

        if (probe.UseLongPoll)
        {
            services.TryAddSingleton<VkLongPollPoller>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelPoller, VkLongPollPoller>(sp => sp.GetRequiredService<VkLongPollPoller>()));
        }

        if (probe.Monitoring.Publics.Count > 0)
        {
            services.TryAddSingleton<VkMonitoringService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VkMonitoringService>(sp => sp.GetRequiredService<VkMonitoringService>()));
        }

        return builder;
    }
}
