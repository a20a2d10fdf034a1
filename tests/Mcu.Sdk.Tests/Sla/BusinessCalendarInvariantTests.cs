using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Properties that must hold for any instant and duration, checked over many seeded random cases.</summary>
public sealed class BusinessCalendarInvariantTests
{
    public static TheoryData<string> Calendars => ["moscow", "vladivostok", "kaliningrad-short-friday", "berlin-dst", "around-the-clock"];

    [Theory]
    [MemberData(nameof(Calendars))]
    public void AddBusinessTime_ThenGetBusinessTime_ReturnsTheDuration(string name)
    {
        var calendar = Build(name);
        var random = new Random(20251024);
        for (var i = 0; i < 2000; i++)
        {
            var start = RandomInstant(random);
            var duration = RandomDuration(random);
            var deadline = calendar.AddBusinessTime(start, duration);

            Assert.Equal(duration, calendar.GetBusinessTime(start, deadline));
            Assert.Equal(-duration, calendar.GetBusinessTime(deadline, start));
            Assert.True(deadline >= start);
            Assert.Equal(calendar.TimeZone.GetUtcOffset(deadline.UtcDateTime), deadline.Offset);
            if (duration > TimeSpan.Zero)
            {
                // The earliest such instant: the tick before it is still working time.
                Assert.True(calendar.IsWorkingTime(deadline.AddTicks(-1)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void AddBusinessTime_LongerDuration_NeverGivesEarlierDeadline(string name)
    {
        var calendar = Build(name);
        var random = new Random(4242);
        for (var i = 0; i < 1000; i++)
        {
            var start = RandomInstant(random);
            var shorter = RandomDuration(random);
            var longer = shorter + TimeSpan.FromTicks(random.NextInt64(0, TimeSpan.TicksPerDay));
            Assert.True(calendar.AddBusinessTime(start, shorter) <= calendar.AddBusinessTime(start, longer));
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void GetBusinessTime_SplitAtAnyPoint_IsAdditive(string name)
    {
        var calendar = Build(name);
        var random = new Random(1466);
        for (var i = 0; i < 1000; i++)
        {
            var points = new[] { RandomInstant(random), RandomInstant(random), RandomInstant(random) };
            Array.Sort(points);
            Assert.Equal(
                calendar.GetBusinessTime(points[0], points[2]),
                calendar.GetBusinessTime(points[0], points[1]) + calendar.GetBusinessTime(points[1], points[2]));
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void GetBusinessTime_ShortSpan_EqualsMinuteByMinuteCount(string name)
    {
        // An independent count: every schedule here changes state only on whole minutes, so the working time of a span that starts
        // on a whole minute is the number of minutes whose first instant is working time.
        var calendar = Build(name);
        var random = new Random(1335);
        for (var i = 0; i < 60; i++)
        {
            var start = RandomInstant(random);
            start = start.AddTicks(-(start.UtcTicks % TimeSpan.TicksPerMinute));
            var minutes = random.Next(1, 3 * 24 * 60);
            var working = 0;
            for (var m = 0; m < minutes; m++)
            {
                if (calendar.IsWorkingTime(start.AddMinutes(m)))
                {
                    working++;
                }
            }

            Assert.Equal(TimeSpan.FromMinutes(working), calendar.GetBusinessTime(start, start.AddMinutes(minutes)));
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void NextWorkingTime_AnyInstant_IsWorkingAndNothingWorkingBefore(string name)
    {
        var calendar = Build(name);
        var random = new Random(112);
        for (var i = 0; i < 1000; i++)
        {
            var instant = RandomInstant(random);
            var next = calendar.NextWorkingTime(instant);
            Assert.True(next >= instant);
            Assert.True(calendar.IsWorkingTime(next));
            Assert.Equal(TimeSpan.Zero, calendar.GetBusinessTime(instant, next));
            Assert.Equal(calendar.IsWorkingTime(instant), next == instant);
        }
    }

    [Fact]
    public void AddBusinessTime_ConcurrentFirstUse_MatchesSequentialResults()
    {
        // Many threads build the same years at once on a fresh calendar; the answers must equal those of a calendar used by one thread.
        var random = new Random(7);
        var cases = Enumerable.Range(0, 4000).Select(_ => (Start: RandomInstant(random), Duration: RandomDuration(random))).ToArray();
        var sequential = Build("moscow");
        var expected = cases.Select(c => sequential.AddBusinessTime(c.Start, c.Duration)).ToArray();

        var concurrent = Build("moscow");
        var actual = new DateTimeOffset[cases.Length];
        Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            actual[i] = concurrent.AddBusinessTime(cases[i].Start, cases[i].Duration));

        Assert.Equal(expected, actual);
    }

    private static BusinessCalendar Build(string name)
    {
        var options = new BusinessCalendarOptions();
        switch (name)
        {
            case "moscow":
                return BusinessCalendar.Default;
            case "vladivostok":
                options.TimeZoneId = "Asia/Vladivostok";
                break;
            case "kaliningrad-short-friday":
                options.TimeZoneId = "Europe/Kaliningrad";
                options.Schedule.Friday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(16, 45), new TimeOnly(13, 0), new TimeOnly(13, 48));
                options.Schedule.Saturday = DaySchedule.Create(new TimeOnly(10, 0), new TimeOnly(14, 0));
                break;
            case "berlin-dst":
                options.TimeZoneId = "Europe/Berlin";
                options.UseRussianProductionCalendar = false;
                options.Schedule.Sunday = DaySchedule.Create(new TimeOnly(1, 30), new TimeOnly(3, 30)); // crosses both clock changes
                break;
            case "around-the-clock":
                options.AroundTheClock = true;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }

        return BusinessCalendar.Create(options);
    }

    /// <summary>An instant between 2024 and 2028, with random ticks and a random offset of the caller.</summary>
    private static DateTimeOffset RandomInstant(Random random)
    {
        var from = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var to = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var utc = new DateTimeOffset(random.NextInt64(from, to), TimeSpan.Zero);
        return utc.ToOffset(TimeSpan.FromMinutes(random.Next(-12 * 60, 14 * 60)));
    }

    /// <summary>Zero a tenth of the time; otherwise up to roughly two working years, weighted towards short SLA durations.</summary>
    private static TimeSpan RandomDuration(Random random) => random.Next(10) switch
    {
        0 => TimeSpan.Zero,
        < 6 => TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerHour * 16)),
        < 9 => TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerHour * 400)),
        _ => TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerHour * 4000)),
    };
}
