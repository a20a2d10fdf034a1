using System.Collections.ObjectModel;

namespace Mcu.Sdk.Sla;

/// <summary>The entries of one year of a <see cref="ProductionCalendar"/>, with where they come from.</summary>
/// <remarks>
/// <para>
/// A <em>full</em> year (<see cref="IsSupplement"/> is <see langword="false"/>) lists every holiday, transferred day off,
/// transferred working day and shortened day of the year: dates not listed follow the weekly schedule.
/// </para>
/// <para>
/// A <em>supplement</em> (<see cref="IsSupplement"/> is <see langword="true"/>) lists only extra dates, typically regional
/// holidays; it is laid over the full year (or, when there is none, over the provisional Labour Code year) and wins on equal dates.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class ProductionCalendarYear
{
    private readonly ReadOnlyCollection<ProductionCalendarDay> _days;
    private readonly ReadOnlyCollection<string> _sources = ReadOnlyCollection<string>.Empty;

    /// <summary>Initializes a new instance of the <see cref="ProductionCalendarYear"/> class.</summary>
    /// <param name="year">The calendar year.</param>
    /// <param name="days">The dated entries; every date must be in <paramref name="year"/>, each date at most once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="days"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="year"/> is outside <see cref="BusinessCalendar.MinSupportedYear"/>–<see cref="BusinessCalendar.MaxSupportedYear"/>.
    /// </exception>
    /// <exception cref="ArgumentException">A date is outside <paramref name="year"/> or appears twice.</exception>
    public ProductionCalendarYear(int year, IEnumerable<ProductionCalendarDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        if (year is < BusinessCalendar.MinSupportedYear or > BusinessCalendar.MaxSupportedYear)
        {
            throw new ArgumentOutOfRangeException(
                nameof(year),
                year,
                $"The year must be between {BusinessCalendar.MinSupportedYear} and {BusinessCalendar.MaxSupportedYear}.");
        }

        var sorted = days.ToArray();
        Array.Sort(sorted, static (a, b) => a.Date.CompareTo(b.Date));
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Date.Year != year)
            {
                throw new ArgumentException($"The date {CalendarText.Date(sorted[i].Date)} is not in the year {CalendarText.Number(year)}.", nameof(days));
            }

            if (i > 0 && sorted[i].Date == sorted[i - 1].Date)
            {
                throw new ArgumentException($"The date {CalendarText.Date(sorted[i].Date)} appears more than once in the year {CalendarText.Number(year)}.", nameof(days));
            }
        }

        Year = year;
        _days = Array.AsReadOnly(sorted);
    }

    /// <summary>Gets the calendar year.</summary>
    public int Year { get; }

    /// <summary>Gets the dated entries, sorted by date.</summary>
    public IReadOnlyList<ProductionCalendarDay> Days => _days;

    /// <summary>
    /// Gets a value indicating whether the year is provisional: not yet fixed by a Government decree on the transfer of days off,
    /// so only the holidays of the Labour Code are known.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsProvisional { get; init; }

    /// <summary>Gets a value indicating whether this entry only adds dates to the year instead of describing the whole year.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsSupplement { get; init; }

    /// <summary>Gets the legal sources of the entries (decree number and date, Labour Code articles, a regional law).</summary>
    /// <value>The default value is empty. The given sequence is copied.</value>
    public IReadOnlyList<string> Sources
    {
        get => _sources;
        init => _sources = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>Gets the officially published number of working days of a five-day week in this year, when known.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? PublishedWorkingDays { get; init; }

    /// <summary>Gets the officially published norm of working hours for a 40-hour week in this year, when known.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? PublishedHoursAt40HourWeek { get; init; }
}
