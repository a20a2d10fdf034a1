using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>The 24/7 calendar uses the same API: every moment is working time.</summary>
public sealed class BusinessCalendarAroundTheClockTests
{
    [Fact]
    public void AddBusinessTime_Utc_AddsElapsedTime()
    {
        // 1 Jan 2026 is a holiday, which does not matter around the clock.
        var start = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(3));
        var result = BusinessCalendar.AroundTheClock.AddBusinessTime(start, TimeSpan.FromHours(36));
        Assert.Equal(start.AddHours(36), result);
        Assert.Equal(TimeSpan.Zero, result.Offset);
    }

    [Fact]
    public void GetBusinessTime_Utc_IsElapsedTimeAndNegatesWhenReversed()
    {
        var a = new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero);
        var b = a.AddDays(3).AddSeconds(5);
        Assert.Equal(b - a, BusinessCalendar.AroundTheClock.GetBusinessTime(a, b));
        Assert.Equal(a - b, BusinessCalendar.AroundTheClock.GetBusinessTime(b, a));
    }

    [Fact]
    public void IsWorkingTime_AnyInstant_IsTrue()
    {
        var sunday = new DateTimeOffset(2025, 10, 26, 3, 0, 0, TimeSpan.Zero);
        Assert.True(BusinessCalendar.AroundTheClock.IsWorkingTime(sunday));
        Assert.Equal(sunday, BusinessCalendar.AroundTheClock.NextWorkingTime(sunday));
        Assert.True(BusinessCalendar.AroundTheClock.IsWorkingDay(new DateOnly(2026, 1, 1)));
        Assert.True(BusinessCalendar.AroundTheClock.IsAroundTheClock);
        Assert.False(BusinessCalendar.AroundTheClock.IsProvisional(2030));
    }

    [Fact]
    public void CreateAroundTheClock_Vladivostok_ResultsInLocalOffset()
    {
        var calendar = BusinessCalendar.CreateAroundTheClock("Asia/Vladivostok");
        var result = calendar.AddBusinessTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(90));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 11, 30, 0, TimeSpan.FromHours(10)), result);
        Assert.Equal(TimeSpan.FromHours(10), result.Offset);
    }

    [Fact]
    public void Create_AroundTheClockOption_IgnoresScheduleAndHolidays()
    {
        var calendar = BusinessCalendar.Create(new BusinessCalendarOptions { AroundTheClock = true, TimeZoneId = "Europe/Moscow" });
        Assert.True(calendar.IsAroundTheClock);
        Assert.Equal(TimeSpan.FromHours(24), calendar.GetWorkingTime(new DateOnly(2026, 1, 1)));
        Assert.Equal(
            TimeSpan.FromHours(48),
            calendar.GetBusinessTime(new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void CreateAroundTheClock_UnknownZone_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.CreateAroundTheClock("Mars/Olympus"));
        Assert.Equal("timeZoneId", ex.ParamName);
    }

    [Fact]
    public void AddBusinessTime_BeyondMaxValue_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => BusinessCalendar.AroundTheClock.AddBusinessTime(DateTimeOffset.MaxValue.AddDays(-1), TimeSpan.FromDays(2)));
    }
}
