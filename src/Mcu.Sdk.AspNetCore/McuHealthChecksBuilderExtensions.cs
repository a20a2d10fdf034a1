using System.Globalization;
using Mcu.Sdk.AspNetCore;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Adds the SDK's health checks.</summary>
public static class McuHealthChecksBuilderExtensions
{
    /// <summary>The name of the store check.</summary>
    public const string StoreCheckName = "mcu-store";

    /// <summary>The name of the dispatcher check.</summary>
    public const string DispatcherCheckName = "mcu-dispatcher";

    /// <summary>
    /// Adds two checks tagged <c>mcu</c>: <c>mcu-store</c> (the appeal store answers; <c>Unhealthy</c> otherwise, also tagged
    /// <c>ready</c>) and <c>mcu-dispatcher</c> (<c>Degraded</c> when the reply backlog is above
    /// <see cref="McuHealthCheckOptions.MaxPendingReplies"/>, a reply has been due longer than <see cref="McuHealthCheckOptions.MaxDueDelay"/>,
    /// or a reply failed permanently within <see cref="McuHealthCheckOptions.FailedReplyWindow"/>).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="configure">Configures the thresholds, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>The dispatcher check reads the pending and failed outbox messages; its cost grows with their number.</remarks>
    public static IHealthChecksBuilder AddMcuHealthChecks(this IHealthChecksBuilder builder, Action<McuHealthCheckOptions>? configure = null)
    {
        Throw.IfNull(builder);
        var options = builder.Services.AddOptions<McuHealthCheckOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(
            o => o.MaxPendingReplies >= 1 && o.MaxDueDelay > TimeSpan.Zero && o.FailedReplyWindow > TimeSpan.Zero,
            "McuHealthCheckOptions: MaxPendingReplies must be at least 1, MaxDueDelay and FailedReplyWindow positive.");
        builder.AddCheck<McuStoreHealthCheck>(StoreCheckName, HealthStatus.Unhealthy, ["mcu", "ready"]);
        builder.AddCheck<McuDispatcherHealthCheck>(DispatcherCheckName, HealthStatus.Degraded, ["mcu"]);
        return builder;
    }
}

/// <summary>Checks that the appeal store answers.</summary>
internal sealed class McuStoreHealthCheck(IAppealStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetAsync(Guid.Empty, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The appeal store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The appeal store does not answer ({ex.GetType().Name}).", ex);
        }
    }
}

/// <summary>Checks the reply backlog and recent permanent failures.</summary>
internal sealed class McuDispatcherHealthCheck(IAppealStore store, IOptions<McuHealthCheckOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        int pending = 0, overdue = 0, failed = 0;
        try
        {
            await foreach (var message in store.QueryOutboxAsync(OutboxStatus.Pending, cancellationToken).ConfigureAwait(false))
            {
                pending++;
                if (message.NextAttemptAt < now - settings.MaxDueDelay)
                {
                    overdue++;
                }
            }

            await foreach (var message in store.QueryOutboxAsync(OutboxStatus.Failed, cancellationToken).ConfigureAwait(false))
            {
                if (message.CompletedAt is { } completed && completed >= now - settings.FailedReplyWindow)
                {
                    failed++;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The outbox cannot be read ({ex.GetType().Name}).", ex);
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["pending"] = pending,
            ["overdue"] = overdue,
            ["failedRecently"] = failed,
        };
        var problems = new List<string>(3);
        if (pending > settings.MaxPendingReplies)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{pending} replies pending (more than {settings.MaxPendingReplies})"));
        }

        if (overdue > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{overdue} replies due for more than {settings.MaxDueDelay}"));
        }

        if (failed > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{failed} replies failed permanently within {settings.FailedReplyWindow}"));
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{pending} replies pending."), data)
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems) + ".", null, data);
    }
}
