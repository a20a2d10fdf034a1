namespace Mcu.Sdk.AspNetCore;

/// <summary>Options of the webhook endpoints mapped by <see cref="McuWebhookEndpointRouteBuilderExtensions.MapMcuWebhooks"/>, bindable from <c>Mcu:Webhooks</c>.</summary>
public sealed class McuWebhookOptions
{
    /// <summary>The default <see cref="MaxBodySize"/>: 1 MiB.</summary>
    public const long DefaultMaxBodySize = 1024 * 1024;

    /// <summary>Gets or sets the largest request body accepted; a larger one is answered with 400 before any handler runs.</summary>
    /// <value>From 1 KiB to 64 MiB. The default value is 1 MiB (a Telegram update or a VK callback is a few kilobytes).</value>
    public long MaxBodySize { get; set; } = DefaultMaxBodySize;
}

/// <summary>Thresholds of the health checks added by <see cref="McuHealthChecksBuilderExtensions.AddMcuHealthChecks"/>.</summary>
public sealed class McuHealthCheckOptions
{
    /// <summary>Gets or sets the number of pending replies above which the dispatcher check reports <c>Degraded</c>.</summary>
    /// <value>At least 1. The default value is 1,000.</value>
    public int MaxPendingReplies { get; set; } = 1000;

    /// <summary>Gets or sets how long a reply may stay due without being delivered before the dispatcher check reports <c>Degraded</c> (the dispatcher does not run, or cannot keep up).</summary>
    /// <value>Positive. The default value is 15 minutes.</value>
    public TimeSpan MaxDueDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the window in which a permanently failed reply makes the dispatcher check report <c>Degraded</c> (a person must look at it).</summary>
    /// <value>Positive. The default value is 1 hour.</value>
    public TimeSpan FailedReplyWindow { get; set; } = TimeSpan.FromHours(1);
}
