using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Known answers of <see cref="BusinessCalendar.GetBusinessTime"/> on the default Moscow calendar.</summary>
public sealed class BusinessCalendarGetBusinessTimeTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private static BusinessCalendar Calendar => BusinessCalendar.Default;

    [Fact]
    public void GetBusinessTime_WholeOrdinaryDay_IsEightHours()
    {
        // 09:00–18:00 minus the lunch hour.
        Assert.Equal(TimeSpan.FromHours(8), Calendar.GetBusinessTime(At(2025, 10, 21, 0, 0), At(2025, 10, 22, 0, 0)));
    }

    [Fact]
    public void GetBusinessTime_OrdinaryWeek_IsFortyHours()
    {
        // Monday 20 Oct 2025 00:00 to Monday 27 Oct 00:00: five 8-hour days, no holiday.
        Assert.Equal(TimeSpan.FromHours(40), Calendar.GetBusinessTime(At(2025, 10, 20, 0, 0), At(2025, 10, 27, 0, 0)));
    }

    [Fact]
    public void GetBusinessTime_ShortenedDay_IsSevenHours()
    {
        // 30 Apr 2025 is a pre-holiday day: 09:00–17:00 minus lunch.
        Assert.Equal(TimeSpan.FromHours(7), Calendar.GetBusinessTime(At(2025, 4, 30, 0, 0), At(2025, 5, 1, 0, 0)));
        Assert.Equal(TimeSpan.FromHours(7), Calendar.GetWorkingTime(new DateOnly(2025, 4, 30)));
    }

    [Fact]
    public void GetBusinessTime_BothInsideLunch_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Calendar.GetBusinessTime(At(2025, 10, 21, 13, 10), At(2025, 10, 21, 13, 50)));
    }

    [Fact]
    public void GetBusinessTime_OverWeekend_CountsOnlyFridayAndMonday()
    {
        // Friday 17:00–18:00 (1 h) + Monday 09:00–11:00 (2 h).
        Assert.Equal(TimeSpan.FromHours(3), Calendar.GetBusinessTime(At(2025, 10, 24, 17, 0), At(2025, 10, 27, 11, 0)));
    }

    [Fact]
    public void GetBusinessTime_AcrossYearBoundary_SkipsNewYearHolidays()
    {
        // 30 Dec 2025 (8 h) and 12 Jan 2026 (8 h) are the only working days between 30 Dec 2025 and 13 Jan 2026.
        Assert.Equal(TimeSpan.FromHours(16), Calendar.GetBusinessTime(At(2025, 12, 30, 0, 0), At(2026, 1, 13, 0, 0)));
    }

    [Fact]
    public void GetBusinessTime_ReversedArguments_IsNegated()
    {
        var a = At(2025, 10, 24, 17, 0);
        var b = At(2025, 10, 27, 11, 0);
        Assert.Equal(TimeSpan.FromHours(-3), Calendar.GetBusinessTime(b, a));
        Assert.Equal(-Calendar.GetBusinessTime(a, b), Calendar.GetBusinessTime(b, a));
    }

    [Fact]
    public void GetBusinessTime_SameInstant_IsZero()
    {
        var a = At(2025, 10, 21, 10, 0);
        Assert.Equal(TimeSpan.Zero, Calendar.GetBusinessTime(a, a));
    }

    [Fact]
    public void GetBusinessTime_SameInstantInDifferentOffsets_IsZero()
    {
        // 10:00+03:00 and 07:00Z are the same instant.
        Assert.Equal(TimeSpan.Zero, Calendar.GetBusinessTime(At(2025, 10, 21, 10, 0), new DateTimeOffset(2025, 10, 21, 7, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void GetBusinessTime_SecondsAndFractions_AreKeptExactly()
    {
        var from = At(2025, 10, 21, 9, 0).AddTicks(1);
        var to = At(2025, 10, 21, 9, 0).AddSeconds(59.25);
        Assert.Equal(TimeSpan.FromSeconds(59.25) - TimeSpan.FromTicks(1), Calendar.GetBusinessTime(from, to));
    }

    [Fact]
    public void GetBusinessTime_TwoWholeYears_IsSumOfPublishedNorms()
    {
        // 2025 and 2026 each have a published norm of 1972 hours for a 40-hour week; with 8-hour days the calendar matches it.
        Assert.Equal(TimeSpan.FromHours(1972 * 2), Calendar.GetBusinessTime(At(2025, 1, 1, 0, 0), At(2027, 1, 1, 0, 0)));
    }

    [Fact]
    public void GetBusinessTime_InstantOutsideSupportedYears_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => Calendar.GetBusinessTime(At(2025, 1, 1, 0, 0), new DateTimeOffset(2300, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("to", ex.ParamName);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, Moscow);
}
