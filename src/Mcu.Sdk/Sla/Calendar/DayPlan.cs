namespace Mcu.Sdk.Sla;

/// <summary>
/// The working time of one local day as at most two segments, in ticks since local midnight (end exclusive,
/// <see cref="TimeSpan.TicksPerDay"/> meaning 24:00).
/// </summary>
internal readonly struct DayPlan
{
    internal DayPlan(long start1, long end1, long start2, long end2)
    {
        Start1 = start1;
        End1 = end1;
        Start2 = start2;
        End2 = end2;
    }

    internal static DayPlan None => default;

    internal long Start1 { get; }

    internal long End1 { get; }

    internal long Start2 { get; }

    internal long End2 { get; }

    internal bool HasWork => End1 > Start1;

    internal bool HasSecondSegment => End2 > Start2;

    internal long WorkingTicks => (End1 - Start1) + (End2 - Start2);

    /// <summary>Converts validated <see cref="DaySchedule"/> hours; a day off becomes <see cref="None"/>.</summary>
    internal static DayPlan From(DaySchedule? schedule)
    {
        if (schedule is null || !schedule.IsWorkingDay)
        {
            return None;
        }

        var start = schedule.Start.Ticks;
        var end = EndTicks(schedule.End);
        return schedule is { LunchStart: { } lunchStart, LunchEnd: { } lunchEnd }
            ? new DayPlan(start, lunchStart.Ticks, lunchEnd.Ticks, end)
            : new DayPlan(start, end, 0, 0);
    }

    /// <summary>The exclusive end in ticks since midnight: 00:00 means 24:00.</summary>
    internal static long EndTicks(TimeOnly end) => end == TimeOnly.MinValue ? TimeSpan.TicksPerDay : end.Ticks;

    /// <summary>Removes the last <paramref name="reduction"/> ticks of working time (a pre-holiday day, Labour Code art. 95).</summary>
    internal DayPlan Shorten(long reduction)
    {
        if (reduction <= 0)
        {
            return this;
        }

        if (HasSecondSegment)
        {
            var second = End2 - Start2;
            if (second > reduction)
            {
                return new DayPlan(Start1, End1, Start2, End2 - reduction);
            }

            reduction -= second;
        }

        return End1 - Start1 > reduction ? new DayPlan(Start1, End1 - reduction, 0, 0) : None;
    }
}
