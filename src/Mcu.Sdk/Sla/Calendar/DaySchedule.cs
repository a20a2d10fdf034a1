namespace Mcu.Sdk.Sla;

/// <summary>The working hours of one day, with an optional lunch break.</summary>
/// <remarks>
/// <para>
/// A simple options object meant to be bound from configuration or JSON, for example
/// <c>{ "Start": "09:00", "End": "18:00", "LunchStart": "13:00", "LunchEnd": "14:00" }</c>.
/// All times are local wall-clock times in the calendar's time zone and are kept to the tick (seconds are not truncated).
/// </para>
/// <para>
/// <see cref="End"/> is exclusive. An <see cref="End"/> of <c>00:00</c> means midnight at the end of the day (24:00),
/// so <c>00:00</c>–<c>00:00</c> is the whole day. Working hours never cross midnight; a service that works around
/// the clock uses <see cref="BusinessCalendarOptions.AroundTheClock"/>.
/// </para>
/// <para>Instances are validated and copied when a <see cref="BusinessCalendar"/> is created; later changes have no effect on it.</para>
/// </remarks>
public sealed class DaySchedule
{
    /// <summary>Gets or sets a value indicating whether this day of the week is a working day at all.</summary>
    /// <value>
    /// The default value is <see langword="true"/>. Set it to <see langword="false"/> (in configuration:
    /// <c>"Monday": { "IsWorkingDay": false }</c>) to make the day a day off; the times are then ignored.
    /// </value>
    public bool IsWorkingDay { get; set; } = true;

    /// <summary>Gets or sets the local time the working day starts (inclusive).</summary>
    /// <value>The default value is 09:00.</value>
    public TimeOnly Start { get; set; } = new(9, 0);

    /// <summary>Gets or sets the local time the working day ends (exclusive); <c>00:00</c> means 24:00.</summary>
    /// <value>The default value is 18:00.</value>
    public TimeOnly End { get; set; } = new(18, 0);

    /// <summary>Gets or sets the local time the lunch break starts, or <see langword="null"/> for no lunch break.</summary>
    /// <value>The default value is <see langword="null"/>. Set together with <see cref="LunchEnd"/>.</value>
    public TimeOnly? LunchStart { get; set; }

    /// <summary>Gets or sets the local time the lunch break ends, or <see langword="null"/> for no lunch break.</summary>
    /// <value>The default value is <see langword="null"/>. Set together with <see cref="LunchStart"/>.</value>
    public TimeOnly? LunchEnd { get; set; }

    /// <summary>Creates the default working day of a Russian office: 09:00–18:00 with a lunch break 13:00–14:00.</summary>
    /// <returns>A new <see cref="DaySchedule"/> with the default hours.</returns>
    public static DaySchedule CreateDefault() => new()
    {
        Start = new TimeOnly(9, 0),
        End = new TimeOnly(18, 0),
        LunchStart = new TimeOnly(13, 0),
        LunchEnd = new TimeOnly(14, 0),
    };

    /// <summary>Creates working hours without a lunch break.</summary>
    /// <param name="start">The local start time (inclusive).</param>
    /// <param name="end">The local end time (exclusive); <c>00:00</c> means 24:00.</param>
    /// <returns>A new <see cref="DaySchedule"/>.</returns>
    public static DaySchedule Create(TimeOnly start, TimeOnly end) => new() { Start = start, End = end };

    /// <summary>Creates working hours with a lunch break.</summary>
    /// <param name="start">The local start time (inclusive).</param>
    /// <param name="end">The local end time (exclusive); <c>00:00</c> means 24:00.</param>
    /// <param name="lunchStart">The local time the lunch break starts.</param>
    /// <param name="lunchEnd">The local time the lunch break ends.</param>
    /// <returns>A new <see cref="DaySchedule"/>.</returns>
    public static DaySchedule Create(TimeOnly start, TimeOnly end, TimeOnly lunchStart, TimeOnly lunchEnd) =>
        new() { Start = start, End = end, LunchStart = lunchStart, LunchEnd = lunchEnd };
}
