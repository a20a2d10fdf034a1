using Mcu.Sdk.Replies;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage.Sqlite.Internal;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>The store composed as a host composes it: <c>AddMcu(mcu => mcu.UseSqliteStore(...))</c>, the desk and the dispatcher on it.</summary>
public sealed class SqliteCompositionTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _file;
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 16, 6, 0, 0, TimeSpan.Zero));
    private readonly RecordingReplySender _telegram = new(ChannelId.Telegram);

    public SqliteCompositionTests() => _file = _folder.File("desk.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task UseSqliteStore_ConnectionString_RegistersOneStoreForAppealsAndCheckpoints()
    {
        await using var provider = Compose();

        var store = provider.GetRequiredService<IAppealStore>();

        Assert.IsType<SqliteAppealStore>(store);
        Assert.Same(store, provider.GetRequiredService<ICheckpointStore>());
        Assert.Equal(_file, ((SqliteAppealStore)store).DataSource);
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is SqliteRetentionService);
    }

    [Fact]
    public async Task UseSqliteStore_InvalidOptions_FailsWhenTheHostStarts()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMcu(mcu => mcu.UseSqliteStore(o =>
        {
            o.ConnectionString = "Data Source=:memory:";
            o.MaxBatchSize = 0;
        }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("in-memory database is not durable", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Sqlite:MaxBatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public void UseSqliteStore_Arguments_AreChecked()
    {
        var builder = new ServiceCollection().AddMcu();

        Assert.Throws<ArgumentException>(() => builder.UseSqliteStore(" "));
        Assert.Throws<ArgumentNullException>(() => builder.UseSqliteStore((Action<SqliteStoreOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => SqliteMcuBuilderExtensions.UseSqliteStore(null!, "Data Source=x.db"));
    }

    [Fact]
    public async Task UseInMemoryStoreAfterSqlite_LastStoreWins()
    {
        var services = new ServiceCollection();
        services.AddMcu(mcu => mcu.UseSqliteStore("Data Source=" + _file).UseInMemoryStore());
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryAppealStore>(provider.GetRequiredService<IAppealStore>());
        Assert.False(File.Exists(_file));
    }

    [Fact]
    public async Task Desk_OnSqlite_KeepsAppealsRepliesAndClocksAcrossARestart()
    {
        Guid appealId;
        Guid answerId;
        await using (var provider = Compose())
        {
            var desk = provider.GetRequiredService<IAppealDesk>();
            var created = await desk.IngestAsync(Message("501:1", "501", "Яма на дороге у дома 5 [topic:roads]"));
            var followUp = await desk.IngestAsync(Message("501:2", "501", "Фото ямы"));
            appealId = created.Appeal.Id;
            Assert.Equal(IngestOutcome.Created, created.Outcome);
            Assert.Equal(IngestOutcome.FollowUp, followUp.Outcome);
            Assert.Equal(appealId, followUp.Appeal.Id);
            var answered = await desk.AnswerAsync(appealId, new UnitAnswer("Яму заделают до пятницы.", IsFinal: false));
            answerId = answered.Replies[^1].OutboxId;
            var pass = await provider.GetRequiredService<IReplyDispatcher>().DispatchDueAsync();
            Assert.Equal(2, pass.Delivered);
        }

        // A new process on the same file: everything is there, duplicates are still refused, the SLA monitor sees the appeal.
        await using (var provider = Compose())
        {
            var desk = provider.GetRequiredService<IAppealDesk>();
            var appeal = await desk.GetAsync(appealId);
            Assert.NotNull(appeal);
            Assert.Equal(AppealStatus.InProgress, appeal.Status);
            Assert.Equal(2, appeal.Messages.Count);
            Assert.NotNull(appeal.Deadlines);
            Assert.All(await desk.GetRepliesAsync(appealId), r => Assert.Equal(OutboxStatus.Delivered, r.Status));
            Assert.Contains(await desk.GetRepliesAsync(appealId), r => r.Id == answerId);
            Assert.Equal(IngestOutcome.Duplicate, (await desk.IngestAsync(Message("501:2", "501", "Фото ямы"))).Outcome);
            var next = await desk.IngestAsync(Message("777:1", "777", "Не горит фонарь [topic:landscaping]"));
            Assert.True(next.Appeal.Number > appeal.Number);

            _clock.Advance(TimeSpan.FromDays(40));
            var raised = await provider.GetRequiredService<SlaMonitor>().CheckAsync();
            Assert.True(raised > 0);
            Assert.NotEmpty((await desk.GetAsync(appealId))!.RaisedSlaSteps);
        }
    }

    [Fact]
    public async Task BuildReportAsync_DeskMadeAppeals_EqualsTheReportOverFullAppeals()
    {
        await using var provider = Compose();
        var desk = provider.GetRequiredService<IAppealDesk>();
        var store = (SqliteAppealStore)provider.GetRequiredService<IAppealStore>();
        var topics = new[] { "roads", "utilities", "waste", "landscaping" };
        for (var i = 0; i < 60; i++)
        {
            var marker = i % 11 == 0 ? "[oos]" : i % 7 == 0 ? "[urgent]" : string.Empty;
            var created = await desk.IngestAsync(Message($"c{i}:1", $"c{i}", $"Обращение {i} [topic:{topics[i % topics.Length]}] {marker}"));
            if (created.Appeal.Status == AppealStatus.Rejected)
            {
                continue;
            }

            if (i % 3 != 0)
            {
                _clock.Advance(TimeSpan.FromMinutes(17 * (i % 9)));
                await desk.AnswerAsync(created.Appeal.Id, new UnitAnswer("Принято в работу.", IsFinal: i % 2 == 0));
            }

            if (i % 4 == 0 && i % 2 == 0 && i % 3 != 0)
            {
                await desk.CloseAsync(created.Appeal.Id, "specialist");
                await desk.RateAsync(created.Appeal.Id, 1 + (i % 5));
            }

            _clock.Advance(TimeSpan.FromHours(3));
        }

        var now = _clock.GetUtcNow().AddDays(3);
        foreach (var (from, to) in new (DateTimeOffset?, DateTimeOffset?)[] { (null, null), (_clock.GetUtcNow().AddDays(-5), null), (null, _clock.GetUtcNow().AddDays(-2)) })
        {
            var full = (await AppealReport.BuildAsync(store, now, from, to)).ToJson();
            var fast = (await store.BuildReportAsync(now, from, to)).ToJson();
            Assert.Equal(full, fast);
        }
    }

    private ServiceProvider Compose()
    {
        var services = new ServiceCollection();
        services.AddMcu(mcu => mcu
            .UseTimeProvider(_clock)
            .UseSqliteStore("Data Source=" + _file)
            .UseClassifier(_ => new MarkerClassifier())
            .AddReplySender(_telegram));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private InboundMessage Message(string externalId, string conversation, string text) =>
        new(ChannelId.Telegram, externalId, conversation, new Author(conversation, "Иван Петров"), text, _clock.GetUtcNow());
}
