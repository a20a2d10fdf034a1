using System.Text.Json;
using System.Text.RegularExpressions;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>
/// The same scripted days of a desk — intake, follow-ups, answers, clarifications, registration, forwarding, extensions,
/// closing, ratings, reopening, SLA steps, deliveries — on the in-memory store and on the SQLite store: every appeal, every
/// reply and the report must come out identical. Whatever the desk or the SLA engine sets, the store keeps.
/// </summary>
public sealed partial class DeskDifferentialTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 16, 6, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ScriptedDays_OnSqliteAndInMemory_ProduceIdenticalAppealsRepliesAndReports()
    {
        var memory = await RunAsync(null);
        var sqlite = await RunAsync(_folder.File("desk.db"));

        Assert.Equal(memory.Appeals.Count, sqlite.Appeals.Count);
        Assert.True(memory.Appeals.Count > 30, "The script opens more than 30 appeals.");
        for (var i = 0; i < memory.Appeals.Count; i++)
        {
            Assert.Equal(memory.Appeals[i], sqlite.Appeals[i]);
        }

        Assert.Equal(memory.Outbox.Count, sqlite.Outbox.Count);
        for (var i = 0; i < memory.Outbox.Count; i++)
        {
            Assert.Equal(memory.Outbox[i], sqlite.Outbox[i]);
        }

        Assert.Equal(memory.Report, sqlite.Report);
        Assert.Contains("\"RaisedSlaSteps\":[\"", string.Concat(memory.Appeals), StringComparison.Ordinal);
        Assert.Contains("\"ForwardedTo\":\"", string.Concat(memory.Appeals), StringComparison.Ordinal);
    }

    /// <summary>Runs the script on a store and returns every appeal, reply and the report as normalised JSON.</summary>
    private static async Task<(List<string> Appeals, List<string> Outbox, string Report)> RunAsync(string? sqliteFile)
    {
        var clock = new ManualTimeProvider(Start);
        var telegram = new RecordingReplySender(ChannelId.Telegram);
        var services = new ServiceCollection();
        services.AddMcu(mcu =>
        {
            mcu.UseTimeProvider(clock).UseClassifier(_ => new MarkerClassifier()).AddReplySender(telegram);
            if (sqliteFile is not null)
            {
                mcu.UseSqliteStore("Data Source=" + sqliteFile);
            }
        });
        await using var provider = services.BuildServiceProvider();
        var desk = provider.GetRequiredService<IAppealDesk>();
        var monitor = provider.GetRequiredService<SlaMonitor>();
        var dispatcher = provider.GetRequiredService<IReplyDispatcher>();
        var store = provider.GetRequiredService<IAppealStore>();
        var topics = new[] { "roads", "utilities", "waste", "landscaping", "public-transport" };
        var opened = new List<Guid>();
        for (var i = 0; i < 48; i++)
        {
            var marker = i % 13 == 5 ? " [oos]" : i % 7 == 3 ? " [urgent]" : string.Empty;
            var text = $"Обращение {i}: [topic:{topics[i % topics.Length]}]{marker} во дворе дома {i} проблема";
            var conversation = i % 4 == 3 ? $"c{i - 1}" : $"c{i}"; // every fourth message follows up the previous one
            var result = await desk.IngestAsync(new InboundMessage(ChannelId.Telegram, $"m{i}", conversation, new Author($"u{i % 17}", "Мария Иванова"), text, clock.GetUtcNow()));
            if (result.Outcome == IngestOutcome.Created)
            {
                opened.Add(result.Appeal.Id);
            }

            clock.Advance(TimeSpan.FromMinutes(41));
            if (i % 3 == 0)
            {
                await monitor.CheckAsync();
            }

            if (i % 4 == 0)
            {
                await dispatcher.DispatchDueAsync();
            }
        }

        for (var k = 0; k < opened.Count; k++)
        {
            var id = opened[k];
            await TryAsync(async () =>
            {
                switch (k % 9)
                {
                    case 0:
                        await desk.AnswerAsync(id, new UnitAnswer("Работы назначены на завтра.", IsFinal: false));
                        break;
                    case 1:
                        await desk.AnswerAsync(id, new UnitAnswer("Проблема устранена.", IsFinal: true));
                        await desk.RateAsync(id, 2);
                        break;
                    case 2:
                        await desk.RequestClarificationAsync(id, "Уточните, пожалуйста, номер подъезда.", "specialist");
                        clock.Advance(TimeSpan.FromHours(5));
                        var appeal = await desk.GetAsync(id);
                        await desk.IngestAsync(new InboundMessage(ChannelId.Telegram, $"m{k}-reply", appeal!.ConversationKey, appeal.Author, "Второй подъезд", clock.GetUtcNow()));
                        break;
                    case 3:
                        await desk.AnswerAsync(id, new UnitAnswer("Ответ по существу.", IsFinal: true));
                        await desk.CloseAsync(id, "specialist", "answered");
                        break;
                    case 4:
                        await desk.ForwardAsync(id, new AppealForwarding("Роспотребнадзор"), "specialist");
                        break;
                    case 5:
                        await desk.ExtendAsync(id, new DeadlineExtension(TimeSpan.FromDays(10), "нужна экспертиза"), "head");
                        break;
                    case 6:
                        await desk.RegisterAsync(id, "registry", $"МЦУ-{k}");
                        break;
                    case 7:
                        await desk.AssignAsync(id, "city-economy", "specialist");
                        break;
                    default:
                        await desk.RejectAsync(id, "specialist", "вне компетенции");
                        await desk.ReopenAsync(id, "head", "ошибочный отказ");
                        break;
                }
            });
            clock.Advance(TimeSpan.FromMinutes(23));
            if (k % 5 == 0)
            {
                await monitor.CheckAsync();
                await dispatcher.DispatchDueAsync();
            }
        }

        for (var day = 0; day < 6; day++)
        {
            clock.Advance(TimeSpan.FromHours(9));
            await monitor.CheckAsync();
            await dispatcher.DispatchDueAsync();
        }

        var appeals = new List<string>();
        var outbox = new List<string>();
        await foreach (var appeal in store.QueryAsync(AppealQuery.All))
        {
            appeals.Add(Normalize(JsonSerializer.Serialize(appeal)));
            foreach (var message in await store.GetOutboxAsync(appeal.Id))
            {
                // Conversations are delivered in parallel: the channel's message ids depend on the interleaving, not on the store.
                outbox.Add(Normalize(JsonSerializer.Serialize(message with { Sequence = 0, DeliveredParts = [.. message.DeliveredParts.Select(_ => "part")] })));
            }
        }

        var report = await AppealReport.BuildAsync(store, clock.GetUtcNow());
        return (appeals, outbox, report.ToJson());
    }

    /// <summary>Runs a desk operation; the policy may refuse some (an extension, a registration): both runs must refuse alike.</summary>
    private static async Task TryAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (ex is SlaOperationRefusedException or InvalidAppealTransitionException or InvalidOperationException)
        {
            // The same refusal happens on both stores; the comparison checks the outcome.
        }
    }

    /// <summary>Ids are random (version-7 GUIDs) in each run: replace them by their order of appearance.</summary>
    private static string Normalize(string json) => Guid().Replace(json, "<id>");

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}
