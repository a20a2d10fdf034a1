using System.Collections.ObjectModel;
using System.Text.Json;

namespace Mcu.Sdk.Sla;

/// <summary>
/// A production calendar (производственный календарь): the public holidays, transferred days off, transferred working days
/// and shortened pre-holiday days of each year.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Russia"/> is the federal calendar of the Russian Federation embedded in the SDK (for a five-day week);
/// a host adds later years or its regional days from a JSON file in the same format with <see cref="Load(Stream)"/> and
/// <see cref="Merge(ProductionCalendar)"/>. The format is described in <c>docs/business-calendar.md</c>.
/// </para>
/// <para>
/// A year with no full entry is <em>provisional</em>: <see cref="GetDays(int)"/> then returns the non-working holidays of
/// article 112 part 1 of the Labour Code and the pre-holiday days of its article 95 (weekend transfers are set by decree
/// and are not guessed), plus any supplement entries of that year.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class ProductionCalendar
{
    /// <summary>The manifest resource name of the embedded Russian production calendar.</summary>
    internal const string RussiaResourceName = "Mcu.Sdk.Sla.Calendar.Data.ru-production-calendar.json";

    private static readonly Lazy<ProductionCalendar> LazyRussia = new(LoadRussia, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ProductionCalendarYear[] _entries;
    private readonly ReadOnlyCollection<ProductionCalendarYear> _readOnlyEntries;
    private readonly Dictionary<int, ProductionCalendarYear> _full;
    private readonly Dictionary<int, ProductionCalendarYear[]> _supplements;
    private readonly ReadOnlyCollection<int> _years;

    private ProductionCalendar(ProductionCalendarYear[] entries, string paramName = "years")
    {
        _entries = entries;
        _readOnlyEntries = Array.AsReadOnly(entries);
        _full = [];
        var supplements = new Dictionary<int, List<ProductionCalendarYear>>();
        foreach (var entry in entries)
        {
            if (!entry.IsSupplement)
            {
                if (!_full.TryAdd(entry.Year, entry))
                {
                    throw new ArgumentException(
                        $"The year {CalendarText.Number(entry.Year)} has more than one full entry; use a supplement entry to add dates to a year.",
                        paramName);
                }
            }
            else
            {
                if (!supplements.TryGetValue(entry.Year, out var list))
                {
                    supplements[entry.Year] = list = [];
                }

                list.Add(entry);
            }
        }

        _supplements = supplements.ToDictionary(static p => p.Key, static p => p.Value.ToArray());
        _years = Array.AsReadOnly(entries.Select(static e => e.Year).Distinct().Order().ToArray());
    }

    /// <summary>Gets a calendar without any entries: every year is provisional and follows the Labour Code only.</summary>
    public static ProductionCalendar Empty { get; } = new([]);

    /// <summary>
    /// Gets the production calendar of the Russian Federation embedded in the SDK: 2025 and 2026 from the Government decrees,
    /// 2027 provisional. Each year names its sources in <see cref="ProductionCalendarYear.Sources"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The embedded resource is missing or damaged (a broken build).</exception>
    public static ProductionCalendar Russia => LazyRussia.Value;

    /// <summary>Gets every entry, full years and supplements, in the order they were added.</summary>
    public IReadOnlyList<ProductionCalendarYear> Entries => _readOnlyEntries;

    /// <summary>Gets the years that have at least one entry, in ascending order.</summary>
    public IReadOnlyList<int> Years => _years;

    /// <summary>Creates a calendar from year entries.</summary>
    /// <param name="years">Full years (at most one per year) and supplements (any number, applied in order).</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="years"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A year has more than one full entry.</exception>
    public static ProductionCalendar Create(IEnumerable<ProductionCalendarYear> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        var entries = years.ToArray();
        if (Array.IndexOf(entries, null) >= 0)
        {
            throw new ArgumentNullException(nameof(years), "A year entry is null.");
        }

        return new ProductionCalendar(entries);
    }

    /// <summary>Reads a calendar from UTF-8 JSON in the documented format (see <c>docs/business-calendar.md</c>).</summary>
    /// <param name="utf8Json">The JSON stream; it is read to the end and not disposed.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The JSON is malformed or does not follow the format; the message names the offending element.</exception>
    public static ProductionCalendar Load(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return new ProductionCalendar(ProductionCalendarJson.Read(utf8Json));
    }

    /// <summary>Reads a calendar from a JSON string in the documented format (see <c>docs/business-calendar.md</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The JSON is malformed or does not follow the format; the message names the offending element.</exception>
    public static ProductionCalendar Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new ProductionCalendar(ProductionCalendarJson.Read(json));
    }

    /// <summary>Combines this calendar with another one whose entries take precedence.</summary>
    /// <param name="other">The calendar to lay over this one, for example a host file with a new year or regional days.</param>
    /// <returns>
    /// A new calendar: a full year of <paramref name="other"/> replaces the full year of this calendar (for example the official
    /// 2027 replaces the provisional 2027); supplements of both are kept, those of <paramref name="other"/> applied last.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public ProductionCalendar Merge(ProductionCalendar other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var entries = _entries
            .Where(e => e.IsSupplement || !other._full.ContainsKey(e.Year))
            .Concat(other._entries)
            .ToArray();
        return new ProductionCalendar(entries);
    }

    /// <summary>Gets a value indicating whether a year is provisional: it has no full entry, or its full entry is marked provisional.</summary>
    /// <param name="year">The year.</param>
    /// <returns><see langword="true"/> when the year's data are not fixed by a decree.</returns>
    public bool IsProvisional(int year) => !_full.TryGetValue(year, out var full) || full.IsProvisional;

    /// <summary>Gets the full entry of a year, if this calendar has one.</summary>
    /// <param name="year">The year.</param>
    /// <returns>The full entry, or <see langword="null"/>.</returns>
    public ProductionCalendarYear? FindYear(int year) => _full.GetValueOrDefault(year);

    /// <summary>
    /// Gets the effective dated entries of a year: the full entry (or, when there is none, the provisional Labour Code year)
    /// with the supplements laid over it.
    /// </summary>
    /// <param name="year">The year.</param>
    /// <returns>The entries, sorted by date, each date at most once.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="year"/> is outside <see cref="BusinessCalendar.MinSupportedYear"/>–<see cref="BusinessCalendar.MaxSupportedYear"/>.
    /// </exception>
    public IReadOnlyList<ProductionCalendarDay> GetDays(int year)
    {
        if (year is < BusinessCalendar.MinSupportedYear or > BusinessCalendar.MaxSupportedYear)
        {
            throw new ArgumentOutOfRangeException(
                nameof(year),
                year,
                $"The year must be between {BusinessCalendar.MinSupportedYear} and {BusinessCalendar.MaxSupportedYear}.");
        }

        var baseYear = _full.GetValueOrDefault(year) ?? LabourCodeCalendar.GetYear(year);
        if (!_supplements.TryGetValue(year, out var supplements))
        {
            return baseYear.Days;
        }

        var byDate = baseYear.Days.ToDictionary(static d => d.Date);
        foreach (var supplement in supplements)
        {
            foreach (var day in supplement.Days)
            {
                byDate[day.Date] = day;
            }
        }

        var merged = byDate.Values.ToArray();
        Array.Sort(merged, static (a, b) => a.Date.CompareTo(b.Date));
        return Array.AsReadOnly(merged);
    }

    private static ProductionCalendar LoadRussia()
    {
        using var stream = typeof(ProductionCalendar).Assembly.GetManifestResourceStream(RussiaResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{RussiaResourceName}' is missing from the Mcu.Sdk assembly.");
        try
        {
            return Load(stream);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The embedded resource '{RussiaResourceName}' is invalid: {ex.Message}", ex);
        }
    }
}
