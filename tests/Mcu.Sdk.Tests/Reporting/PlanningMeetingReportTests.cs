using System.Text.Json;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Reporting;

public sealed class PlanningMeetingReportTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 0, 0, 0, Moscow);
    private static readonly PlanningMeetingReportOptions ReportOptions = new() { UnitName = id => id.ToUpperInvariant() };

    /// <summary>
    /// Monday 16 Nov 2026 from 09:00 Moscow time: A (roads) answered at 10:00; B (roads) never answered; C (waste) first answered at
    /// 15:00, two hours late; D (utilities) answered finally at 11:00; E refused as out of scope. The report is made at 17:00.
    /// </summary>
    private static async Task<(DeskFixture Fixture, PlanningMeetingReport Report)> KnownDayAsync()
    {
        var f = new DeskFixture();
        var a = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        var b = (await f.Desk.IngestAsync(f.Message("[topic:roads] ещё яма"))).Appeal;
        var c = (await f.Desk.IngestAsync(f.Message("[topic:waste] мусор"))).Appeal;
        var d = (await f.Desk.IngestAsync(f.Message("[topic:utilities] нет воды"))).Appeal;
        await f.Desk.IngestAsync(f.Message("[oos] посоветуйте сантехника"));
        f.Clock.Advance(TimeSpan.FromHours(1));
        await f.Desk.AnswerAsync(a.Id, new UnitAnswer("Принято.", false));
        f.Clock.Advance(TimeSpan.FromHours(1));
        await f.Desk.AnswerAsync(d.Id, new UnitAnswer("Воду дали.", true));
        f.Clock.Advance(TimeSpan.FromHours(4));
        await f.Desk.AnswerAsync(c.Id, new UnitAnswer("Вывезут завтра.", false));
        f.Clock.Advance(TimeSpan.FromHours(2));
        await f.Monitor.CheckAsync();
        Assert.Equal(AppealStatus.Routed, (await f.Desk.GetAsync(b.Id))!.Status);
        var report = await PlanningMeetingReport.BuildAsync(f.Store, f.Clock.GetUtcNow(), Monday, Monday.AddDays(1), ReportOptions);
        return (f, report);
    }

    [Fact]
    public async Task BuildAsync_KnownDay_ExactFiguresPerUnit()
    {
        var (f, report) = await KnownDayAsync();
        await using var _ = f;

        Assert.Equal(["transport-roads", "city-economy", "none"], report.Units.Select(u => u.UnitId));
        var roads = report.Units[0];
        Assert.Equal(("TRANSPORT-ROADS", 2, 1), (roads.UnitName, roads.Received, roads.OverdueCount));
        var overdue = Assert.Single(roads.Overdue);
        Assert.Equal(("first-answer", "operational", AppealStatus.Routed), (overdue.Clock, overdue.Policy, overdue.Status));
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 13, 0, 0, Moscow), overdue.DueAt);
        Assert.Equal(TimeSpan.FromHours(4), overdue.Overdue);
        Assert.Equal(TimeSpan.FromHours(3), overdue.OverdueBusiness); // 13:00–17:00 less lunch
        Assert.Equal("regional-centre", overdue.Escalation); // 150 % (16:00) was raised at 17:00
        Assert.Equal(TimeSpan.FromHours(4), roads.LongestOverdue);
        Assert.Equal(new SlaCompliance(2, 1, 0, 1), roads.Compliance);
        Assert.Equal(50.0, roads.Compliance.Percent);
        Assert.Equal(new BusinessHoursStatistics(1, 1, 1), roads.FirstAnswer);

        var economy = report.Units[1];
        Assert.Equal((2, 0), (economy.Received, economy.OverdueCount));
        Assert.Null(economy.LongestOverdue);
        var late = Assert.Single(economy.AnsweredLate);
        Assert.Equal(("first-answer", TimeSpan.FromHours(2), TimeSpan.FromHours(1)), (late.Clock, late.Late, late.LateBusiness));
        Assert.Equal(new SlaCompliance(3, 2, 1, 0), economy.Compliance); // C late; D's first answer and resolution in time
        Assert.Equal(new BusinessHoursStatistics(2, 3.5, 5), economy.FirstAnswer); // 2 h and 5 business hours

        Assert.Equal((1, 0), (report.Units[2].Received, report.Units[2].Compliance.Due));
        Assert.Equal((1, 1, false), (report.OverdueOpen, report.AnsweredLate, report.NoOverdue));
        Assert.Equal(new SlaCompliance(5, 3, 1, 1), report.Compliance);
        Assert.Equal(60.0, report.Compliance.Percent);
        Assert.Equal(new BusinessHoursStatistics(3, 2, 5), report.FirstAnswer);
        Assert.Equal([("first-answer", 4), ("resolution", 1)], report.ComplianceByClock.Select(r => (r.Key, r.Compliance.Due)));
        Assert.Equal([("roads", 2), ("utilities", 2), ("waste", 1)], report.ComplianceByTopic.Select(r => (r.Key, r.Compliance.Due)));
        Assert.Equal("telegram", Assert.Single(report.ComplianceByChannel).Key);
    }

    [Fact]
    public async Task Formats_KnownDay_JsonCsvAndMarkdownCarryTheFigures()
    {
        var (f, report) = await KnownDayAsync();
        await using var _ = f;

        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("overdueOpen").GetInt32());
        Assert.False(root.GetProperty("noOverdue").GetBoolean());
        Assert.Equal(60.0, root.GetProperty("compliance").GetProperty("percent").GetDouble());
        Assert.Equal("2026-11-16T00:00:00+03:00", root.GetProperty("period").GetProperty("from").GetString());
        var roads = root.GetProperty("units")[0];
        Assert.Equal("transport-roads", roads.GetProperty("unit").GetString());
        Assert.Equal(240.0, roads.GetProperty("longestOverdueMinutes").GetDouble());
        var item = roads.GetProperty("overdue")[0];
        Assert.Equal("2026-11-16T13:00:00+03:00", item.GetProperty("dueAt").GetString());
        Assert.Equal(180.0, item.GetProperty("overdueBusinessMinutes").GetDouble());
        Assert.Equal("first-answer", root.GetProperty("complianceByClock")[0].GetProperty("key").GetString());

        var csv = report.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("unit,name,received,overdue_open,longest_overdue_hours", csv[0], StringComparison.Ordinal);
        Assert.Equal("transport-roads,TRANSPORT-ROADS,2,1,4,0,2,1,0,1,50,1,1", csv[1]);
        Assert.Equal("city-economy,CITY-ECONOMY,2,0,,1,3,2,1,0,66.7,3.5,5", csv[2]);
        var overdueCsv = report.ToOverdueCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, overdueCsv.Length);
        Assert.EndsWith(",Routed,operational,first-answer,2026-11-16T13:00:00.0000000+03:00,4,3,regional-centre", overdueCsv[1], StringComparison.Ordinal);

        var md = report.ToMarkdown();
        Assert.Contains("**Overdue open appeals: 1** in 1 of 3 units.", md, StringComparison.Ordinal);
        Assert.Contains("Compliance: 60.0 % (3 of 5 clocks in time)", md, StringComparison.Ordinal);
        Assert.Contains("| transport-roads | TRANSPORT-ROADS | 2 | 1 | 04:00 | 0 | 50.0 % | 1 | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("### transport-roads — TRANSPORT-ROADS: 1", md, StringComparison.Ordinal);
        Assert.Contains("| first-answer | 2026-11-16 13:00 +03:00 | 04:00 | 03:00 | regional-centre |", md, StringComparison.Ordinal);
        Assert.Contains("## Answered late in the period", md, StringComparison.Ordinal);
        Assert.Contains("| waste | 1 | 0 | 1 | 0 | 0.0 % |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_EverythingInTime_NoOverdue()
    {
        await using var f = new DeskFixture();
        var appeal = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        f.Clock.Advance(TimeSpan.FromHours(1));
        await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Сделано.", true));
        f.Clock.Advance(TimeSpan.FromHours(10));

        var report = await PlanningMeetingReport.BuildAsync(f.Store, f.Clock.GetUtcNow(), Monday, Monday.AddDays(1));

        Assert.True(report.NoOverdue);
        Assert.Equal(100.0, report.Compliance.Percent);
        Assert.Contains("**No unit had a single overdue answer.**", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal("Europe/Moscow", report.TimeZone);
    }

    [Fact]
    public void Build_PausedAndClosedAppeals_OverdueStopsAtThePauseAndClosedCountOnlyAsMissed()
    {
        var engine = new SlaEngine(Microsoft.Extensions.Options.Options.Create(new SlaOptions()));
        var received = new DateTimeOffset(2026, 11, 16, 9, 0, 0, Moscow);
        Appeal Make(int number) => Start(engine, Some.Appeal(received) with { Id = Guid.CreateVersion7(), Number = number, UnitId = "mcu", Status = AppealStatus.Routed });

        // Paused at 15:00, two hours after its 13:00 deadline: overdue by two hours, however late the report.
        var paused = Make(1) with { Status = AppealStatus.AwaitingCitizen, ClockPausedAt = received.AddHours(6) };

        // Paused at 11:00, before its deadline: not overdue while it waits.
        var waiting = Make(2) with { Status = AppealStatus.AwaitingCitizen, ClockPausedAt = received.AddHours(2) };

        // Closed unanswered at 14:00: missed, but not overdue (it is not open).
        var closed = Make(3);
        closed = SlaEngine.Cancel(closed.TransitionTo(AppealStatus.Rejected, received.AddHours(5)), received.AddHours(5));

        var report = PlanningMeetingReport.Build([paused, waiting, closed], received.AddDays(1), Monday, Monday.AddDays(7));

        var unit = Assert.Single(report.Units);
        var item = Assert.Single(unit.Overdue);
        Assert.Equal((1, TimeSpan.FromHours(2)), (item.Number, item.Overdue));
        Assert.Equal(new SlaCompliance(2, 0, 0, 2), unit.Compliance);
        Assert.Equal(3, unit.Received);
    }

    [Fact]
    public void Build_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => PlanningMeetingReport.Build(null!, Monday));
        Assert.Throws<ArgumentException>(() => PlanningMeetingReport.Build([], Monday, Monday, Monday.AddDays(-1)));
        var report = PlanningMeetingReport.Build([], Monday);
        Assert.True(report.NoOverdue);
        Assert.Null(report.Compliance.Percent);
        Assert.Throws<ArgumentOutOfRangeException>(() => report.ToMarkdown(-1));
        Assert.Contains("| (none) | 0 | 0 | 0 | 0 | — |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    private static Appeal Start(SlaEngine engine, Appeal appeal) => engine.Start(appeal, engine.ComputeDeadlines(appeal), appeal.ReceivedAt);
}
