using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>
/// Known answers of <see cref="BusinessCalendar.AddBusinessTime"/> on the default calendar: Europe/Moscow (UTC+3, no DST),
/// Monday–Friday 09:00–18:00 with lunch 13:00–14:00, Russian production calendar 2025–2026.
/// </summary>
public sealed class BusinessCalendarAddBusinessTimeTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private static BusinessCalendar Calendar => BusinessCalendar.Default;

    [Fact]
    public void AddBusinessTime_WithinOneMorning_AddsWallClockTime()
    {
        // Tuesday 21 Oct 2025 is an ordinary working day: 09:30 + 2 h = 11:30, nothing to skip.
        Assert.Equal(At(2025, 10, 21, 11, 30), Calendar.AddBusinessTime(At(2025, 10, 21, 9, 30), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_CrossesLunch_SkipsLunchBreak()
    {
        // 12:30–13:00 gives 30 min, lunch 13:00–14:00 is skipped, the other 30 min end at 14:30.
        Assert.Equal(At(2025, 10, 21, 14, 30), Calendar.AddBusinessTime(At(2025, 10, 21, 12, 30), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_StartInsideLunch_CountsFromLunchEnd()
    {
        // 13:20 is lunch: the clock starts at 14:00, so 30 min end at 14:30.
        Assert.Equal(At(2025, 10, 21, 14, 30), Calendar.AddBusinessTime(At(2025, 10, 21, 13, 20), TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void AddBusinessTime_StartBeforeOpening_CountsFromOpening()
    {
        // 07:00 is before opening: the clock starts at 09:00, so 1 h ends at 10:00.
        Assert.Equal(At(2025, 10, 21, 10, 0), Calendar.AddBusinessTime(At(2025, 10, 21, 7, 0), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_StartAfterClosing_CountsFromNextMorning()
    {
        // Tuesday 19:00 is after closing: the clock starts Wednesday 09:00.
        Assert.Equal(At(2025, 10, 22, 10, 0), Calendar.AddBusinessTime(At(2025, 10, 21, 19, 0), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_CrossesWeekend_ContinuesOnMonday()
    {
        // Friday 24 Oct 2025 17:00–18:00 gives 1 h; Saturday and Sunday are off; Monday 27 Oct 09:00–11:00 gives the other 2 h.
        Assert.Equal(At(2025, 10, 27, 11, 0), Calendar.AddBusinessTime(At(2025, 10, 24, 17, 0), TimeSpan.FromHours(3)));
    }

    [Fact]
    public void AddBusinessTime_EndsExactlyAtClosing_ReturnsClosingTime()
    {
        // The deadline is the earliest instant with the full duration elapsed: Friday 18:00, not Monday 09:00.
        Assert.Equal(At(2025, 10, 24, 18, 0), Calendar.AddBusinessTime(At(2025, 10, 24, 17, 0), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_FortyHours_IsOneOrdinaryWeek()
    {
        // Five 8-hour days: Monday 20 Oct 2025 09:00 + 40 h = Friday 24 Oct 18:00.
        Assert.Equal(At(2025, 10, 24, 18, 0), Calendar.AddBusinessTime(At(2025, 10, 20, 9, 0), TimeSpan.FromHours(40)));
    }

    [Fact]
    public void AddBusinessTime_StartOnHolidayFollowedByTransferredDayOff_CountsFromMonday()
    {
        // 12 June 2025 (Thursday) is День России; 13 June is the day off transferred from 8 March (decree No. 1335);
        // 14–15 June is the weekend; the clock starts Monday 16 June 09:00.
        Assert.Equal(At(2025, 6, 16, 10, 0), Calendar.AddBusinessTime(At(2025, 6, 12, 10, 0), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_AcrossNewYearHolidays_ContinuesOnTwelfthOfJanuary()
    {
        // Tuesday 30 Dec 2025 17:00–18:00 gives 1 h. 31 Dec 2025 is a transferred day off (decree No. 1335), 1–8 Jan 2026 are
        // the New Year holidays, 9 Jan 2026 is the day off transferred from 3 Jan (decree No. 1466), 10–11 Jan the weekend.
        // The second hour is Monday 12 Jan 2026 09:00–10:00.
        Assert.Equal(At(2026, 1, 12, 10, 0), Calendar.AddBusinessTime(At(2025, 12, 30, 17, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_StartDuringNewYearHolidays_CountsFromFirstWorkingDay()
    {
        // 8 Jan 2026 is a holiday and 9 Jan a transferred day off: the first working moment of 2026 is Monday 12 Jan 09:00.
        Assert.Equal(At(2026, 1, 12, 10, 0), Calendar.AddBusinessTime(At(2026, 1, 8, 12, 0), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_ShortenedPreHolidayDay_EndsAtFive()
    {
        // 30 Apr 2025 is a pre-holiday day: 09:00–17:00. 16:00–17:00 gives 1 h; 1 May holiday, 2 May transferred day off,
        // 3–4 May weekend; the second hour is Monday 5 May 09:00–10:00.
        Assert.Equal(At(2025, 5, 5, 10, 0), Calendar.AddBusinessTime(At(2025, 4, 30, 16, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_ShortenedDayStartAfterFive_CountsFromNextWorkingDay()
    {
        // 17:30 on the shortened 30 Apr 2025 is already after closing (17:00).
        Assert.Equal(At(2025, 5, 5, 9, 30), Calendar.AddBusinessTime(At(2025, 4, 30, 17, 30), TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void AddBusinessTime_WorkingSaturday_CountsSaturdayHours()
    {
        // Saturday 1 Nov 2025 is a working day (its day off moved to Monday 3 Nov, decree No. 1335). Friday 31 Oct 17:00–18:00
        // gives 1 h, Saturday 09:00–10:00 the second.
        Assert.Equal(At(2025, 11, 1, 10, 0), Calendar.AddBusinessTime(At(2025, 10, 31, 17, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_ShortenedWorkingSaturday_EndsAtFiveThenSkipsHolidays()
    {
        // Saturday 1 Nov 2025 is also a pre-holiday day (09:00–17:00 with lunch). 16:00–17:00 gives 1 h; 2 Nov Sunday,
        // 3 Nov transferred day off, 4 Nov День народного единства; the second hour is Wednesday 5 Nov 09:00–10:00.
        Assert.Equal(At(2025, 11, 5, 10, 0), Calendar.AddBusinessTime(At(2025, 11, 1, 16, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_HolidayOnMonday_ContinuesOnTuesday()
    {
        // 2026: 21–23 Feb off (23 Feb, Monday, is День защитника Отечества). Friday 20 Feb 17:00 + 2 h = Tuesday 24 Feb 10:00.
        Assert.Equal(At(2026, 2, 24, 10, 0), Calendar.AddBusinessTime(At(2026, 2, 20, 17, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_HolidayOnSundayTransferredToMonday_ContinuesOnTuesday()
    {
        // 8 Mar 2026 is a Sunday, so Monday 9 Mar is a day off (Labour Code art. 112 part 2). Friday 6 Mar is an ordinary day.
        Assert.Equal(At(2026, 3, 10, 10, 0), Calendar.AddBusinessTime(At(2026, 3, 6, 17, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_ShortenedFridayBeforeVictoryDay_ContinuesOnTuesday()
    {
        // 8 May 2026 (Friday) is shortened to 17:00; 9–11 May are off (9 May is a Saturday, its day off moves to Monday 11 May).
        // 16:30–17:00 gives 30 min, the rest is Tuesday 12 May 09:00–09:30.
        Assert.Equal(At(2026, 5, 12, 9, 30), Calendar.AddBusinessTime(At(2026, 5, 8, 16, 30), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void AddBusinessTime_ZeroDuration_ReturnsStartUnchanged()
    {
        // Sunday: not working time, yet a zero duration does not move the start.
        var start = At(2025, 10, 26, 12, 0);
        Assert.Equal(start, Calendar.AddBusinessTime(start, TimeSpan.Zero));
    }

    [Fact]
    public void AddBusinessTime_StartGivenInUtc_ResultIsInCalendarOffset()
    {
        // 06:00Z is 09:00 in Moscow; the deadline is expressed with the calendar's +03:00 offset.
        var result = Calendar.AddBusinessTime(new DateTimeOffset(2025, 10, 21, 6, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));
        Assert.Equal(At(2025, 10, 21, 10, 0), result);
        Assert.Equal(Moscow, result.Offset);
        Assert.Equal(Moscow, Calendar.AddBusinessTime(new DateTimeOffset(2025, 10, 21, 6, 0, 0, TimeSpan.Zero), TimeSpan.Zero).Offset);
    }

    [Fact]
    public void AddBusinessTime_SecondsAndFractions_AreKeptExactly()
    {
        // Nothing is truncated: 09:00:17.5 + 1 h 0 min 1 s = 10:00:18.5.
        var start = At(2025, 10, 21, 9, 0).AddSeconds(17.5);
        var expected = At(2025, 10, 21, 10, 0).AddSeconds(18.5);
        Assert.Equal(expected, Calendar.AddBusinessTime(start, new TimeSpan(1, 0, 1)));
    }

    [Fact]
    public void AddBusinessTime_NegativeDuration_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddBusinessTime(At(2025, 10, 21, 9, 0), TimeSpan.FromMinutes(-1)));
        Assert.Equal("duration", ex.ParamName);
    }

    [Fact]
    public void AddBusinessTime_StartBeforeSupportedYears_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => Calendar.AddBusinessTime(new DateTimeOffset(1989, 6, 1, 12, 0, 0, Moscow), TimeSpan.FromHours(1)));
        Assert.Equal("start", ex.ParamName);
    }

    [Fact]
    public void AddBusinessTime_DeadlineAfterSupportedYears_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => Calendar.AddBusinessTime(new DateTimeOffset(2199, 12, 31, 12, 0, 0, Moscow), TimeSpan.FromHours(100)));
        Assert.Equal("duration", ex.ParamName);
    }

    [Fact]
    public void NextWorkingTime_AtClosing_ReturnsNextOpening()
    {
        // The end of a working period is not working time: Friday 18:00 → Monday 09:00.
        Assert.Equal(At(2025, 10, 27, 9, 0), Calendar.NextWorkingTime(At(2025, 10, 24, 18, 0)));
    }

    [Fact]
    public void NextWorkingTime_InsideWorkingHours_ReturnsSameInstant()
    {
        var instant = At(2025, 10, 24, 9, 0);
        Assert.Equal(instant, Calendar.NextWorkingTime(instant));
    }

    [Fact]
    public void NextWorkingTime_InsideLunch_ReturnsLunchEnd()
    {
        Assert.Equal(At(2025, 10, 24, 14, 0), Calendar.NextWorkingTime(At(2025, 10, 24, 13, 0)));
    }

    [Fact]
    public void NextWorkingTime_OnLastWorkingEveningOfYear_ReturnsFirstWorkingMomentOfNextYear()
    {
        // After 18:00 on 30 Dec 2025 the next working moment is Monday 12 Jan 2026 09:00 (see the New Year test above).
        Assert.Equal(At(2026, 1, 12, 9, 0), Calendar.NextWorkingTime(At(2025, 12, 30, 18, 0)));
    }

    [Theory]
    [InlineData(8, 59, false)] // before opening
    [InlineData(9, 0, true)] // opening is inclusive
    [InlineData(12, 59, true)]
    [InlineData(13, 0, false)] // lunch starts
    [InlineData(13, 59, false)]
    [InlineData(14, 0, true)] // lunch ends
    [InlineData(17, 59, true)]
    [InlineData(18, 0, false)] // closing is exclusive
    public void IsWorkingTime_OrdinaryTuesday_FollowsWorkingHours(int hour, int minute, bool expected)
    {
        Assert.Equal(expected, Calendar.IsWorkingTime(At(2025, 10, 21, hour, minute)));
    }

    [Theory]
    [InlineData(2025, 1, 9, true)] // first working day of 2025
    [InlineData(2025, 1, 8, false)] // New Year holidays
    [InlineData(2025, 2, 24, true)] // 23 Feb fell on Sunday, its day off moved to 8 May, so 24 Feb works
    [InlineData(2025, 5, 8, false)] // transferred from 23 Feb
    [InlineData(2025, 11, 1, true)] // working Saturday
    [InlineData(2025, 11, 3, false)] // transferred from 1 Nov
    [InlineData(2025, 12, 31, false)] // transferred from 5 Jan
    [InlineData(2026, 1, 9, false)] // transferred from 3 Jan
    [InlineData(2026, 3, 9, false)] // 8 Mar on Sunday → Monday off
    [InlineData(2026, 5, 11, false)] // 9 May on Saturday → Monday off
    [InlineData(2026, 12, 31, false)] // transferred from 4 Jan
    [InlineData(2026, 12, 30, true)]
    public void IsWorkingDay_ProductionCalendarDates_MatchDecrees(int year, int month, int day, bool expected)
    {
        Assert.Equal(expected, Calendar.IsWorkingDay(new DateOnly(year, month, day)));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, Moscow);
}
