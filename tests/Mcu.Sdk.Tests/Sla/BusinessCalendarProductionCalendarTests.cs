using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>
/// The embedded Russian production calendar against the published totals.
/// Sources: 2025 — Government Decree of 04.10.2024 No. 1335 (247 working days; shortened 7 Mar, 30 Apr, 11 Jun, 1 Nov;
/// 1972 hours = 247 × 8 − 4); 2026 — Government Decree of 24.09.2025 No. 1466 (247 working days, 118 days of rest,
/// 1972 hours, as reported by RIA Novosti on 27.01.2026; shortened 30 Apr, 8 May, 11 Jun, 3 Nov).
/// </summary>
public sealed class BusinessCalendarProductionCalendarTests
{
    [Theory]
    [InlineData(2025, 247, 1972)]
    [InlineData(2026, 247, 1972)]
    public void DefaultCalendar_DecreeYear_MatchesPublishedWorkingDaysAndHours(int year, int workingDays, int hours)
    {
        // The default schedule is the standard 40-hour week (8-hour days), for which the norms are published.
        var (days, time) = CountYear(BusinessCalendar.Default, year);
        Assert.Equal(workingDays, days);
        Assert.Equal(TimeSpan.FromHours(hours), time);
    }

    [Fact]
    public void DefaultCalendar_ProvisionalYear2027_HasLabourCodeHolidaysOnly()
    {
        // 2027 without a decree: 261 weekdays minus the holidays on weekdays (1, 4–8 Jan, 23 Feb, 8 Mar, 4 Nov) = 252 days;
        // five pre-holiday days (22 Feb, 30 Apr, 11 Jun, 3 Nov, 31 Dec) make 252 × 8 − 5 = 2011 hours.
        var (days, time) = CountYear(BusinessCalendar.Default, 2027);
        Assert.Equal(252, days);
        Assert.Equal(TimeSpan.FromHours(2011), time);
    }

    [Fact]
    public void EmbeddedYears_WithPublishedTotals_MatchTheirOwnPublishedTotals()
    {
        var checkedYears = 0;
        foreach (var entry in ProductionCalendar.Russia.Entries.Where(e => e.PublishedWorkingDays is not null))
        {
            var (days, time) = CountYear(BusinessCalendar.Default, entry.Year);
            Assert.Equal(entry.PublishedWorkingDays, days);
            Assert.Equal(TimeSpan.FromHours(entry.PublishedHoursAt40HourWeek!.Value), time);
            checkedYears++;
        }

        Assert.Equal(2, checkedYears);
    }

    [Fact]
    public void DefaultCalendar_November2025_HasNineteenWorkingDays()
    {
        // Published: November 2025 has 19 working days (the working Saturday 1 Nov counts, 3 and 4 Nov do not).
        var count = Enumerable.Range(1, 30).Count(d => BusinessCalendar.Default.IsWorkingDay(new DateOnly(2025, 11, d)));
        Assert.Equal(19, count);
    }

    [Theory]
    [InlineData(2025, false)]
    [InlineData(2026, false)]
    [InlineData(2027, true)] // marked provisional in the embedded file
    [InlineData(2024, true)] // not in the embedded file
    [InlineData(2100, true)]
    public void IsProvisional_EmbeddedCalendar_ReflectsDecreeData(int year, bool expected)
    {
        Assert.Equal(expected, BusinessCalendar.Default.IsProvisional(year));
        Assert.Equal(expected, ProductionCalendar.Russia.IsProvisional(year));
    }

    [Fact]
    public void IsProvisional_YearOutsideSupportedRange_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BusinessCalendar.Default.IsProvisional(BusinessCalendar.MaxSupportedYear + 1));
    }

    [Fact]
    public void Russia_EachYear_NamesItsSources()
    {
        var russia = ProductionCalendar.Russia;
        Assert.Equal([2025, 2026, 2027], russia.Years);
        Assert.Contains(russia.FindYear(2025)!.Sources, s => s.Contains("№ 1335", StringComparison.Ordinal) && s.Contains("04.10.2024", StringComparison.Ordinal));
        Assert.Contains(russia.FindYear(2026)!.Sources, s => s.Contains("№ 1466", StringComparison.Ordinal) && s.Contains("24.09.2025", StringComparison.Ordinal));
        Assert.All(russia.Entries, e => Assert.Contains(e.Sources, s => s.Contains("ст. 112", StringComparison.Ordinal)));
    }

    [Fact]
    public void Russia_2025_RecordsWorkingSaturdayAsShortenedMondaySchedule()
    {
        var day = Assert.Single(ProductionCalendar.Russia.GetDays(2025), d => d.Date == new DateOnly(2025, 11, 1));
        Assert.Equal(CalendarDayKind.Shortened, day.Kind);
        Assert.Equal(DayOfWeek.Monday, day.WorkAs);
    }

    [Theory]
    [InlineData(2025, new[] { "2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01" })]
    [InlineData(2026, new[] { "2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03" })]
    public void Russia_ShortenedDays_MatchPublishedLists(int year, string[] expected)
    {
        var shortened = ProductionCalendar.Russia.GetDays(year)
            .Where(d => d.Kind == CalendarDayKind.Shortened)
            .Select(d => d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, shortened);
    }

    [Fact]
    public void Russia_Provisional2027_EqualsTheLabourCodeFallback()
    {
        // The embedded provisional year and the computed fallback for a year without data follow the same rule.
        var embedded = ProductionCalendar.Russia.GetDays(2027).Select(d => (d.Date, d.Kind));
        var fallback = ProductionCalendar.Empty.GetDays(2027).Select(d => (d.Date, d.Kind));
        Assert.Equal(fallback, embedded);
    }

    [Fact]
    public void Empty_YearWithoutData_HasFourteenLabourCodeHolidays()
    {
        // Labour Code art. 112 part 1: 1–8 Jan, 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun, 4 Nov.
        var holidays = ProductionCalendar.Empty.GetDays(2030).Where(d => d.Kind == CalendarDayKind.Holiday).ToList();
        Assert.Equal(14, holidays.Count);
        Assert.Contains(holidays, d => d.Date == new DateOnly(2030, 11, 4));
        Assert.DoesNotContain(ProductionCalendar.Empty.GetDays(2030), d => d.Kind == CalendarDayKind.DayOff);
    }

    [Fact]
    public void DefaultCalendar_ProvisionalYear_HolidayOnWeekendIsNotTransferred()
    {
        // 2027 is provisional. 9 May 2027 is a Sunday; art. 112 part 2 would move its day off to Monday 10 May, but transfers
        // are set by decree, so the provisional year does not guess them and 10 May stays a working day.
        Assert.False(BusinessCalendar.Default.IsWorkingDay(new DateOnly(2027, 5, 9)));
        Assert.True(BusinessCalendar.Default.IsWorkingDay(new DateOnly(2027, 5, 10)));
    }

    private static (int Days, TimeSpan Time) CountYear(BusinessCalendar calendar, int year)
    {
        var days = 0;
        var time = TimeSpan.Zero;
        for (var date = new DateOnly(year, 1, 1); date.Year == year; date = date.AddDays(1))
        {
            var working = calendar.GetWorkingTime(date);
            if (working > TimeSpan.Zero)
            {
                days++;
                time += working;
            }
        }

        // The same total through the interval search: from local midnight of 1 January to that of the next year.
        var zone = calendar.TimeZone;
        var from = new DateTimeOffset(new DateTime(year, 1, 1), zone.GetUtcOffset(new DateTime(year, 1, 1)));
        var to = new DateTimeOffset(new DateTime(year + 1, 1, 1), zone.GetUtcOffset(new DateTime(year + 1, 1, 1)));
        Assert.Equal(time, calendar.GetBusinessTime(from, to));
        return (days, time);
    }
}
