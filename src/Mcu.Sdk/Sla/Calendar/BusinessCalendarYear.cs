namespace Mcu.Sdk.Sla;

/// <summary>
/// The precomputed working intervals of one local calendar year of a <see cref="BusinessCalendar"/>, in UTC ticks,
/// with prefix sums of working time. Immutable once built.
/// </summary>
internal sealed class BusinessCalendarYear
{
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly long[] _cumulativeEnds;
    private readonly long[] _startOffsets;
    private readonly long[] _endOffsets;
    private readonly int[] _dayFirstInterval;

    private BusinessCalendarYear(
        int year,
        long startUtc,
        long endUtc,
        long[] starts,
        long[] ends,
        long[] startOffsets,
        long[] endOffsets,
        int[] dayFirstInterval)
    {
        Year = year;
        StartUtc = startUtc;
        EndUtc = endUtc;
        _starts = starts;
        _ends = ends;
        _startOffsets = startOffsets;
        _endOffsets = endOffsets;
        _dayFirstInterval = dayFirstInterval;
        _cumulativeEnds = new long[starts.Length];
        long total = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            total += ends[i] - starts[i];
            _cumulativeEnds[i] = total;
        }

        Total = total;
    }

    /// <summary>Gets the local calendar year.</summary>
    internal int Year { get; }

    /// <summary>Gets the UTC ticks of local midnight on 1 January (inclusive).</summary>
    internal long StartUtc { get; }

    /// <summary>Gets the UTC ticks of local midnight on 1 January of the next year (exclusive).</summary>
    internal long EndUtc { get; }

    /// <summary>Gets the working ticks of the whole year.</summary>
    internal long Total { get; }

    internal int IntervalCount => _starts.Length;

    /// <summary>Builds the intervals of a year from the local working plan of each date.</summary>
    internal static BusinessCalendarYear Build(int year, TimeZoneInfo zone, Func<DateOnly, DayPlan> planOf)
    {
        var firstLocal = new DateTime(year, 1, 1).Ticks;
        var startUtc = LocalToUtc(zone, firstLocal);
        var endUtc = LocalToUtc(zone, new DateTime(year + 1, 1, 1).Ticks);
        var dayCount = DateTime.IsLeapYear(year) ? 366 : 365;
        var capacity = dayCount * 2;
        var starts = new long[capacity];
        var ends = new long[capacity];
        var dayFirst = new int[dayCount + 1];
        var count = 0;
        var firstDay = new DateOnly(year, 1, 1);
        for (var d = 0; d < dayCount; d++)
        {
            dayFirst[d] = count;
            var plan = planOf(firstDay.AddDays(d));
            if (!plan.HasWork)
            {
                continue;
            }

            var midnight = firstLocal + (d * TimeSpan.TicksPerDay);
            Append(LocalToUtc(zone, midnight + plan.Start1), LocalToUtc(zone, midnight + plan.End1));
            if (plan.HasSecondSegment)
            {
                Append(LocalToUtc(zone, midnight + plan.Start2), LocalToUtc(zone, midnight + plan.End2));
            }
        }

        dayFirst[dayCount] = count;
        Array.Resize(ref starts, count);
        Array.Resize(ref ends, count);
        var startOffsets = new long[count];
        var endOffsets = new long[count];
        for (var i = 0; i < count; i++)
        {
            startOffsets[i] = OffsetAt(zone, starts[i]);
            endOffsets[i] = OffsetAt(zone, ends[i]);
        }

        return new BusinessCalendarYear(year, startUtc, endUtc, starts, ends, startOffsets, endOffsets, dayFirst);

        void Append(long start, long end)
        {
            // Clip to the year and to the previous interval: a skipped local day (a zone that jumped over a date) or
            // a daylight-saving gap can map two local ranges onto overlapping instants.
            start = Math.Max(start, startUtc);
            if (count > 0)
            {
                start = Math.Max(start, ends[count - 1]);
            }

            end = Math.Min(end, endUtc);
            if (end > start)
            {
                starts[count] = start;
                ends[count] = end;
                count++;
            }
        }
    }

    /// <summary>
    /// Converts a local wall-clock time to UTC ticks. A time skipped by a forward clock change is read with the offset in force
    /// before the change (so it lands as far after the change as it was after the gap's start); a repeated time takes its first
    /// occurrence.
    /// </summary>
    internal static long LocalToUtc(TimeZoneInfo zone, long localTicks)
    {
        var local = new DateTime(localTicks, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddDays(-1));
            return localTicks - before.Ticks;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var largest = offsets.Max();
            return localTicks - largest.Ticks;
        }

        return localTicks - zone.GetUtcOffset(local).Ticks;
    }

    internal static long OffsetAt(TimeZoneInfo zone, long utcTicks) =>
        zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    /// <summary>Working ticks from <see cref="StartUtc"/> to <paramref name="utc"/>, which must lie in the year.</summary>
    internal long CumulativeAt(long utc)
    {
        var i = LastStartAtOrBefore(utc);
        if (i < 0)
        {
            return 0;
        }

        var before = i == 0 ? 0 : _cumulativeEnds[i - 1];
        return before + Math.Min(utc, _ends[i]) - _starts[i];
    }

    /// <summary>Gets whether <paramref name="utc"/> (in the year) is inside a working interval.</summary>
    internal bool Contains(long utc)
    {
        var i = LastStartAtOrBefore(utc);
        return i >= 0 && utc < _ends[i];
    }

    /// <summary>
    /// Finds the earliest instant whose cumulative working time is <paramref name="target"/> (1 ≤ target ≤ <see cref="Total"/>).
    /// </summary>
    internal long Locate(long target, out int interval)
    {
        int low = 0, high = _cumulativeEnds.Length - 1;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (_cumulativeEnds[mid] < target)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        interval = low;
        var before = low == 0 ? 0 : _cumulativeEnds[low - 1];
        return _starts[low] + (target - before);
    }

    /// <summary>Finds the first working instant at or after <paramref name="utc"/> in the year, or -1 when there is none.</summary>
    internal long NextWorkingAtOrAfter(long utc, out int interval)
    {
        var i = LastStartAtOrBefore(utc);
        if (i >= 0 && utc < _ends[i])
        {
            interval = i;
            return utc;
        }

        interval = i + 1;
        return interval < _starts.Length ? _starts[interval] : -1;
    }

    /// <summary>Gets the first working instant of the year, or -1 when the year has no working time.</summary>
    internal long First(out int interval)
    {
        interval = 0;
        return _starts.Length > 0 ? _starts[0] : -1;
    }

    /// <summary>Gets the local offset (ticks) at <paramref name="utc"/>, which lies inside or at an end of <paramref name="interval"/>.</summary>
    internal long OffsetWithin(int interval, long utc, TimeZoneInfo zone)
    {
        var offset = _startOffsets[interval];
        return offset == _endOffsets[interval] ? offset : OffsetAt(zone, utc);
    }

    /// <summary>Gets the working ticks scheduled on the local date with the given zero-based day of the year.</summary>
    internal long WorkingTicksOnDay(int dayIndex)
    {
        long total = 0;
        for (var i = _dayFirstInterval[dayIndex]; i < _dayFirstInterval[dayIndex + 1]; i++)
        {
            total += _ends[i] - _starts[i];
        }

        return total;
    }

    private int LastStartAtOrBefore(long utc)
    {
        // Upper bound: the number of starts <= utc, minus one.
        int low = 0, high = _starts.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (_starts[mid] <= utc)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low - 1;
    }
}
