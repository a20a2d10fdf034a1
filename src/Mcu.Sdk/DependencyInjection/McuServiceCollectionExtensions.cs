using Mcu.Sdk.Channels;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Routing;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Configures the SDK's services. Channel and store packages add extension methods to it.</summary>
public interface IMcuBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Registers the SDK in a service collection.</summary>
public static class McuServiceCollectionExtensions
{
    /// <summary>
    /// Registers the desk, the classifier, router, SLA policy and monitor, reply templates and dispatcher, and the
    /// in-memory store, with options validated at start. Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the SDK: store, channels, options.</param>
    /// <returns>The builder, for more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IMcuBuilder AddMcu(this IServiceCollection services, Action<IMcuBuilder>? configure = null)
    {
        Throw.IfNull(services);
        var builder = new McuBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(McuMarker)))
        {
            services.AddSingleton<McuMarker>();
            services.AddLogging();
            services.TryAddSingleton(TimeProvider.System);

            services.TryAddSingleton<InMemoryAppealStore>();
            services.TryAddSingleton<IAppealStore>(sp => sp.GetRequiredService<InMemoryAppealStore>());
            services.TryAddSingleton<ICheckpointStore>(sp => sp.GetRequiredService<InMemoryAppealStore>());

            AddValidatedOptions<DeskOptions, DeskOptionsValidator>(services);
            AddValidatedOptions<RoutingOptions, RoutingOptionsValidator>(services);
            AddValidatedOptions<SlaOptions, SlaOptionsValidator>(services);
            AddValidatedOptions<ReplyDispatcherOptions, ReplyDispatcherOptionsValidator>(services);
            services.AddOptions<ReplyTemplateOptions>();
            services.AddOptions<ChannelPollingOptions>();
            services.AddOptions<LexiconClassifierOptions>().ValidateOnStart();
            services.AddOptions<StackedClassifierOptions>();

            // The default classifier: the lexicon's rules (as the host configured them) stacked with the model shipped with the SDK.
            services.TryAddSingleton<IAppealClassifier>(sp => new StackedClassifier(
                new LexiconClassifier(sp.GetRequiredService<IOptions<LexiconClassifierOptions>>().Value),
                LogisticModel.Default,
                sp.GetRequiredService<IOptions<StackedClassifierOptions>>().Value));
            services.TryAddSingleton<IAppealRouter, RuleBasedRouter>();
            services.TryAddSingleton<SlaEngine>();
            services.TryAddSingleton<ISlaPolicy>(sp => new RuleBasedSlaPolicy(sp.GetRequiredService<SlaEngine>()));
            services.TryAddSingleton<IReplyTemplates, DefaultReplyTemplates>();
            services.TryAddSingleton<IReplySenderProvider, ReplySenderProvider>();

            services.TryAddSingleton<AppealDesk>();
            services.TryAddSingleton<IAppealDesk>(sp => sp.GetRequiredService<AppealDesk>());
            services.TryAddSingleton<IInboundMessageSink>(sp => sp.GetRequiredService<IAppealDesk>());

            services.TryAddSingleton<ReplyDispatcher>();
            services.TryAddSingleton<IReplyDispatcher>(sp => sp.GetRequiredService<ReplyDispatcher>());
            services.TryAddSingleton<DispatcherSignal>();
            services.TryAddSingleton<SlaMonitor>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IAppealEventSubscriber, DispatcherSignal>(sp => sp.GetRequiredService<DispatcherSignal>()));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IAppealEventSubscriber, SlaMonitor>(sp => sp.GetRequiredService<SlaMonitor>()));

            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReplyDispatcherService>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SlaMonitorService>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChannelPollingService>());
        }

        configure?.Invoke(builder);
        return builder;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }

    private sealed class McuMarker;

    private sealed record McuBuilder(IServiceCollection Services) : IMcuBuilder;
}

/// <summary>Configuration methods of <see cref="IMcuBuilder"/>.</summary>
public static class McuBuilderExtensions
{
    /// <summary>
    /// Binds the SDK's options from a configuration section (usually <c>Mcu</c>) with the subsections
    /// <c>Desk</c>, <c>Routing</c>, <c>Sla</c>, <c>Templates</c>, <c>Dispatcher</c>, <c>Polling</c>, <c>Classifier</c> (the rules) and
    /// <c>Classifier:Model</c> (<see cref="StackedClassifierOptions"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder Configure(this IMcuBuilder builder, IConfiguration section)
    {
        Throw.IfNull(builder);
        Throw.IfNull(section);
        builder.Services.Configure<DeskOptions>(section.GetSection("Desk"));
        builder.Services.Configure<RoutingOptions>(section.GetSection("Routing"));
        builder.Services.Configure<SlaOptions>(section.GetSection("Sla"));
        builder.Services.Configure<ReplyTemplateOptions>(section.GetSection("Templates"));
        builder.Services.Configure<ReplyDispatcherOptions>(section.GetSection("Dispatcher"));
        builder.Services.Configure<ChannelPollingOptions>(section.GetSection("Polling"));
        builder.Services.Configure<LexiconClassifierOptions>(section.GetSection("Classifier"));
        builder.Services.Configure<StackedClassifierOptions>(section.GetSection("Classifier:Model"));
        return builder;
    }

    /// <summary>Configures the desk.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureDesk(this IMcuBuilder builder, Action<DeskOptions> configure) => Configure(builder, configure);

    /// <summary>Configures routing: units and rules.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureRouting(this IMcuBuilder builder, Action<RoutingOptions> configure) => Configure(builder, configure);

    /// <summary>Configures the SLA engine: profiles, rules, business calendars, notices and the monitor.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureSla(this IMcuBuilder builder, Action<SlaOptions> configure) => Configure(builder, configure);

    /// <summary>Configures the reply templates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureTemplates(this IMcuBuilder builder, Action<ReplyTemplateOptions> configure) => Configure(builder, configure);

    /// <summary>Configures the reply dispatcher.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureDispatcher(this IMcuBuilder builder, Action<ReplyDispatcherOptions> configure) => Configure(builder, configure);

    /// <summary>Configures the rules of the default classifier: the lexicon, a city's own terms, the thresholds of the rules.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureClassifier(this IMcuBuilder builder, Action<LexiconClassifierOptions> configure) => Configure(builder, configure);

    /// <summary>
    /// Configures how the default classifier (<see cref="StackedClassifier"/>) turns its model's probabilities into decisions:
    /// when it abstains, from which probability an appeal is urgent or out of scope.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder ConfigureClassifierModel(this IMcuBuilder builder, Action<StackedClassifierOptions> configure) => Configure(builder, configure);

    /// <summary>Uses a clock (a manual one in tests and simulations). Every time-dependent decision reads it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder UseTimeProvider(this IMcuBuilder builder, TimeProvider timeProvider)
    {
        Throw.IfNull(builder);
        Throw.IfNull(timeProvider);
        builder.Services.Replace(ServiceDescriptor.Singleton(timeProvider));
        return builder;
    }

    /// <summary>Uses a store for appeals, outbox and checkpoints.</summary>
    /// <typeparam name="TStore">The store type, implementing both <see cref="IAppealStore"/> and <see cref="ICheckpointStore"/>.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder UseStore<TStore>(this IMcuBuilder builder, Func<IServiceProvider, TStore> factory)
        where TStore : class, IAppealStore, ICheckpointStore
    {
        Throw.IfNull(builder);
        Throw.IfNull(factory);
        builder.Services.RemoveAll<TStore>();
        builder.Services.AddSingleton(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton<IAppealStore>(sp => sp.GetRequiredService<TStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICheckpointStore>(sp => sp.GetRequiredService<TStore>()));
        return builder;
    }

    /// <summary>Uses the in-memory store (the default): fast, and lost when the process ends.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder UseInMemoryStore(this IMcuBuilder builder) => builder.UseStore(_ => new InMemoryAppealStore());

    /// <summary>Uses a classifier instead of the default lexicon classifier.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the classifier.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder UseClassifier(this IMcuBuilder builder, Func<IServiceProvider, IAppealClassifier> factory)
    {
        Throw.IfNull(builder);
        Throw.IfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    /// <summary>Uses a router instead of the rule-based one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the router.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder UseRouter(this IMcuBuilder builder, Func<IServiceProvider, IAppealRouter> factory)
    {
        Throw.IfNull(builder);
        Throw.IfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    /// <summary>Uses an SLA policy instead of the rule-based one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the policy.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder UseSlaPolicy(this IMcuBuilder builder, Func<IServiceProvider, ISlaPolicy> factory)
    {
        Throw.IfNull(builder);
        Throw.IfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    /// <summary>Adds a channel's reply sender (and, when it implements <see cref="IChannelPoller"/>, its polling intake).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sender">The sender.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder AddReplySender(this IMcuBuilder builder, IReplySender sender)
    {
        Throw.IfNull(builder);
        Throw.IfNull(sender);
        builder.Services.AddSingleton(sender);
        return builder;
    }

    /// <summary>Adds a pull channel, read by the polling service with durable checkpoints.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="poller">The poller.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder AddPoller(this IMcuBuilder builder, IChannelPoller poller)
    {
        Throw.IfNull(builder);
        Throw.IfNull(poller);
        builder.Services.AddSingleton(poller);
        return builder;
    }

    /// <summary>Adds a loopback channel: replies are recorded on it, and messages enqueued on it are polled into the desk.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="channel">The channel, or <see langword="null"/> for a new one with id <c>loopback</c>.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder AddLoopbackChannel(this IMcuBuilder builder, LoopbackChannel? channel = null)
    {
        Throw.IfNull(builder);
        channel ??= new LoopbackChannel();
        builder.Services.AddSingleton(channel);
        return builder.AddReplySender(channel).AddPoller(channel);
    }

    /// <summary>Adds a subscriber to the desk's events.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="subscriber">The subscriber.</param>
    /// <returns>The builder.</returns>
    public static IMcuBuilder AddEventSubscriber(this IMcuBuilder builder, IAppealEventSubscriber subscriber)
    {
        Throw.IfNull(builder);
        Throw.IfNull(subscriber);
        builder.Services.AddSingleton(subscriber);
        return builder;
    }

    private static IMcuBuilder Configure<TOptions>(IMcuBuilder builder, Action<TOptions> configure)
        where TOptions : class
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}

/// <summary>Validates <see cref="DeskOptions"/>.</summary>
internal sealed class DeskOptionsValidator : IValidateOptions<DeskOptions>
{
    public ValidateOptionsResult Validate(string? name, DeskOptions options)
    {
        var failures = new List<string>();
        if (options.MaxTextLength is < 100 or > 1_000_000)
        {
            failures.Add($"Desk:MaxTextLength must be from 100 to 1,000,000; got {options.MaxTextLength}.");
        }

        if (options.ReopenRatingThreshold is < 0 or > 5)
        {
            failures.Add($"Desk:ReopenRatingThreshold must be from 0 to 5; got {options.ReopenRatingThreshold}.");
        }

        if (options.ConcurrencyRetries is < 1 or > 100)
        {
            failures.Add($"Desk:ConcurrencyRetries must be from 1 to 100; got {options.ConcurrencyRetries}.");
        }

        if (options.FollowUpWindow is { } window && window <= TimeSpan.Zero)
        {
            failures.Add($"Desk:FollowUpWindow must be positive when set; got {window}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Validates <see cref="ReplyDispatcherOptions"/>.</summary>
internal sealed class ReplyDispatcherOptionsValidator : IValidateOptions<ReplyDispatcherOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplyDispatcherOptions options)
    {
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"Dispatcher:BatchSize must be from 1 to 10,000; got {options.BatchSize}.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(5) || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"Dispatcher:LeaseDuration must be from 5 seconds to 1 hour; got {options.LeaseDuration}.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Dispatcher:PollInterval must be from 10 ms to 1 minute; got {options.PollInterval}.");
        }

        if (options.MaxParallelConversations is < 1 or > 256)
        {
            failures.Add($"Dispatcher:MaxParallelConversations must be from 1 to 256; got {options.MaxParallelConversations}.");
        }

        if (options.ImmediateRetries is < 0 or > 10)
        {
            failures.Add($"Dispatcher:ImmediateRetries must be from 0 to 10; got {options.ImmediateRetries}.");
        }

        if (options.MaxAttempts is < 1 or > 1000)
        {
            failures.Add($"Dispatcher:MaxAttempts must be from 1 to 1,000; got {options.MaxAttempts}.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxBackoff < options.RetryDelay)
        {
            failures.Add($"Dispatcher:RetryDelay must be positive and not above MaxBackoff; got {options.RetryDelay} and {options.MaxBackoff}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
