namespace Mcu.Sdk.Sla;

/// <summary>One dated entry of a <see cref="ProductionCalendar"/>: a holiday, a day off, a working day or a shortened day.</summary>
/// <remarks>Immutable. Equality compares all members.</remarks>
public readonly record struct ProductionCalendarDay
{
    /// <summary>Initializes a new instance of the <see cref="ProductionCalendarDay"/> struct.</summary>
    /// <param name="date">The date.</param>
    /// <param name="kind">What the date is.</param>
    /// <param name="workAs">
    /// For <see cref="CalendarDayKind.Working"/> and <see cref="CalendarDayKind.Shortened"/> dates, the day of the week whose
    /// weekly hours the date uses (a working Saturday that replaces a Monday uses <see cref="DayOfWeek.Monday"/>);
    /// <see langword="null"/> to use the default rule described on <see cref="BusinessCalendar"/>.
    /// </param>
    /// <param name="name">A human-readable name, for example «День России».</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="kind"/> or <paramref name="workAs"/> is not a defined value.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="workAs"/> is set for a non-working <paramref name="kind"/>.</exception>
    public ProductionCalendarDay(DateOnly date, CalendarDayKind kind, DayOfWeek? workAs = null, string? name = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a defined calendar day kind.");
        }

        if (workAs is { } day && !Enum.IsDefined(day))
        {
            throw new ArgumentOutOfRangeException(nameof(workAs), workAs, "Not a day of the week.");
        }

        if (workAs is not null && kind is CalendarDayKind.Holiday or CalendarDayKind.DayOff)
        {
            throw new ArgumentException($"WorkAs applies only to working and shortened days, not to {kind} ({CalendarText.Date(date)}).", nameof(workAs));
        }

        Date = date;
        Kind = kind;
        WorkAs = workAs;
        Name = name;
    }

    /// <summary>Gets the date.</summary>
    public DateOnly Date { get; }

    /// <summary>Gets what the date is.</summary>
    public CalendarDayKind Kind { get; }

    /// <summary>Gets the day of the week whose weekly hours a working or shortened date uses, if stated.</summary>
    public DayOfWeek? WorkAs { get; }

    /// <summary>Gets the human-readable name of the date, if any.</summary>
    public string? Name { get; }

    /// <summary>Gets a value indicating whether the date has no working time (<see cref="CalendarDayKind.Holiday"/> or <see cref="CalendarDayKind.DayOff"/>).</summary>
    public bool IsNonWorking => Kind is CalendarDayKind.Holiday or CalendarDayKind.DayOff;
}
