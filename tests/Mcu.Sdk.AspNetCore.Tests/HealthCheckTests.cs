using System.Net;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.AspNetCore.Tests;

public sealed class HealthCheckTests
{
    private sealed class Fixture : IAsyncDisposable
    {
        public Fixture(Action<McuHealthCheckOptions>? configure = null, IAppealStore? store = null)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddMcu(mcu =>
            {
                mcu.UseTimeProvider(Clock).AddReplySender(Sender);
                if (store is not null)
                {
                    mcu.Services.AddSingleton(store);
                    mcu.Services.AddSingleton<IAppealStore>(store);
                }
            });
            services.AddHealthChecks().AddMcuHealthChecks(configure);
            Provider = services.BuildServiceProvider();
        }

        public ManualTimeProvider Clock { get; } = new();

        public RecordingReplySender Sender { get; } = new(ChannelId.Telegram);

        public ServiceProvider Provider { get; }

        public IAppealDesk Desk => Provider.GetRequiredService<IAppealDesk>();

        public Task<HealthReport> CheckAsync() => Provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        public Task<DispatchSummary> DispatchAsync()
        {
            var pass = Provider.GetRequiredService<IReplyDispatcher>().DispatchDueAsync().AsTask();
            return Clock.AdvanceUntilCompleteAsync(pass, TimeSpan.FromMilliseconds(250)).ContinueWith(_ => pass.Result, TaskScheduler.Default);
        }

        public ValueTask<IngestResult> IngestAsync(string id) =>
            Desk.IngestAsync(new InboundMessage(ChannelId.Telegram, id, "c-" + id, new Author("u1"), "Яма на дороге", Clock.GetUtcNow()));

        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }

    [Fact]
    public async Task CheckHealthAsync_EmptyDesk_Healthy()
    {
        await using var f = new Fixture();

        var report = await f.CheckAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["mcu-dispatcher", "mcu-store"], report.Entries.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0, report.Entries["mcu-dispatcher"].Data["pending"]);
    }

    [Fact]
    public async Task CheckHealthAsync_ReplyDueTooLong_DegradedUntilDelivered()
    {
        await using var f = new Fixture(o => o.MaxDueDelay = TimeSpan.FromMinutes(15));
        await f.IngestAsync("m1");

        Assert.Equal(HealthStatus.Healthy, (await f.CheckAsync()).Status);
        f.Clock.Advance(TimeSpan.FromMinutes(16));
        var stuck = await f.CheckAsync();
        await f.DispatchAsync();
        var delivered = await f.CheckAsync();

        Assert.Equal(HealthStatus.Degraded, stuck.Status);
        Assert.Contains("due for more than", stuck.Entries["mcu-dispatcher"].Description, StringComparison.Ordinal);
        Assert.Equal(1, stuck.Entries["mcu-dispatcher"].Data["overdue"]);
        Assert.Equal(HealthStatus.Healthy, delivered.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_BacklogAboveTheLimit_Degraded()
    {
        await using var f = new Fixture(o => o.MaxPendingReplies = 2);
        for (var i = 0; i < 3; i++)
        {
            await f.IngestAsync("m" + i);
        }

        var report = await f.CheckAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("3 replies pending", report.Entries["mcu-dispatcher"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_RecentPermanentFailure_DegradedForTheWindow()
    {
        await using var f = new Fixture(o => o.FailedReplyWindow = TimeSpan.FromHours(1));
        f.Sender.OnSend = (_, _, _) => throw new ChannelException("Bad Request: chat not found") { IsTransient = false };
        await f.IngestAsync("m1");
        await f.DispatchAsync();

        var failed = await f.CheckAsync();
        f.Clock.Advance(TimeSpan.FromHours(2));
        var later = await f.CheckAsync();

        Assert.Equal(HealthStatus.Degraded, failed.Status);
        Assert.Equal(1, failed.Entries["mcu-dispatcher"].Data["failedRecently"]);
        Assert.Equal(HealthStatus.Healthy, later.Status);
    }

    [Fact]
    public async Task CheckHealthAsync_StoreDown_Unhealthy()
    {
        await using var f = new Fixture(store: new BrokenStore());

        var report = await f.CheckAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["mcu-store"].Status);
        Assert.Contains("does not answer", report.Entries["mcu-store"].Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, report.Entries["mcu-dispatcher"].Status);
    }

    [Fact]
    public async Task MapHealthChecks_OverHttp_ReportsHealthy()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMcu();
        builder.Services.AddHealthChecks().AddMcuHealthChecks();
        await using var app = builder.Build();
        app.MapHealthChecks("/health");
        await app.StartAsync();

        using var response = await app.GetTestClient().GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public void AddMcuHealthChecks_InvalidThresholds_FailOnUse()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddMcuHealthChecks(o => o.MaxPendingReplies = 0);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<McuHealthCheckOptions>>().Value);
        Assert.Throws<ArgumentNullException>(() => McuHealthChecksBuilderExtensions.AddMcuHealthChecks(null!));
    }

    /// <summary>A store whose database is gone.</summary>
    private sealed class BrokenStore : IAppealStore
    {
        private static InvalidOperationException Down() => new("The database is unavailable.");

        public ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default) => throw Down();

        public IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default) => throw Down();

        public IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, CancellationToken cancellationToken = default) => throw Down();
    }
}
