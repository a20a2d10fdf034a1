using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Custom weekly schedules, shortened days and host day entries.</summary>
public sealed class BusinessCalendarScheduleTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>A city whose Friday is 09:00–16:45 with a 48-minute lunch 13:00–13:48.</summary>
    private static BusinessCalendar ShortFridayCity()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Friday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(16, 45), new TimeOnly(13, 0), new TimeOnly(13, 48));
        return BusinessCalendar.Create(options);
    }

    [Fact]
    public void GetWorkingTime_CustomFriday_IsSixHoursFiftySevenMinutes()
    {
        // 09:00–13:00 (4 h) + 13:48–16:45 (2 h 57 min).
        Assert.Equal(new TimeSpan(6, 57, 0), ShortFridayCity().GetWorkingTime(new DateOnly(2025, 10, 24)));
    }

    [Fact]
    public void AddBusinessTime_CustomFriday_SkipsShortLunchAndEarlyClosing()
    {
        // Friday 12:00–13:00 (1 h), 13:48–16:45 (2 h 57 min): 3 h 57 min; the last 3 min are Monday 09:00–09:03.
        Assert.Equal(
            new DateTimeOffset(2025, 10, 27, 9, 3, 0, Moscow),
            ShortFridayCity().AddBusinessTime(new DateTimeOffset(2025, 10, 24, 12, 0, 0, Moscow), TimeSpan.FromHours(4)));
    }

    [Theory]
    [InlineData(13, 47, false)] // still lunch
    [InlineData(13, 48, true)] // lunch ends at 13:48
    [InlineData(16, 44, true)]
    [InlineData(16, 45, false)] // closing
    public void IsWorkingTime_CustomFriday_FollowsCustomHours(int hour, int minute, bool expected)
    {
        Assert.Equal(expected, ShortFridayCity().IsWorkingTime(new DateTimeOffset(2025, 10, 24, hour, minute, 0, Moscow)));
    }

    [Fact]
    public void GetWorkingTime_CustomFridayShortened_LosesOneHourAtTheEnd()
    {
        // 8 May 2026 is a pre-holiday Friday: 16:45 becomes 15:45, so 4 h + 1 h 57 min.
        var calendar = ShortFridayCity();
        Assert.Equal(new TimeSpan(5, 57, 0), calendar.GetWorkingTime(new DateOnly(2026, 5, 8)));
        Assert.False(calendar.IsWorkingTime(new DateTimeOffset(2026, 5, 8, 15, 45, 0, Moscow)));
        Assert.True(calendar.IsWorkingTime(new DateTimeOffset(2026, 5, 8, 15, 44, 0, Moscow)));
    }

    [Fact]
    public void GetWorkingTime_ReductionLongerThanAfternoon_CutsIntoMorning()
    {
        // 09:00–14:30 with lunch 13:00–14:00: a one-hour reduction removes 14:00–14:30 and then 12:30–13:00.
        var options = new BusinessCalendarOptions();
        options.Schedule.Thursday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(14, 30), new TimeOnly(13, 0), new TimeOnly(14, 0));
        var calendar = BusinessCalendar.Create(options);

        // 11 Jun 2026 (Thursday) is a pre-holiday day.
        Assert.Equal(new TimeSpan(3, 30, 0), calendar.GetWorkingTime(new DateOnly(2026, 6, 11)));
        Assert.Equal(
            new DateTimeOffset(2026, 6, 11, 12, 30, 0, Moscow),
            calendar.AddBusinessTime(new DateTimeOffset(2026, 6, 11, 12, 0, 0, Moscow), TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void GetWorkingTime_ZeroReduction_KeepsFullDay()
    {
        var calendar = BusinessCalendar.Create(new BusinessCalendarOptions { ShortenedDayReductionMinutes = 0 });
        Assert.Equal(TimeSpan.FromHours(8), calendar.GetWorkingTime(new DateOnly(2026, 4, 30)));
    }

    [Fact]
    public void GetWorkingTime_WorkingSaturday_UsesScheduleOfReplacedMonday()
    {
        // 1 Nov 2025 works as Monday (WorkAs in the embedded data). With Monday 08:00–17:00 (lunch 12:00–13:00), the shortened
        // Saturday is 08:00–16:00 minus lunch = 7 h.
        var options = new BusinessCalendarOptions();
        options.Schedule.Monday = DaySchedule.Create(new TimeOnly(8, 0), new TimeOnly(17, 0), new TimeOnly(12, 0), new TimeOnly(13, 0));
        var calendar = BusinessCalendar.Create(options);
        Assert.True(calendar.IsWorkingTime(new DateTimeOffset(2025, 11, 1, 8, 0, 0, Moscow)));
        Assert.False(calendar.IsWorkingTime(new DateTimeOffset(2025, 11, 1, 16, 0, 0, Moscow)));
        Assert.Equal(TimeSpan.FromHours(7), calendar.GetWorkingTime(new DateOnly(2025, 11, 1)));
    }

    [Fact]
    public void AdditionalDays_WorkingSundayWithoutWorkAs_UsesFirstWorkingDayOfWeek()
    {
        // Sunday 26 Oct 2025 declared working: Sunday has no weekly hours, so Monday's (the first working day) apply.
        var options = new BusinessCalendarOptions();
        options.Schedule.Monday = DaySchedule.Create(new TimeOnly(10, 0), new TimeOnly(12, 0));
        options.AdditionalDays.Add(new CalendarDayOverride { Date = new DateOnly(2025, 10, 26), Kind = CalendarDayKind.Working });
        var calendar = BusinessCalendar.Create(options);
        Assert.Equal(TimeSpan.FromHours(2), calendar.GetWorkingTime(new DateOnly(2025, 10, 26)));
        Assert.True(calendar.IsWorkingTime(new DateTimeOffset(2025, 10, 26, 10, 0, 0, Moscow)));
    }

    [Fact]
    public void AdditionalDays_WorkAsFriday_UsesFridayHours()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Friday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(16, 45), new TimeOnly(13, 0), new TimeOnly(13, 48));
        options.AdditionalDays.Add(new CalendarDayOverride
        {
            Date = new DateOnly(2025, 10, 25),
            Kind = CalendarDayKind.Working,
            WorkAs = DayOfWeek.Friday,
        });
        Assert.Equal(new TimeSpan(6, 57, 0), BusinessCalendar.Create(options).GetWorkingTime(new DateOnly(2025, 10, 25)));
    }

    [Fact]
    public void AdditionalDays_ExplicitHours_OverrideEverything()
    {
        // A special working day 10:00–14:00 on Saturday 25 Oct 2025.
        var options = new BusinessCalendarOptions();
        options.AdditionalDays.Add(new CalendarDayOverride
        {
            Date = new DateOnly(2025, 10, 25),
            Kind = CalendarDayKind.Working,
            Hours = DaySchedule.Create(new TimeOnly(10, 0), new TimeOnly(14, 0)),
        });
        var calendar = BusinessCalendar.Create(options);

        // Friday 17:00–18:00 (1 h), Saturday 10:00–11:00 (the second hour).
        Assert.Equal(
            new DateTimeOffset(2025, 10, 25, 11, 0, 0, Moscow),
            calendar.AddBusinessTime(new DateTimeOffset(2025, 10, 24, 17, 0, 0, Moscow), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AdditionalDays_DayOff_WinsOverProductionCalendarWorkingSaturday()
    {
        var options = new BusinessCalendarOptions();
        options.AdditionalDays.Add(new CalendarDayOverride { Date = new DateOnly(2025, 11, 1), Kind = CalendarDayKind.DayOff });
        Assert.False(BusinessCalendar.Create(options).IsWorkingDay(new DateOnly(2025, 11, 1)));
    }

    [Fact]
    public void AdditionalDays_Holiday_SkipsOrdinaryWeekday()
    {
        // Tuesday 21 Oct 2025 declared a regional holiday: Monday 17:00 + 2 h = Wednesday 10:00.
        var options = new BusinessCalendarOptions();
        options.AdditionalDays.Add(new CalendarDayOverride { Date = new DateOnly(2025, 10, 21), Kind = CalendarDayKind.Holiday, Name = "Региональный праздник" });
        Assert.Equal(
            new DateTimeOffset(2025, 10, 22, 10, 0, 0, Moscow),
            BusinessCalendar.Create(options).AddBusinessTime(new DateTimeOffset(2025, 10, 20, 17, 0, 0, Moscow), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AdditionalDays_Shortened_MakesDayOneHourShorter()
    {
        var options = new BusinessCalendarOptions();
        options.AdditionalDays.Add(new CalendarDayOverride { Date = new DateOnly(2025, 10, 21), Kind = CalendarDayKind.Shortened });
        Assert.Equal(TimeSpan.FromHours(7), BusinessCalendar.Create(options).GetWorkingTime(new DateOnly(2025, 10, 21)));
    }

    [Fact]
    public void Schedule_SixDayWeek_CountsSaturdayHours()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Saturday = DaySchedule.Create(new TimeOnly(10, 0), new TimeOnly(15, 0));
        var calendar = BusinessCalendar.Create(options);

        // Friday 17:00–18:00 (1 h), Saturday 10:00–11:00.
        Assert.Equal(
            new DateTimeOffset(2025, 10, 25, 11, 0, 0, Moscow),
            calendar.AddBusinessTime(new DateTimeOffset(2025, 10, 24, 17, 0, 0, Moscow), TimeSpan.FromHours(2)));
        // A holiday on Saturday still wins: 8 Mar 2025 is a Saturday.
        Assert.False(calendar.IsWorkingDay(new DateOnly(2025, 3, 8)));
    }

    [Fact]
    public void Schedule_SecondsInHours_AreKept()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Wednesday = DaySchedule.Create(new TimeOnly(9, 0, 30), new TimeOnly(17, 59, 45));
        Assert.Equal(new TimeSpan(8, 59, 15), BusinessCalendar.Create(options).GetWorkingTime(new DateOnly(2025, 10, 22)));
    }

    [Fact]
    public void Schedule_EndAtMidnight_MeansEndOfDay()
    {
        // 00:00 as End means 24:00: 18:00–24:00 is six hours.
        var options = new BusinessCalendarOptions();
        options.Schedule.Wednesday = DaySchedule.Create(new TimeOnly(18, 0), TimeOnly.MinValue);
        var calendar = BusinessCalendar.Create(options);
        Assert.Equal(TimeSpan.FromHours(6), calendar.GetWorkingTime(new DateOnly(2025, 10, 22)));
        Assert.True(calendar.IsWorkingTime(new DateTimeOffset(2025, 10, 22, 23, 59, 59, Moscow)));
    }
}
