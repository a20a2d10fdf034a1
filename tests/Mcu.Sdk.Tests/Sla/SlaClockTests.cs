using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>The arithmetic of SLA clocks in each mode, with invariants over seeded random cases in three time zones.</summary>
public sealed class SlaClockTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    public static TheoryData<string, SlaTimeMode> ZonesAndModes
    {
        get
        {
            var data = new TheoryData<string, SlaTimeMode>();
            foreach (var zone in new[] { "Europe/Moscow", "Europe/Kaliningrad", "Asia/Vladivostok" })
            {
                foreach (var mode in Enum.GetValues<SlaTimeMode>())
                {
                    data.Add(zone, mode);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ZonesAndModes))]
    public void AddTime_LongerDuration_NeverEarlierDeadline(string zone, SlaTimeMode mode)
    {
        var calendar = Calendar(zone);
        var random = new Random(2026);
        for (var i = 0; i < 1000; i++)
        {
            var start = RandomInstant(random);
            var shorter = mode == SlaTimeMode.CalendarDays ? TimeSpan.FromDays(random.Next(1, 60)) : TimeSpan.FromMinutes(random.Next(1, 60 * 24 * 20));
            var longer = shorter + (mode == SlaTimeMode.CalendarDays ? TimeSpan.FromDays(random.Next(0, 5)) : TimeSpan.FromMinutes(random.Next(0, 60 * 24)));
            var a = SlaClock.AddTime(calendar, mode, start, shorter);
            var b = SlaClock.AddTime(calendar, mode, start, longer);
            Assert.True(a <= b, $"{mode} {start:O}: {shorter} → {a:O}, {longer} → {b:O}");
            Assert.True(a > start);
            Assert.Equal(calendar.TimeZone.GetUtcOffset(a.UtcDateTime), a.Offset);
        }
    }

    [Theory]
    [InlineData("Europe/Moscow", SlaTimeMode.Business)]
    [InlineData("Europe/Kaliningrad", SlaTimeMode.Business)]
    [InlineData("Asia/Vladivostok", SlaTimeMode.Business)]
    [InlineData("Asia/Vladivostok", SlaTimeMode.AroundTheClock)]
    public void AddTime_ThenGetTime_ReturnsTheDuration(string zone, SlaTimeMode mode)
    {
        var calendar = Calendar(zone);
        var random = new Random(480);
        for (var i = 0; i < 1000; i++)
        {
            var start = RandomInstant(random);
            var duration = TimeSpan.FromSeconds(random.Next(0, 60 * 60 * 24 * 30));
            Assert.Equal(duration, SlaClock.GetTime(calendar, mode, start, SlaClock.AddTime(calendar, mode, start, duration)));
        }
    }

    [Fact]
    public void AddTime_CalendarDays_EndsAtMidnightAfterTheLastDay()
    {
        var calendar = BusinessCalendar.Default;

        // Registered at 23:59 on Friday 16 Jan 2026: the term starts the next day; 30 days end with Sunday 15 Feb, moved to Monday 16 Feb.
        Assert.Equal(
            new DateTimeOffset(2026, 2, 17, 0, 0, 0, Moscow),
            SlaClock.AddTime(calendar, SlaTimeMode.CalendarDays, new DateTimeOffset(2026, 1, 16, 23, 59, 0, Moscow), TimeSpan.FromDays(30)));

        // 21:30Z on 16 Jan is 00:30 on 17 Jan in Moscow: the local date counts, and 17 Jan + 30 days is Monday 16 Feb.
        Assert.Equal(
            new DateTimeOffset(2026, 2, 17, 0, 0, 0, Moscow),
            SlaClock.AddTime(calendar, SlaTimeMode.CalendarDays, new DateTimeOffset(2026, 1, 16, 21, 30, 0, TimeSpan.Zero), TimeSpan.FromDays(30)));

        // A fraction of a day counts as a whole day; an around-the-clock calendar never moves a term to a working day.
        Assert.Equal(
            new DateTimeOffset(2026, 1, 18, 0, 0, 0, Moscow),
            SlaClock.AddTime(BusinessCalendar.CreateAroundTheClock("Europe/Moscow"), SlaTimeMode.CalendarDays, new DateTimeOffset(2026, 1, 16, 10, 0, 0, Moscow), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void GetTime_CalendarDays_CountsLocalDates()
    {
        var calendar = BusinessCalendar.Default;
        var monday = new DateTimeOffset(2026, 11, 16, 23, 0, 0, Moscow);
        Assert.Equal(TimeSpan.Zero, SlaClock.GetTime(calendar, SlaTimeMode.CalendarDays, monday.AddHours(-10), monday));
        Assert.Equal(TimeSpan.FromDays(2), SlaClock.GetTime(calendar, SlaTimeMode.CalendarDays, monday, monday.AddHours(26)));
        Assert.Equal(TimeSpan.FromDays(-2), SlaClock.GetTime(calendar, SlaTimeMode.CalendarDays, monday.AddHours(26), monday));
        Assert.Equal(new DateOnly(2026, 11, 17), SlaClock.GetLocalDate(calendar, new DateTimeOffset(2026, 11, 16, 21, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AddTime_BadArguments_Throw()
    {
        var start = new DateTimeOffset(2026, 1, 16, 10, 0, 0, Moscow);
        Assert.Throws<ArgumentNullException>(() => SlaClock.AddTime(null!, SlaTimeMode.Business, start, TimeSpan.FromHours(1)));
        foreach (var mode in Enum.GetValues<SlaTimeMode>())
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => SlaClock.AddTime(BusinessCalendar.Default, mode, start, TimeSpan.FromHours(-1)));
            Assert.Equal(start, SlaClock.AddTime(BusinessCalendar.Default, mode, start, TimeSpan.Zero));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => SlaClock.AddTime(BusinessCalendar.Default, (SlaTimeMode)42, start, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaClock.AddTime(BusinessCalendar.Default, SlaTimeMode.CalendarDays, new DateTimeOffset(2199, 12, 30, 0, 0, 0, Moscow), TimeSpan.FromDays(5)));
    }

    private static BusinessCalendar Calendar(string zone) => BusinessCalendar.Create(new BusinessCalendarOptions { TimeZoneId = zone });

    private static DateTimeOffset RandomInstant(Random random) =>
        new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.NextInt64(0, 2L * 365 * 24 * 3600));
}
