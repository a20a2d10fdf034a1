using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Local working hours in several zones, including one with daylight-saving time.</summary>
public sealed class BusinessCalendarTimeZoneTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);
    private static readonly TimeSpan Kaliningrad = TimeSpan.FromHours(2);
    private static readonly TimeSpan Vladivostok = TimeSpan.FromHours(10);

    private static BusinessCalendar InZone(string zoneId, bool russianCalendar = true) =>
        BusinessCalendar.Create(new BusinessCalendarOptions { TimeZoneId = zoneId, UseRussianProductionCalendar = russianCalendar });

    [Fact]
    public void AddBusinessTime_Vladivostok_DeadlineIsInLocalTime()
    {
        // 07:30Z on Friday 20 Feb 2026 is 17:30 in Vladivostok (UTC+10). 17:30–18:00 gives 30 min; 21–23 Feb are off
        // (23 Feb, Monday, is a holiday); the other 30 min end on Tuesday 24 Feb at 09:30 local time.
        var result = InZone("Asia/Vladivostok").AddBusinessTime(new DateTimeOffset(2026, 2, 20, 7, 30, 0, TimeSpan.Zero), TimeSpan.FromHours(1));
        Assert.Equal(new DateTimeOffset(2026, 2, 24, 9, 30, 0, Vladivostok), result);
        Assert.Equal(Vladivostok, result.Offset);
        Assert.Equal(9, result.Hour);
    }

    [Fact]
    public void AddBusinessTime_Kaliningrad_StartGivenInMoscowTime()
    {
        // 17:30 Moscow is 16:30 in Kaliningrad (UTC+2). 16:30–18:00 gives 1.5 h; Monday 09:00–09:30 the rest.
        var result = InZone("Europe/Kaliningrad").AddBusinessTime(new DateTimeOffset(2025, 10, 24, 17, 30, 0, Moscow), TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2025, 10, 27, 9, 30, 0, Kaliningrad), result);
        Assert.Equal(Kaliningrad, result.Offset);
    }

    [Theory]
    [InlineData(7, 30, true, true, true)] // Moscow 10:30, Kaliningrad 09:30, Vladivostok 17:30
    [InlineData(9, 0, true, true, false)] // Moscow 12:00, Kaliningrad 11:00, Vladivostok 19:00
    [InlineData(5, 30, false, false, true)] // Moscow 08:30, Kaliningrad 07:30, Vladivostok 15:30
    [InlineData(10, 30, false, true, false)] // Moscow 13:30 (lunch), Kaliningrad 12:30, Vladivostok 20:30
    public void IsWorkingTime_SameInstant_DependsOnZone(int utcHour, int utcMinute, bool moscow, bool kaliningrad, bool vladivostok)
    {
        var instant = new DateTimeOffset(2025, 10, 21, utcHour, utcMinute, 0, TimeSpan.Zero);
        Assert.Equal(moscow, InZone("Europe/Moscow").IsWorkingTime(instant));
        Assert.Equal(kaliningrad, InZone("Europe/Kaliningrad").IsWorkingTime(instant));
        Assert.Equal(vladivostok, InZone("Asia/Vladivostok").IsWorkingTime(instant));
    }

    [Fact]
    public void NextWorkingTime_Vladivostok_YearBoundaryIsLocal()
    {
        // 14:30Z on 31 Dec 2025 is already 00:30 on 1 Jan 2026 in Vladivostok: the local New Year holidays apply, and the next
        // working moment is Monday 12 Jan 2026 09:00 local time.
        var next = InZone("Asia/Vladivostok").NextWorkingTime(new DateTimeOffset(2025, 12, 31, 14, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, Vladivostok), next);
    }

    [Fact]
    public void GetBusinessTime_Vladivostok_WholeYearMatchesPublishedNorm()
    {
        // Local midnights bound the local year: 1972 hours in 2026 wherever the centre is.
        var calendar = InZone("Asia/Vladivostok");
        Assert.Equal(
            TimeSpan.FromHours(1972),
            calendar.GetBusinessTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, Vladivostok), new DateTimeOffset(2027, 1, 1, 0, 0, 0, Vladivostok)));
    }

    [Fact]
    public void AddBusinessTime_BerlinSpringForward_WorkingHoursStayLocal()
    {
        // Europe/Berlin switches from +01:00 to +02:00 on Sunday 30 Mar 2025. Friday 17:00+01:00 + 2 h:
        // 17:00–18:00 Friday, then Monday 09:00–10:00 local, which is now +02:00.
        var result = InZone("Europe/Berlin", russianCalendar: false)
            .AddBusinessTime(new DateTimeOffset(2025, 3, 28, 17, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2025, 3, 31, 10, 0, 0, TimeSpan.FromHours(2)), result);
        Assert.Equal(TimeSpan.FromHours(2), result.Offset);
    }

    [Fact]
    public void AddBusinessTime_BerlinFallBack_WorkingHoursStayLocal()
    {
        // Berlin returns to +01:00 on Sunday 26 Oct 2025: Friday 24 Oct 17:00+02:00 + 2 h = Monday 27 Oct 10:00+01:00.
        var result = InZone("Europe/Berlin", russianCalendar: false)
            .AddBusinessTime(new DateTimeOffset(2025, 10, 24, 17, 0, 0, TimeSpan.FromHours(2)), TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2025, 10, 27, 10, 0, 0, TimeSpan.FromHours(1)), result);
    }

    [Fact]
    public void GetWorkingTime_BerlinWholeDaySchedule_HasRealLengthOnChangeDays()
    {
        // Working 00:00–24:00 every day: the spring-forward Sunday has 23 real hours, the fall-back Sunday 25.
        var options = new BusinessCalendarOptions { TimeZoneId = "Europe/Berlin", UseRussianProductionCalendar = false };
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            options.Schedule.SetDay(day, DaySchedule.Create(TimeOnly.MinValue, TimeOnly.MinValue));
        }

        var calendar = BusinessCalendar.Create(options);
        Assert.Equal(TimeSpan.FromHours(24), calendar.GetWorkingTime(new DateOnly(2025, 3, 29)));
        Assert.Equal(TimeSpan.FromHours(23), calendar.GetWorkingTime(new DateOnly(2025, 3, 30)));
        Assert.Equal(TimeSpan.FromHours(25), calendar.GetWorkingTime(new DateOnly(2025, 10, 26)));

        // The deadline 24 real hours after Saturday noon is Sunday 13:00 local.
        Assert.Equal(
            new DateTimeOffset(2025, 3, 30, 13, 0, 0, TimeSpan.FromHours(2)),
            calendar.AddBusinessTime(new DateTimeOffset(2025, 3, 29, 12, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromHours(24)));
    }

    [Fact]
    public void GetWorkingTime_BerlinHoursInsideSkippedHour_StartAfterTheGap()
    {
        // On 30 Mar 2025 Berlin skips 02:00–03:00. Hours 02:30–04:00: the non-existent 02:30 is read with the offset before the
        // change (+01:00), which is 03:30 in new local time, so only 03:30–04:00 (30 min) is worked.
        var options = new BusinessCalendarOptions { TimeZoneId = "Europe/Berlin", UseRussianProductionCalendar = false };
        options.Schedule.Sunday = DaySchedule.Create(new TimeOnly(2, 30), new TimeOnly(4, 0));
        var calendar = BusinessCalendar.Create(options);
        Assert.Equal(TimeSpan.FromMinutes(30), calendar.GetWorkingTime(new DateOnly(2025, 3, 30)));
        Assert.Equal(
            new DateTimeOffset(2025, 3, 30, 3, 30, 0, TimeSpan.FromHours(2)),
            calendar.NextWorkingTime(new DateTimeOffset(2025, 3, 30, 0, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void GetWorkingTime_BerlinHoursInsideRepeatedHour_UseFirstOccurrence()
    {
        // On 26 Oct 2025 Berlin repeats 02:00–03:00. Hours 02:30–03:30: 02:30 is its first occurrence (+02:00) and 03:30 is +01:00,
        // so two real hours are worked.
        var options = new BusinessCalendarOptions { TimeZoneId = "Europe/Berlin", UseRussianProductionCalendar = false };
        options.Schedule.Sunday = DaySchedule.Create(new TimeOnly(2, 30), new TimeOnly(3, 30));
        Assert.Equal(TimeSpan.FromHours(2), BusinessCalendar.Create(options).GetWorkingTime(new DateOnly(2025, 10, 26)));
    }
}
