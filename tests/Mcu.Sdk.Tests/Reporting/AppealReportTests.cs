using System.Text.Json;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Reporting;

namespace Mcu.Sdk.Tests.Reporting;

public sealed class AppealReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 16, 9, 0, 0, TimeSpan.FromHours(3));

    // A known data set: five appeals with known answer times and deadlines.
    private static IReadOnlyList<Appeal> KnownSet()
    {
        Appeal Make(int n, string channel, string topic, string? unit, AppealStatus status, int? firstAnswerMinutes, bool urgent = false, bool oos = false) =>
            Some.Appeal(T0.AddMinutes(n)) with
            {
                Number = n,
                Channel = new ChannelId(channel),
                UnitId = unit,
                Status = status,
                Classification = new AppealClassification(new TopicCode(topic), null, urgent, oos, 0.9),
                FirstAnsweredAt = firstAnswerMinutes is { } m ? T0.AddMinutes(n + m) : null,
                Deadlines = unit is null ? null : new SlaDeadlines(T0.AddMinutes(n + 240), T0.AddMinutes(n).AddDays(30), "default"),
            };

        return
        [
            Make(1, "telegram", "roads", "transport-roads", AppealStatus.InProgress, 30),
            Make(2, "telegram", "roads", "transport-roads", AppealStatus.InProgress, 300), // answered late
            Make(3, "vk", "utilities", "city-economy", AppealStatus.InProgress, 60),
            Make(4, "pos", "utilities", "city-economy", AppealStatus.Routed, null), // unanswered
            Make(5, "vk", "other", null, AppealStatus.Rejected, null, oos: true),
        ];
    }

    [Fact]
    public void Build_KnownSet_ExactFigures()
    {
        var report = AppealReport.Build(KnownSet(), now: T0.AddHours(6));

        Assert.Equal(5, report.Total);
        Assert.Equal(new Dictionary<string, int> { ["telegram"] = 2, ["vk"] = 2, ["pos"] = 1 }, report.ByChannel);
        Assert.Equal(new Dictionary<string, int> { ["roads"] = 2, ["utilities"] = 2, ["other"] = 1 }, report.ByTopic);
        Assert.Equal(new Dictionary<string, int> { ["city-economy"] = 2, ["transport-roads"] = 2, ["none"] = 1 }, report.ByDepartment);
        Assert.Equal(3, report.ByStatus["InProgress"]);
        Assert.Equal(3, report.FirstAnswer.Count);
        Assert.Equal(130, report.FirstAnswer.AverageMinutes); // (30 + 300 + 60) / 3
        Assert.Equal(60, report.FirstAnswer.MedianMinutes);
        Assert.Equal(300, report.FirstAnswer.P90Minutes); // nearest rank: ceil(0.9 × 3) = 3rd
        // #2 answered after its 4 h deadline; #4 is still unanswered 6 h after receipt.
        Assert.Equal(new Dictionary<string, int> { ["city-economy"] = 1, ["transport-roads"] = 1 }, report.OverdueByDepartment);
        Assert.Equal(1, report.OutOfScope);
    }

    [Fact]
    public void Build_Period_FiltersByReceipt()
    {
        var report = AppealReport.Build(KnownSet(), T0.AddHours(6), from: T0.AddMinutes(2), to: T0.AddMinutes(4));
        Assert.Equal(2, report.Total);
        Assert.Equal(T0.AddMinutes(2), report.From);
    }

    [Fact]
    public void Build_Empty_NullStatistics()
    {
        var report = AppealReport.Build([], T0);
        Assert.Equal(0, report.Total);
        Assert.Null(report.FirstAnswer.MedianMinutes);
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("firstAnswer").GetProperty("p90Minutes").ValueKind);
    }

    [Fact]
    public void ToJson_HasTheDocumentedShape()
    {
        using var json = JsonDocument.Parse(AppealReport.Build(KnownSet(), T0.AddHours(6)).ToJson());
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("total").GetInt32());
        foreach (var name in new[] { "byChannel", "byTopic", "byDepartment", "byStatus", "overdueByDepartment" })
        {
            Assert.Equal(JsonValueKind.Object, root.GetProperty(name).ValueKind);
        }

        Assert.Equal(2, root.GetProperty("byChannel").GetProperty("telegram").GetInt32());
        var first = root.GetProperty("firstAnswer");
        Assert.Equal(130, first.GetProperty("averageMinutes").GetDouble());
        Assert.Equal(60, first.GetProperty("medianMinutes").GetDouble());
        Assert.Equal(300, first.GetProperty("p90Minutes").GetDouble());
    }

    [Fact]
    public void ToCsv_RowsPerSectionAndKey()
    {
        var csv = AppealReport.Build(KnownSet(), T0.AddHours(6)).ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,key,value", csv[0]);
        Assert.Contains("total,,5", csv);
        Assert.Contains("byChannel,telegram,2", csv);
        Assert.Contains("firstAnswer,p90Minutes,300", csv);
        Assert.Contains("overdueByDepartment,city-economy,1", csv);
    }

    [Fact]
    public void ToMarkdown_HasTables()
    {
        var md = AppealReport.Build(KnownSet(), T0.AddHours(6)).ToMarkdown();
        Assert.Contains("**Total: 5**", md, StringComparison.Ordinal);
        Assert.Contains("| telegram | 2 |", md, StringComparison.Ordinal);
        Assert.Contains("## overdueByDepartment", md, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswerTimeStatistics_EvenCount_MedianIsMeanOfMiddles()
    {
        var stats = AnswerTimeStatistics.From([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(100)]);
        Assert.Equal(30, stats.MedianMinutes);
        Assert.Equal(100, stats.P90Minutes);
        Assert.Equal(42.5, stats.AverageMinutes);
    }
}
