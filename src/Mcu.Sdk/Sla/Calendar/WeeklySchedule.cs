namespace Mcu.Sdk.Sla;

/// <summary>The working hours of each day of the week.</summary>
/// <remarks>
/// <para>
/// The default schedule is Monday to Friday 09:00–18:00 with a lunch break 13:00–14:00, Saturday and Sunday off.
/// A day is a day off when its property is <see langword="null"/> or its <see cref="DaySchedule.IsWorkingDay"/> is
/// <see langword="false"/>.
/// </para>
/// <para>
/// Configuration example (a city whose Friday is shorter):
/// <c>"Schedule": { "Friday": { "End": "16:45", "LunchEnd": "13:48" } }</c>; the binder changes only the given values
/// of the default Friday.
/// </para>
/// </remarks>
public sealed class WeeklySchedule
{
    /// <summary>Gets or sets Monday's working hours.</summary>
    /// <value>The default value is 09:00–18:00 with lunch 13:00–14:00.</value>
    public DaySchedule? Monday { get; set; } = DaySchedule.CreateDefault();

    /// <summary>Gets or sets Tuesday's working hours.</summary>
    /// <value>The default value is 09:00–18:00 with lunch 13:00–14:00.</value>
    public DaySchedule? Tuesday { get; set; } = DaySchedule.CreateDefault();

    /// <summary>Gets or sets Wednesday's working hours.</summary>
    /// <value>The default value is 09:00–18:00 with lunch 13:00–14:00.</value>
    public DaySchedule? Wednesday { get; set; } = DaySchedule.CreateDefault();

    /// <summary>Gets or sets Thursday's working hours.</summary>
    /// <value>The default value is 09:00–18:00 with lunch 13:00–14:00.</value>
    public DaySchedule? Thursday { get; set; } = DaySchedule.CreateDefault();

    /// <summary>Gets or sets Friday's working hours.</summary>
    /// <value>The default value is 09:00–18:00 with lunch 13:00–14:00.</value>
    public DaySchedule? Friday { get; set; } = DaySchedule.CreateDefault();

    /// <summary>Gets or sets Saturday's working hours.</summary>
    /// <value>The default value is <see langword="null"/> (a day off).</value>
    public DaySchedule? Saturday { get; set; }

    /// <summary>Gets or sets Sunday's working hours.</summary>
    /// <value>The default value is <see langword="null"/> (a day off).</value>
    public DaySchedule? Sunday { get; set; }

    /// <summary>Gets the working hours of a day of the week.</summary>
    /// <param name="day">The day of the week.</param>
    /// <returns>The day's schedule, or <see langword="null"/> when none is set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="day"/> is not a defined <see cref="DayOfWeek"/>.</exception>
    public DaySchedule? GetDay(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday,
        DayOfWeek.Tuesday => Tuesday,
        DayOfWeek.Wednesday => Wednesday,
        DayOfWeek.Thursday => Thursday,
        DayOfWeek.Friday => Friday,
        DayOfWeek.Saturday => Saturday,
        DayOfWeek.Sunday => Sunday,
        _ => throw new ArgumentOutOfRangeException(nameof(day), day, "Not a day of the week."),
    };

    /// <summary>Sets the working hours of a day of the week.</summary>
    /// <param name="day">The day of the week.</param>
    /// <param name="schedule">The day's schedule, or <see langword="null"/> for a day off.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="day"/> is not a defined <see cref="DayOfWeek"/>.</exception>
    public WeeklySchedule SetDay(DayOfWeek day, DaySchedule? schedule)
    {
        switch (day)
        {
            case DayOfWeek.Monday: Monday = schedule; break;
            case DayOfWeek.Tuesday: Tuesday = schedule; break;
            case DayOfWeek.Wednesday: Wednesday = schedule; break;
            case DayOfWeek.Thursday: Thursday = schedule; break;
            case DayOfWeek.Friday: Friday = schedule; break;
            case DayOfWeek.Saturday: Saturday = schedule; break;
            case DayOfWeek.Sunday: Sunday = schedule; break;
            default: throw new ArgumentOutOfRangeException(nameof(day), day, "Not a day of the week.");
        }

        return this;
    }
}
