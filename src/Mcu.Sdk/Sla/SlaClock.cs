namespace Mcu.Sdk.Sla;

/// <summary>
/// The arithmetic of SLA clocks in each <see cref="SlaTimeMode"/>: deadlines (<see cref="AddTime"/>) and elapsed time
/// (<see cref="GetTime"/>) on a <see cref="BusinessCalendar"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SlaTimeMode.Business"/> is the calendar's working time; <see cref="SlaTimeMode.AroundTheClock"/> elapsed time;
/// <see cref="SlaTimeMode.CalendarDays"/> whole local dates of the calendar's zone, as legal terms are counted (Civil Code
/// art. 191–194, applied to 59-ФЗ terms): a term of N days from an event on date D ends at 24:00 of date D + N, or, when that date
/// is not a working day of the calendar, at 24:00 of the next working day.
/// </para>
/// <para>
/// For the business and around-the-clock modes <c>GetTime(t, AddTime(t, d)) == d</c> for every instant and duration. In the calendar-days
/// mode <see cref="GetTime"/> counts the dates between two instants, so that a pause from Monday to Wednesday moves a term by two days.
/// Every result is expressed in the calendar zone's offset at the result instant. Thread-safe; allocation-free.
/// </para>
/// </remarks>
public static class SlaClock
{
    /// <summary>Computes a deadline: the instant a duration of the given kind of time has elapsed since a start.</summary>
    /// <param name="calendar">The calendar (its working hours, holidays and time zone).</param>
    /// <param name="mode">How time is counted.</param>
    /// <param name="start">The start.</param>
    /// <param name="duration">
    /// The duration: working time, elapsed time, or a number of days (in <see cref="SlaTimeMode.CalendarDays"/> a fraction of a day counts
    /// as a whole day).
    /// </param>
    /// <returns>The deadline, in the calendar's zone. A zero duration returns <paramref name="start"/> in every mode.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="duration"/> is negative, <paramref name="mode"/> is not defined, or the deadline falls outside the calendar's supported years.
    /// </exception>
    public static DateTimeOffset AddTime(BusinessCalendar calendar, SlaTimeMode mode, DateTimeOffset start, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        switch (mode)
        {
            case SlaTimeMode.Business:
                return calendar.AddBusinessTime(start, duration);
            case SlaTimeMode.AroundTheClock:
                if (duration < TimeSpan.Zero)
                {
                    throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must not be negative.");
                }

                if (duration.Ticks > DateTimeOffset.MaxValue.UtcTicks - start.UtcTicks)
                {
                    throw new ArgumentOutOfRangeException(nameof(duration), duration, "The deadline is after DateTimeOffset.MaxValue.");
                }

                return InZone(calendar, start.UtcTicks + duration.Ticks);
            case SlaTimeMode.CalendarDays:
                return AddDays(calendar, start, duration);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not an SLA time mode.");
        }
    }

    /// <summary>Computes the time elapsed between two instants in a mode.</summary>
    /// <param name="calendar">The calendar.</param>
    /// <param name="mode">How time is counted.</param>
    /// <param name="from">The first instant.</param>
    /// <param name="to">The second instant.</param>
    /// <returns>
    /// The working time, the elapsed time, or the number of local dates from <paramref name="from"/>'s date to <paramref name="to"/>'s
    /// (as whole days); negative when <paramref name="to"/> is earlier.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not defined, or an instant is outside the calendar's supported years.</exception>
    public static TimeSpan GetTime(BusinessCalendar calendar, SlaTimeMode mode, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return mode switch
        {
            SlaTimeMode.Business => calendar.GetBusinessTime(from, to),
            SlaTimeMode.AroundTheClock => to - from,
            SlaTimeMode.CalendarDays => TimeSpan.FromDays(LocalDayNumber(calendar, to.UtcTicks) - LocalDayNumber(calendar, from.UtcTicks)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not an SLA time mode."),
        };
    }

    /// <summary>Gets the local date of an instant in the calendar's zone.</summary>
    /// <param name="calendar">The calendar.</param>
    /// <param name="instant">The instant.</param>
    /// <returns>The local date.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is <see langword="null"/>.</exception>
    public static DateOnly GetLocalDate(BusinessCalendar calendar, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return DateOnly.FromDayNumber((int)LocalDayNumber(calendar, instant.UtcTicks));
    }

    /// <summary>Computes the instant of an escalation step: the moment a clock has counted a share of its target.</summary>
    /// <param name="timer">The clock.</param>
    /// <param name="calendar">Its calendar.</param>
    /// <param name="fraction">The share (1 = the due time).</param>
    /// <returns>The instant.</returns>
    internal static DateTimeOffset StepDue(SlaTimer timer, BusinessCalendar calendar, double fraction)
    {
        if (fraction == 1.0)
        {
            return timer.DueAt;
        }

        if (timer.Mode == SlaTimeMode.CalendarDays)
        {
            var span = timer.DueAt.UtcTicks - timer.StartedAt.UtcTicks;
            return InZone(calendar, timer.StartedAt.UtcTicks + (long)Math.Round(span * fraction));
        }

        var scaled = TimeSpan.FromTicks((long)Math.Round((timer.Target + timer.Extension).Ticks * fraction));
        return AddTimeOrElapsed(calendar, timer.Mode, timer.StartedAt, scaled + timer.Paused);
    }

    /// <summary>Computes a clock's due time from its start, target, extension and pauses.</summary>
    internal static DateTimeOffset DueOf(SlaTimer timer, BusinessCalendar calendar) =>
        AddTimeOrElapsed(calendar, timer.Mode, timer.StartedAt, timer.Target + timer.Extension + timer.Paused);

    /// <summary>
    /// Like <see cref="AddTime"/>, but an instant outside the calendar's supported years (a channel's bogus timestamp) is counted as elapsed
    /// time instead of failing, so that intake never fails on a date.
    /// </summary>
    internal static DateTimeOffset AddTimeOrElapsed(BusinessCalendar calendar, SlaTimeMode mode, DateTimeOffset start, TimeSpan duration)
    {
        try
        {
            return AddTime(calendar, mode, start, duration);
        }
        catch (ArgumentOutOfRangeException) when (duration >= TimeSpan.Zero)
        {
            var ticks = Math.Min(start.UtcTicks + Math.Min(duration.Ticks, DateTimeOffset.MaxValue.UtcTicks - start.UtcTicks), DateTimeOffset.MaxValue.UtcTicks);
            return new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Like <see cref="GetTime"/>, but instants outside the calendar's supported years give elapsed time instead of failing.</summary>
    internal static TimeSpan GetTimeOrElapsed(BusinessCalendar calendar, SlaTimeMode mode, DateTimeOffset from, DateTimeOffset to)
    {
        try
        {
            return GetTime(calendar, mode, from, to);
        }
        catch (ArgumentOutOfRangeException)
        {
            return to - from;
        }
    }

    private static DateTimeOffset AddDays(BusinessCalendar calendar, DateTimeOffset start, TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must not be negative.");
        }

        if (duration == TimeSpan.Zero)
        {
            return InZone(calendar, start.UtcTicks);
        }

        var days = duration.Ticks / TimeSpan.TicksPerDay + (duration.Ticks % TimeSpan.TicksPerDay == 0 ? 0 : 1);
        var lastDay = LocalDayNumber(calendar, start.UtcTicks) + days;
        var maxDay = new DateOnly(BusinessCalendar.MaxSupportedYear, 12, 31).DayNumber;
        if (lastDay > maxDay)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"The term ends after the last supported local year {BusinessCalendar.MaxSupportedYear}.");
        }

        if (!calendar.IsAroundTheClock)
        {
            // A term that ends on a day off ends on the next working day (Civil Code art. 193). A calendar always has working days,
            // but a host may declare a long run of days off: look ahead at most a year.
            var limit = Math.Min(lastDay + 366, maxDay);
            while (!calendar.IsWorkingDay(DateOnly.FromDayNumber((int)lastDay)))
            {
                if (++lastDay > limit)
                {
                    throw new ArgumentOutOfRangeException(nameof(duration), duration, "No working day follows the end of the term within a year.");
                }
            }
        }

        // 24:00 of the last day is local midnight of the next date.
        var midnight = DateOnly.FromDayNumber((int)lastDay + 1).ToDateTime(TimeOnly.MinValue).Ticks;
        return InZone(calendar, BusinessCalendarYear.LocalToUtc(calendar.TimeZone, midnight));
    }

    private static long LocalDayNumber(BusinessCalendar calendar, long utcTicks)
    {
        var offset = BusinessCalendarYear.OffsetAt(calendar.TimeZone, utcTicks);
        return (utcTicks + offset) / TimeSpan.TicksPerDay;
    }

    private static DateTimeOffset InZone(BusinessCalendar calendar, long utcTicks)
    {
        var offset = BusinessCalendarYear.OffsetAt(calendar.TimeZone, utcTicks);
        return new DateTimeOffset(utcTicks + offset, new TimeSpan(offset));
    }
}
