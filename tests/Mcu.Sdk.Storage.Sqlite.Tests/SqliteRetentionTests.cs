using Mcu.Sdk.Reporting;
using Mcu.Sdk.Storage.Sqlite.Internal;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>The retention purge: citizens' personal data anonymised after the retention period, statistics kept.</summary>
public sealed class SqliteRetentionTests : IDisposable
{
    private const string Phone = "+7 (918) 123-45-67";
    private const string Email = "anna.smirnova@example.ru";
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Звоните +7 (918) 123-45-67 после шести", "Звоните [телефон] после шести")]
    [InlineData("мой номер 89181234567.", "мой номер [телефон].")]
    [InlineData("тел. 8-918-123-45-67 или +7 918 765 43 21", "тел. [телефон] или [телефон]")]
    [InlineData("пишите на anna.smirnova@example.ru, отвечу", "пишите на [e-mail], отвечу")]
    [InlineData("Иван Петров из дома 12, квартира 45", "[имя] [имя] из дома 12, квартира 45")]
    [InlineData("ИВАН, вам ответили", "[имя], вам ответили")]
    [InlineData("Иванов переулок, дом 501", "Иванов переулок, дом [anonymized]")]
    [InlineData("заявка 15012 и дом 501а", "заявка 15012 и дом 501а")]
    public void Scrub_TextWithPersonalData_ReplacesOnlyPersonalData(string text, string expected)
    {
        var scrubber = PersonalData.For(Some.Appeal("501:7", author: "501", name: "Иван Петров") with { ConversationKey = "501", ReplyAddress = new ReplyAddress(ChannelId.Telegram, "501") });

        Assert.Equal(expected.Replace("[anonymized]", PersonalData.Placeholder, StringComparison.Ordinal), scrubber.Scrub(text));
    }

    [Fact]
    public async Task PurgePersonalDataAsync_AppealsClosedBeforeCutoff_AreAnonymisedAndStatisticsKept()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_folder.File("purge.db")));
        var old = await AddClosedAsync(store, "old", Some.T0, closedAt: Some.T0.AddDays(3));
        var recent = await AddClosedAsync(store, "recent", Some.T0.AddDays(40), closedAt: Some.T0.AddDays(45));
        var open = (await store.AddAsync(Some.Appeal("open", Some.T0.AddDays(1), $"Звоните {Phone}", conversation: "777", author: "777"), [])).Appeal;
        var now = Some.T0.AddDays(60);
        var reportBefore = (await AppealReport.BuildAsync(store, now)).ToJson();

        var purged = await store.PurgePersonalDataAsync(Some.T0.AddDays(30));

        Assert.Equal(1, purged);
        var anonymised = await store.GetAsync(old.Id);
        Assert.NotNull(anonymised);
        Assert.Equal(new Author(PersonalData.Placeholder), anonymised.Author);
        Assert.Equal(PersonalData.Placeholder, anonymised.ConversationKey);
        Assert.Equal(new ReplyAddress(ChannelId.Telegram, PersonalData.Placeholder), anonymised.ReplyAddress);
        Assert.StartsWith("anonymized:", anonymised.ExternalId, StringComparison.Ordinal);
        Assert.All(anonymised.Messages, m => Assert.StartsWith("anonymized:", m.ExternalId, StringComparison.Ordinal));
        var everyText = string.Join("\n", new[] { anonymised.Text }
            .Concat(anonymised.Messages.Select(m => m.Text))
            .Concat(anonymised.Replies.Select(r => r.Text))
            .Concat(anonymised.History.Select(h => h.Description)));
        foreach (var secret in new[] { Phone, Email, "Анна", "Смирнова", "old-chat", "citizen-42", "old:1", "old:2" })
        {
            Assert.DoesNotContain(secret, everyText, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("[телефон]", anonymised.Text, StringComparison.Ordinal);
        Assert.Contains("[e-mail]", anonymised.Messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("[имя]", anonymised.Replies[0].Text, StringComparison.Ordinal);
        Assert.Equal(old.Version + 1, anonymised.Version);
        Assert.Equal(AppealHistoryKind.Note, anonymised.History[^1].Kind);
        var outbox = Assert.Single(await store.GetOutboxAsync(old.Id));
        Assert.Equal(PersonalData.Placeholder, outbox.Address.ConversationId);
        Assert.DoesNotContain("Анна", outbox.Text, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Delivered, outbox.Status);

        // Untouched: the appeal closed after the cutoff and the open one.
        Assert.Equal(recent.Author, (await store.GetAsync(recent.Id))?.Author);
        Assert.Equal(open.Text, (await store.GetAsync(open.Id))?.Text);

        // Statistics are intact; the old message is still recognised as a duplicate; a second purge has nothing to do.
        Assert.Equal(reportBefore, (await AppealReport.BuildAsync(store, now)).ToJson());
        Assert.Equal(reportBefore, (await store.BuildReportAsync(now)).ToJson());
        Assert.Equal(old.Id, (await store.FindByMessageAsync(ChannelId.Telegram, "old:1"))?.Id);
        Assert.False((await store.AddAsync(Some.Appeal("old:2"), [])).Added);
        Assert.Equal([recent.Id], (await StoreFiles.ToListAsync(store.QueryAsync(new AppealQuery { Channel = ChannelId.Telegram, AuthorId = "citizen-42" }))).Select(a => a.Id));
        Assert.Equal(0, await store.PurgePersonalDataAsync(Some.T0.AddDays(30)));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.UpdateAsync(old with { Rating = 5 }, []));
    }

    [Fact]
    public async Task PurgePersonalDataAsync_MoreThanOneChunk_AnonymisesAll()
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_folder.File("many.db")));
        for (var i = 0; i < 450; i++)
        {
            var appeal = Some.Appeal($"m-{i}", Some.T0.AddMinutes(i), conversation: $"c-{i}", author: $"u-{i}") with
            {
                Status = AppealStatus.Closed,
                ClosedAt = Some.T0.AddDays(1).AddMinutes(i),
            };
            await store.AddAsync(appeal, []);
        }

        Assert.Equal(450, await store.PurgePersonalDataAsync(Some.T0.AddDays(10)));
        Assert.All(await StoreFiles.ToListAsync(store.QueryAsync(AppealQuery.All)), a => Assert.Equal(PersonalData.Placeholder, a.Author.Id));
    }

    [Fact]
    public async Task RetentionService_RetentionPeriodSet_PurgesAtStartAndEveryInterval()
    {
        var clock = new ManualTimeProvider(Some.T0.AddDays(100));
        var purges = new PurgeSignal();
        var options = StoreFiles.Options(_folder.File("retention.db"), o =>
        {
            o.RetentionPeriod = TimeSpan.FromDays(30);
            o.RetentionCheckInterval = TimeSpan.FromDays(1);
        });
        await using var store = new SqliteAppealStore(options, clock, purges.CreateLogger<SqliteAppealStore>());
        var services = new ServiceCollection().AddSingleton<IAppealStore>(store).BuildServiceProvider();
        var early = await AddClosedAsync(store, "early", Some.T0, closedAt: Some.T0.AddDays(60));
        var late = await AddClosedAsync(store, "late", Some.T0, closedAt: Some.T0.AddDays(70).AddHours(12));
        using var service = new SqliteRetentionService(services, Microsoft.Extensions.Options.Options.Create(options), clock, purges.CreateLogger<SqliteRetentionService>());

        await service.StartAsync(CancellationToken.None);
        await purges.NextAsync();
        Assert.Equal(PersonalData.Placeholder, (await store.GetAsync(early.Id))?.Author.Id);
        Assert.Equal("citizen-42", (await store.GetAsync(late.Id))?.Author.Id);

        await StoreFiles.WaitUntilAsync(() => clock.ActiveTimerCount == 1, "the service waits for the next interval");
        clock.Advance(TimeSpan.FromDays(1));
        await purges.NextAsync();
        Assert.Equal(PersonalData.Placeholder, (await store.GetAsync(late.Id))?.Author.Id);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RetentionService_NoRetentionPeriod_DoesNothing()
    {
        var clock = new ManualTimeProvider(Some.T0.AddDays(100));
        var options = StoreFiles.Options(_folder.File("keep.db"));
        await using var store = new SqliteAppealStore(options, clock);
        var services = new ServiceCollection().AddSingleton<IAppealStore>(store).BuildServiceProvider();
        var appeal = await AddClosedAsync(store, "kept", Some.T0, closedAt: Some.T0.AddDays(1));
        using var service = new SqliteRetentionService(services, Microsoft.Extensions.Options.Options.Create(options), clock, new PurgeSignal().CreateLogger<SqliteRetentionService>());

        await service.StartAsync(CancellationToken.None);
        await (service.ExecuteTask ?? Task.CompletedTask);

        Assert.Equal("citizen-42", (await store.GetAsync(appeal.Id))?.Author.Id);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    /// <summary>Adds a closed appeal with personal data everywhere: name, user id, phone and e-mail in texts, a delivered reply.</summary>
    private static async Task<Appeal> AddClosedAsync(SqliteAppealStore store, string key, DateTimeOffset receivedAt, DateTimeOffset closedAt)
    {
        var appeal = Some.Appeal($"{key}:1", receivedAt, $"Яма у дома 5, перезвоните мне: {Phone}", conversation: $"{key}-chat", author: "citizen-42", name: "Анна Смирнова");
        var reply = Some.Outbox(appeal, $"Здравствуйте, Анна! Ваше обращение принято. Мы позвоним по номеру {Phone}.");
        appeal = appeal with
        {
            Messages = [.. appeal.Messages, new AppealMessage($"{key}:2", $"Мой e-mail {Email}", receivedAt.AddMinutes(5))],
            Replies = [new AppealReply(reply.Id, ReplyKind.Acknowledgement, reply.Text, receivedAt, "system")],
            History =
            [
                new AppealHistoryEntry(receivedAt, AppealHistoryKind.Accepted, "Accepted from telegram."),
                new AppealHistoryEntry(receivedAt.AddMinutes(5), AppealHistoryKind.FollowUp, $"Follow-up {key}:2: 27 characters.", "citizen"),
            ],
            Status = AppealStatus.Closed,
            FirstAnsweredAt = receivedAt.AddHours(1),
            ResolvedAt = closedAt,
            ClosedAt = closedAt,
            Deadlines = new SlaDeadlines(receivedAt.AddHours(4), receivedAt.AddDays(30), "default"),
            Rating = 4,
            District = "Прикубанский",
        };
        var stored = (await store.AddAsync(appeal, [reply])).Appeal;
        var leased = Assert.Single(await store.LeaseOutboxAsync(closedAt, 10, TimeSpan.FromMinutes(1), "d"));
        Assert.True(await store.UpdateOutboxAsync(leased with { Status = OutboxStatus.Delivered, DeliveredParts = ["1"], CompletedAt = closedAt, LeaseOwner = null, LeaseExpiresAt = null }, "d"));
        return stored;
    }

    /// <summary>Completes a task each time the store logs a finished purge.</summary>
    private sealed class PurgeSignal : ILoggerProvider, ILogger
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task NextAsync()
        {
            Task waiting;
            lock (_gate)
            {
                waiting = _next.Task;
            }

            await waiting.WaitAsync(TimeSpan.FromSeconds(20));
            lock (_gate)
            {
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public ILogger<T> CreateLogger<T>() => new Logger<T>(new LoggerFactory([this]));

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 301)
            {
                lock (_gate)
                {
                    _next.TrySetResult();
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
