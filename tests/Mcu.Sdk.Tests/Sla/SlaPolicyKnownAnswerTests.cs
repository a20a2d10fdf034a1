using Mcu.Sdk.Classification;
using Mcu.Sdk.Sla;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Deadlines of whole policies (profiles, rules, urgency, calendars) checked against values worked out by hand.</summary>
public sealed class SlaPolicyKnownAnswerTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);
    private static readonly TimeSpan Kaliningrad = TimeSpan.FromHours(2);
    private static readonly TimeSpan Vladivostok = TimeSpan.FromHours(10);

    public static TheoryData<string, DateTimeOffset, DateTimeOffset> OperationalFirstAnswer => new()
    {
        // Friday 17:00: one hour on Friday, three on Monday morning.
        { "weekend", new DateTimeOffset(2026, 11, 20, 17, 0, 0, Moscow), new DateTimeOffset(2026, 11, 23, 12, 0, 0, Moscow) },
        // 11:30: 1.5 h before lunch, 2.5 h after it.
        { "lunch break", new DateTimeOffset(2026, 11, 16, 11, 30, 0, Moscow), new DateTimeOffset(2026, 11, 16, 16, 30, 0, Moscow) },
        // Tuesday 3 Nov 2026 is shortened (ends 17:00) before the 4 November holiday: 2 h, then Thursday 09:00–11:00.
        { "shortened day and holiday", new DateTimeOffset(2026, 11, 3, 15, 0, 0, Moscow), new DateTimeOffset(2026, 11, 5, 11, 0, 0, Moscow) },
        // Tuesday 30 Dec 2025 16:00: 2 h; 31 Dec 2025 is a transferred day off, 1–11 Jan 2026 are off; Monday 12 Jan 09:00–11:00.
        { "year boundary", new DateTimeOffset(2025, 12, 30, 16, 0, 0, Moscow), new DateTimeOffset(2026, 1, 12, 11, 0, 0, Moscow) },
        // Saturday 1 Nov 2025 is a transferred (shortened) working day: Friday 16:00–18:00, Saturday 09:00–11:00.
        { "transferred working Saturday", new DateTimeOffset(2025, 10, 31, 16, 0, 0, Moscow), new DateTimeOffset(2025, 11, 1, 11, 0, 0, Moscow) },
        // Received on Sunday: the clock starts on Monday at 09:00.
        { "received on a day off", new DateTimeOffset(2026, 11, 22, 23, 0, 0, Moscow), new DateTimeOffset(2026, 11, 23, 13, 0, 0, Moscow) },
    };

    [Theory]
    [MemberData(nameof(OperationalFirstAnswer))]
    public void ComputeDeadlines_Operational_FirstAnswerInFourBusinessHours(string scenario, DateTimeOffset receivedAt, DateTimeOffset expected)
    {
        var deadlines = Engine().ComputeDeadlines(Appeal(receivedAt));
        Assert.True(expected == deadlines.FirstAnswerDue, $"{scenario}: expected {expected:O}, got {deadlines.FirstAnswerDue:O}");
        Assert.Equal(Moscow, deadlines.FirstAnswerDue.Offset);
        Assert.Equal("operational", deadlines.PolicyName);
        Assert.Equal(SlaTimeMode.Business, deadlines.GetTimer(SlaTimerKind.FirstAnswer)!.Mode);
    }

    [Fact]
    public void ComputeDeadlines_OperationalUrgent_OneHourAroundTheClockOnSaturdayNight()
    {
        var receivedAt = new DateTimeOffset(2026, 11, 21, 23, 30, 0, Moscow);
        var deadlines = Engine().ComputeDeadlines(Appeal(receivedAt, urgent: true));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 30, 0, Moscow), deadlines.FirstAnswerDue);
        Assert.True(deadlines.IsUrgent);
        Assert.Equal(SlaTimeMode.AroundTheClock, deadlines.GetTimer(SlaTimerKind.FirstAnswer)!.Mode);

        // The resolution has no urgent variant: 30 calendar days to the end of Monday 21 Dec 2026 (21 Nov + 30 = Monday 21 Dec).
        Assert.Equal(new DateTimeOffset(2026, 12, 22, 0, 0, 0, Moscow), deadlines.ResolutionDue);
    }

    [Fact]
    public void ComputeDeadlines_OperationalResolutionEndingOnSunday_MovesToMonday()
    {
        // 16 Jan 2026 (Friday) + 30 days = Sunday 15 Feb: the term ends at the end of Monday 16 Feb.
        var deadlines = Engine().ComputeDeadlines(Appeal(new DateTimeOffset(2026, 1, 16, 10, 0, 0, Moscow)));
        Assert.Equal(new DateTimeOffset(2026, 2, 17, 0, 0, 0, Moscow), deadlines.ResolutionDue);
    }

    [Fact]
    public void ComputeDeadlines_Vladivostok_LocalHoursAndTheDefenderOfTheFatherlandDay()
    {
        // 07:30Z on Friday 20 Feb 2026 is 17:30 in Vladivostok: 0.5 h; Monday 23 Feb is a holiday; Tuesday 09:00–12:30.
        var engine = Engine(zone: "Asia/Vladivostok");
        var deadlines = engine.ComputeDeadlines(Appeal(new DateTimeOffset(2026, 2, 20, 7, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 2, 24, 12, 30, 0, Vladivostok), deadlines.FirstAnswerDue);
        Assert.Equal(Vladivostok, deadlines.FirstAnswerDue.Offset);
    }

    [Fact]
    public void ComputeDeadlines_Kaliningrad_StartGivenInMoscowTime()
    {
        // 17:30 Moscow on Friday 24 Oct 2025 is 16:30 in Kaliningrad: 1.5 h on Friday, 2.5 h on Monday from 09:00.
        var deadlines = Engine(zone: "Europe/Kaliningrad").ComputeDeadlines(Appeal(new DateTimeOffset(2025, 10, 24, 17, 30, 0, Moscow)));
        Assert.Equal(new DateTimeOffset(2025, 10, 27, 11, 30, 0, Kaliningrad), deadlines.FirstAnswerDue);
    }

    [Fact]
    public void ComputeDeadlines_Legal_RegistrationOverNewYearHolidaysAndProvisionalResolution()
    {
        // Received Monday 29 Dec 2025. Registration within 3 days: 1 Jan is a holiday and 1–11 Jan 2026 are off, so the term ends with
        // Monday 12 Jan. Not registered yet: the answer is provisionally counted from receipt: 29 Dec + 30 = Wednesday 28 Jan.
        var deadlines = Engine(legalChannel: "pos").ComputeDeadlines(Appeal(new DateTimeOffset(2025, 12, 29, 10, 0, 0, Moscow), channel: ChannelId.Pos));
        Assert.Equal("legal-59fz", deadlines.PolicyName);
        var registration = deadlines.GetTimer(SlaTimerKind.Registration)!;
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 0, 0, 0, Moscow), registration.DueAt);
        Assert.True(registration.IsRunning);
        Assert.Equal(new DateTimeOffset(2026, 1, 29, 0, 0, 0, Moscow), deadlines.ResolutionDue);
        Assert.Equal(deadlines.ResolutionDue, deadlines.FirstAnswerDue); // no first-answer clock in the legal regime
        Assert.Null(deadlines.GetTimer(SlaTimerKind.FirstAnswer));
        Assert.Null(deadlines.GetTimer(SlaTimerKind.Forwarding)); // recorded when the appeal is forwarded
    }

    [Fact]
    public void ComputeDeadlines_Rules_FirstMatchChoosesProfileAndTargets()
    {
        var options = new SlaOptions();
        options.Rules.Add(new SlaRule { Name = "urgent", Urgent = true, FirstAnswer = TimeSpan.FromMinutes(30) });
        options.Rules.Add(new SlaRule { Name = "official", Channels = { "pos" }, Profile = SlaProfiles.Legal59Fz });
        options.Rules.Add(new SlaRule { Name = "waste", Topics = { "waste" }, FirstAnswer = TimeSpan.FromHours(8) });
        var engine = new SlaEngine(Options.Create(options));
        var monday = new DateTimeOffset(2026, 11, 16, 9, 0, 0, Moscow);

        var urgentPos = engine.ComputeDeadlines(Appeal(monday, urgent: true, channel: ChannelId.Pos));
        Assert.Equal(("urgent", "operational"), (urgentPos.RuleName, urgentPos.PolicyName));
        Assert.Equal(monday.AddMinutes(30), urgentPos.FirstAnswerDue);

        var pos = engine.ComputeDeadlines(Appeal(monday, channel: ChannelId.Pos));
        Assert.Equal(("official", "legal-59fz"), (pos.RuleName, pos.PolicyName));

        var waste = engine.ComputeDeadlines(Appeal(monday, topic: TopicCode.Waste));
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 18, 0, 0, Moscow), waste.FirstAnswerDue); // 09–13 and 14–18

        var other = engine.ComputeDeadlines(Appeal(monday));
        Assert.Null(other.RuleName);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 13, 0, 0, Moscow), other.FirstAnswerDue);
    }

    [Fact]
    public void ComputeDeadlines_LongerTarget_NeverEarlierDeadline()
    {
        var random = new Random(59);
        var engine = Engine();
        for (var i = 0; i < 500; i++)
        {
            var receivedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(2 * 365 * 24 * 60));
            var shorter = TimeSpan.FromMinutes(random.Next(1, 60 * 24 * 10));
            var longer = shorter + TimeSpan.FromMinutes(random.Next(0, 60 * 24));
            var a = new SlaEngine(Options.Create(new SlaOptions { FirstAnswer = shorter })).ComputeDeadlines(Appeal(receivedAt));
            var b = new SlaEngine(Options.Create(new SlaOptions { FirstAnswer = longer })).ComputeDeadlines(Appeal(receivedAt));
            Assert.True(a.FirstAnswerDue <= b.FirstAnswerDue);
            Assert.Equal(engine.ComputeDeadlines(Appeal(receivedAt)).ResolutionDue, a.ResolutionDue);
        }
    }

    [Fact]
    public void GetEscalationPlan_Legal_StepsAtSharesOfTheTerm()
    {
        // Registered on receipt (Friday 16 Jan 2026 10:00): the answer is due at the end of Monday 16 Feb (31 days and 14 h later).
        var engine = Engine(legalChannel: "pos");
        var appeal = Appeal(new DateTimeOffset(2026, 1, 16, 10, 0, 0, Moscow), channel: ChannelId.Pos) with { RegisteredAt = new DateTimeOffset(2026, 1, 16, 10, 0, 0, Moscow) };
        appeal = appeal with { Deadlines = engine.ComputeDeadlines(appeal) };
        var plan = engine.GetEscalationPlan(appeal).Where(p => p.TimerKind == SlaTimerKind.Resolution).ToArray();
        Assert.Equal(["resolution:remind-unit", "resolution:unit-head", "resolution:centre-head", "resolution:regional-centre"], plan.Select(p => p.Key));
        var start = appeal.ReceivedAt;
        var span = new DateTimeOffset(2026, 2, 17, 0, 0, 0, Moscow) - start;
        Assert.Equal(start + (span / 2), plan[0].DueAt);
        Assert.Equal(new DateTimeOffset(2026, 2, 17, 0, 0, 0, Moscow), plan[2].DueAt);
        Assert.Equal(start + (span * 1.5), plan[3].DueAt);
        Assert.Equal([AppealEventKind.SlaWarning, AppealEventKind.SlaWarning, AppealEventKind.SlaBreached, AppealEventKind.SlaEscalated], plan.Select(p => p.EventKind));
        Assert.Equal(SlaAudiences.RegionalCentre, engine.FindEscalation(appeal, "resolution:regional-centre")!.Audience);
        Assert.DoesNotContain(engine.GetEscalationPlan(appeal), p => p.TimerKind == SlaTimerKind.Registration); // met on receipt
    }

    [Fact]
    public void GetTimers_DeadlinesOfACustomPolicy_ReadAsTwoAroundTheClockClocks()
    {
        var receivedAt = new DateTimeOffset(2026, 11, 16, 9, 0, 0, Moscow);
        var appeal = Appeal(receivedAt) with
        {
            Deadlines = new SlaDeadlines(receivedAt.AddHours(2), receivedAt.AddDays(5), "custom"),
            FirstAnsweredAt = receivedAt.AddHours(1),
        };
        var timers = SlaEngine.GetTimers(appeal);
        Assert.Equal([SlaTimerKind.FirstAnswer, SlaTimerKind.Resolution], timers.Select(t => t.Kind));
        Assert.Equal(receivedAt.AddHours(1), timers[0].MetAt);
        Assert.True(timers[1].IsRunning);
        Assert.Equal(TimeSpan.FromDays(5), timers[1].Target);

        // The default ladder (warning at 80 %, breach at 100 %) applies to a policy the engine does not know.
        var plan = Engine().GetEscalationPlan(appeal);
        Assert.Equal(["resolution:warning", "resolution:breach"], plan.Select(p => p.Key));
        Assert.Equal(receivedAt.AddDays(4), plan[0].DueAt);
    }

    [Fact]
    public void Deadlines_JsonRoundTrip_KeepsEveryClock()
    {
        var engine = Engine(legalChannel: "pos");
        var appeal = Appeal(new DateTimeOffset(2026, 1, 16, 10, 0, 0, Moscow), channel: ChannelId.Pos);
        appeal = engine.Start(appeal, engine.ComputeDeadlines(appeal), appeal.ReceivedAt);
        appeal = engine.Register(appeal, appeal.ReceivedAt.AddDays(1), "01-15/7", "registry", null) with { RaisedSlaSteps = ["registration:remind-unit"] };

        var json = System.Text.Json.JsonSerializer.Serialize(appeal);
        var copy = System.Text.Json.JsonSerializer.Deserialize<Appeal>(json)!;

        Assert.Equal(appeal.Deadlines, copy.Deadlines);
        Assert.Equal((appeal.RegisteredAt, appeal.RegistrationNumber), (copy.RegisteredAt, copy.RegistrationNumber));
        Assert.DoesNotContain("\"Key\"", json, StringComparison.Ordinal);
        Assert.NotEqual(appeal.Deadlines, appeal.Deadlines! with { Timers = [.. appeal.Deadlines.Timers.Skip(1)] });
    }

    internal static SlaEngine Engine(string? zone = null, string? legalChannel = null)
    {
        var options = new SlaOptions();
        if (zone is not null)
        {
            options.Calendars["default"] = new BusinessCalendarOptions { TimeZoneId = zone };
        }

        if (legalChannel is not null)
        {
            options.Rules.Add(new SlaRule { Name = "official", Channels = { legalChannel }, Profile = SlaProfiles.Legal59Fz });
        }

        return new SlaEngine(Options.Create(options));
    }

    internal static Appeal Appeal(DateTimeOffset receivedAt, bool urgent = false, ChannelId? channel = null, TopicCode? topic = null) =>
        Some.Appeal(receivedAt) with
        {
            Channel = channel ?? ChannelId.Telegram,
            Classification = new AppealClassification(topic ?? TopicCode.Roads, null, urgent, false, 0.9, []),
            Priority = urgent ? AppealPriority.Urgent : AppealPriority.Normal,
            Status = AppealStatus.Routed,
            UnitId = "transport-roads",
        };
}
