using System.Diagnostics;
using System.Globalization;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Reporting;
using Xunit.Abstractions;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>The report over a year of a city (about 75,000 appeals) from a SQLite file: index-backed, well under a second.</summary>
[Collection(HeavyTests.Name)]
public sealed class SqliteReportPerformanceTests(ITestOutputHelper output) : IDisposable
{
    private const int YearOfACity = 75_000;
    private static readonly DateTimeOffset YearStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(3));
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BuildReportAsync_YearOfACity_MatchesTheFullReportAndUsesTheReceiptIndex()
    {
        var file = _folder.File("year.db");
        var clock = Stopwatch.StartNew();
        await using (var writer = new SqliteAppealStore(StoreFiles.Options(file)))
        {
            // 64 concurrent producers: group commit stores the year in a few seconds.
            await Task.WhenAll(Enumerable.Range(0, 64).Select(p => Task.Run(async () =>
            {
                for (var i = p; i < YearOfACity; i += 64)
                {
                    await writer.AddAsync(AppealOfTheYear(i), []);
                }
            })));
        }

        var stored = clock.Elapsed;
        await using var store = new SqliteAppealStore(StoreFiles.Options(file));
        var now = YearStart.AddYears(1).AddDays(3);
        var quarter = (From: YearStart.AddMonths(3), To: YearStart.AddMonths(6));

        var first = await MeasureAsync(() => store.BuildReportAsync(now, YearStart, YearStart.AddYears(1)));
        var year = await MeasureAsync(() => store.BuildReportAsync(now, YearStart, YearStart.AddYears(1)));
        var full = await MeasureAsync(() => AppealReport.BuildAsync(store, now, YearStart, YearStart.AddYears(1)));
        var fastQuarter = await store.BuildReportAsync(now, quarter.From, quarter.To);
        var fullQuarter = await AppealReport.BuildAsync(store, now, quarter.From, quarter.To);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stored {YearOfACity} appeals in {stored.TotalSeconds:0.0} s ({YearOfACity / stored.TotalSeconds:0}/s, 64 producers)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"year report from the indexed columns: {year.Elapsed.TotalMilliseconds:0} ms (first run {first.Elapsed.TotalMilliseconds:0} ms)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"year report over full appeals (QueryAsync + AppealReport.BuildAsync): {full.Elapsed.TotalMilliseconds:0} ms"));
        Assert.Equal(YearOfACity, year.Report.Total);
        Assert.Equal(full.Report.ToJson(), year.Report.ToJson());
        Assert.Equal(fullQuarter.ToJson(), fastQuarter.ToJson());
        // Speed is a benchmark figure (printed above, reported in the notes), not a timed assertion; what the test pins is
        // that a period query is answered from the receipt index rather than a scan of the table.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = file, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN SELECT number FROM appeals WHERE received_at >= 0 AND received_at < 1 ORDER BY received_at, number";
        var plan = new System.Text.StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(3));
            }
        }

        Assert.Contains("ix_appeals_received", plan.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(AppealReport Report, TimeSpan Elapsed)> MeasureAsync(Func<ValueTask<AppealReport>> build)
    {
        var started = Stopwatch.GetTimestamp();
        var report = await build();
        return (report, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>One appeal of a city's year: channels, topics, units, statuses and answer times vary; texts as the desk stores them.</summary>
    private static Appeal AppealOfTheYear(int i)
    {
        var receivedAt = YearStart.AddMinutes(i * 7.0).AddSeconds(i % 60);
        var channel = (i % 5) switch { 0 => ChannelId.Telegram, 1 => ChannelId.Vk, 2 => ChannelId.Pos, 3 => ChannelId.Monitoring, _ => ChannelId.Ok };
        var topic = TopicCode.WellKnown[i % TopicCode.WellKnown.Count];
        var status = (i % 10) switch { 0 => AppealStatus.Rejected, 1 or 2 => AppealStatus.InProgress, 3 => AppealStatus.Answered, _ => AppealStatus.Closed };
        var answered = status is AppealStatus.Rejected ? (DateTimeOffset?)null : receivedAt.AddMinutes(20 + (i % 480));
        var appeal = Some.Appeal($"{channel}:{i}", receivedAt, $"Обращение {i}: во дворе дома {i % 300} по улице Садовой третий день не убирают снег, машины буксуют, пешеходы ходят по проезжей части.", conversation: (100_000 + (i % 9_000)).ToString(CultureInfo.InvariantCulture), author: (100_000 + (i % 9_000)).ToString(CultureInfo.InvariantCulture));
        return appeal with
        {
            Channel = channel,
            ReplyAddress = appeal.ReplyAddress with { Channel = channel },
            Number = i + 1,
            Classification = new AppealClassification(topic, null, i % 17 == 0, status == AppealStatus.Rejected, 0.8),
            UnitId = status == AppealStatus.Rejected ? null : $"unit-{i % 12}",
            Status = status,
            FoundByMonitoring = channel == ChannelId.Monitoring,
            Deadlines = new SlaDeadlines(receivedAt.AddHours(4), receivedAt.AddDays(30), "default"),
            FirstAnsweredAt = answered,
            ResolvedAt = status is AppealStatus.Answered or AppealStatus.Closed ? answered?.AddDays(i % 40) : null,
            ClosedAt = status is AppealStatus.Closed or AppealStatus.Rejected ? receivedAt.AddDays(1 + (i % 45)) : null,
            Rating = status == AppealStatus.Closed ? 1 + (i % 5) : null,
            History =
            [
                new AppealHistoryEntry(receivedAt, AppealHistoryKind.Accepted, $"Accepted from {channel}."),
                new AppealHistoryEntry(receivedAt, AppealHistoryKind.Classified, $"Classified as {topic} confidence=0.80."),
                new AppealHistoryEntry(receivedAt, AppealHistoryKind.Routed, $"Routed to unit-{i % 12} by rule {topic}."),
                new AppealHistoryEntry(receivedAt, AppealHistoryKind.StatusChanged, "New → Routed"),
                new AppealHistoryEntry(receivedAt, AppealHistoryKind.ReplyQueued, "Acknowledgement reply queued (142 characters)."),
            ],
            Replies = [new AppealReply(Guid.CreateVersion7(receivedAt), ReplyKind.Acknowledgement, $"Здравствуйте, Иван! Ваше обращение №{i + 1} принято и передано в ответственное подразделение. Ответ будет дан в установленный срок.", receivedAt, "system")],
        };
    }
}
