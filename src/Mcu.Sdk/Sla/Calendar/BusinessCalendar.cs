using System.Globalization;

namespace Mcu.Sdk.Sla;

/// <summary>
/// Business time for SLA deadlines: working hours of a control centre in its time zone, with weekends, public holidays,
/// transferred days and shortened pre-holiday days of the Russian production calendar, or around the clock.
/// </summary>
/// <remarks>
/// <para><b>Which hours a date has.</b> For each local date, in order of precedence:</para>
/// <list type="number">
/// <item><description>a host entry in <see cref="BusinessCalendarOptions.AdditionalDays"/>;</description></item>
/// <item><description>
/// an entry of the production calendar (<see cref="Sla.ProductionCalendar.GetDays(int)"/>; for a year without decree data these are
/// the provisional Labour Code holidays, see <see cref="IsProvisional(int)"/>);
/// </description></item>
/// <item><description>otherwise the weekly schedule.</description></item>
/// </list>
/// <para>
/// A <see cref="CalendarDayKind.Holiday"/> or <see cref="CalendarDayKind.DayOff"/> date has no working time.
/// A <see cref="CalendarDayKind.Working"/> or <see cref="CalendarDayKind.Shortened"/> date is a working day with, in order:
/// its explicit hours (host entries only); else the weekly hours of its <c>WorkAs</c> day of the week, if that day has hours;
/// else the weekly hours of its own day of the week, if it has hours; else the weekly hours of the first day from Monday to Sunday
/// that has hours. So a transferred working Saturday works like a normal working day: the embedded calendar names the weekday
/// whose day off it replaced (Saturday 1 November 2025 works as Monday, whose day off moved to 3 November).
/// A shortened date then loses its last <see cref="BusinessCalendarOptions.ShortenedDayReductionMinutes"/> minutes of working time
/// (default 60: 18:00 becomes 17:00).
/// </para>
/// <para>
/// <b>Precision.</b> Everything is exact to the tick (100 ns): seconds and fractions are kept, never truncated. Instants are compared
/// as UTC; local times are those of <see cref="TimeZone"/>, with daylight-saving changes honoured (a working day that contains
/// a clock change has its real length). Results are expressed with the calendar zone's offset at the result instant.
/// </para>
/// <para>
/// <b>Performance.</b> For each local year touched, the working intervals are precomputed once (lazily, thread-safely) as UTC ticks
/// with prefix sums of working time; <see cref="AddBusinessTime"/>, <see cref="GetBusinessTime"/>, <see cref="IsWorkingTime"/> and
/// <see cref="NextWorkingTime"/> are binary searches plus arithmetic and allocate nothing once the year is built.
/// Supported local years: <see cref="MinSupportedYear"/>–<see cref="MaxSupportedYear"/> (an around-the-clock calendar has no such limit).
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class BusinessCalendar
{
    /// <summary>The first local year a working-hours calendar can compute.</summary>
    public const int MinSupportedYear = 1990;

    /// <summary>The last local year a working-hours calendar can compute.</summary>
    public const int MaxSupportedYear = 2199;

    private static readonly Lazy<BusinessCalendar> LazyDefault =
        new(static () => Create(new BusinessCalendarOptions()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TimeZoneInfo _zone;
    private readonly bool _aroundTheClock;
    private readonly DayPlan[] _weekly;
    private readonly DayPlan _firstWorkingDay;
    private readonly Dictionary<DateOnly, CalendarDayOverride> _additionalDays;
    private readonly long _reductionTicks;
    private readonly BusinessCalendarYear?[] _years;
    private BusinessCalendarYear? _lastYear;

    private BusinessCalendar(TimeZoneInfo zone)
    {
        _zone = zone;
        _aroundTheClock = true;
        _weekly = [];
        _additionalDays = [];
        _years = [];
    }

    private BusinessCalendar(TimeZoneInfo zone, BusinessCalendarOptions options)
    {
        _zone = zone;
        _weekly = new DayPlan[7];
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            _weekly[(int)day] = DayPlan.From(options.Schedule.GetDay(day));
        }

        // The first day from Monday to Sunday with hours (validation guarantees one exists).
        for (var i = 1; i <= 7; i++)
        {
            if (_weekly[i % 7].HasWork)
            {
                _firstWorkingDay = _weekly[i % 7];
                break;
            }
        }

        ProductionCalendar = options.ProductionCalendar
            ?? (options.UseRussianProductionCalendar ? Sla.ProductionCalendar.Russia : null);
        _additionalDays = options.AdditionalDays.ToDictionary(static d => d.Date, static d => Copy(d));
        _reductionTicks = options.ShortenedDayReductionMinutes * TimeSpan.TicksPerMinute;
        _years = new BusinessCalendarYear?[MaxSupportedYear - MinSupportedYear + 1];
    }

    /// <summary>
    /// Gets the default calendar: <c>Europe/Moscow</c>, Monday to Friday 09:00–18:00 with lunch 13:00–14:00, and the embedded
    /// Russian production calendar.
    /// </summary>
    public static BusinessCalendar Default => LazyDefault.Value;

    /// <summary>Gets a calendar in which every moment is working time, with results expressed in UTC.</summary>
    public static BusinessCalendar AroundTheClock { get; } = new(TimeZoneInfo.Utc);

    /// <summary>Gets the time zone whose local dates and working hours the calendar uses.</summary>
    public TimeZoneInfo TimeZone => _zone;

    /// <summary>Gets a value indicating whether every moment is working time.</summary>
    public bool IsAroundTheClock => _aroundTheClock;

    /// <summary>Gets the production calendar in use, or <see langword="null"/> when none applies.</summary>
    public ProductionCalendar? ProductionCalendar { get; }

    /// <summary>Creates a calendar from options.</summary>
    /// <param name="options">The options; they are validated and copied.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem (see <see cref="BusinessCalendarOptions.Validate"/>).</exception>
    public static BusinessCalendar Create(BusinessCalendarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid business calendar options:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", errors),
                nameof(options));
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZoneId);
        return options.AroundTheClock ? new BusinessCalendar(zone) : new BusinessCalendar(zone, options);
    }

    /// <summary>Creates a calendar in which every moment is working time, with results expressed in the given zone.</summary>
    /// <param name="timeZoneId">An IANA time zone id, for example <c>Europe/Moscow</c>.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeZoneId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timeZoneId"/> is blank or not a time zone known to this system.</exception>
    public static BusinessCalendar CreateAroundTheClock(string timeZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZoneId);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone))
        {
            throw new ArgumentException($"'{timeZoneId}' is not a time zone known to this system (expected an IANA id such as 'Europe/Moscow').", nameof(timeZoneId));
        }

        return new BusinessCalendar(zone);
    }

    /// <summary>
    /// Gets a value indicating whether the holidays of a year are provisional: the production calendar has no decree data for it, so
    /// only the Labour Code holidays (art. 112 part 1) and pre-holiday days (art. 95) apply, without transfers of days off.
    /// </summary>
    /// <param name="year">The local year.</param>
    /// <returns>
    /// <see langword="true"/> when the year is provisional; <see langword="false"/> when it is fixed by decree data, and always for a calendar
    /// without a production calendar or around the clock.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="year"/> is outside <see cref="MinSupportedYear"/>–<see cref="MaxSupportedYear"/>.</exception>
    public bool IsProvisional(int year)
    {
        ThrowIfYearOutOfRange(year, nameof(year));
        return ProductionCalendar is { } calendar && !_aroundTheClock && calendar.IsProvisional(year);
    }

    /// <summary>Gets a value indicating whether an instant is working time (the start of a working period counts, its end does not).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when <paramref name="instant"/> is inside working hours.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The instant's local year is outside the supported years.</exception>
    public bool IsWorkingTime(DateTimeOffset instant)
    {
        if (_aroundTheClock)
        {
            return true;
        }

        var utc = instant.UtcTicks;
        return YearOf(utc, nameof(instant)).Contains(utc);
    }

    /// <summary>Gets the first working moment at or after an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><paramref name="instant"/> itself when it is working time, otherwise the start of the next working period; in the calendar's zone.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The instant's local year, or the next working moment, is outside the supported years.</exception>
    public DateTimeOffset NextWorkingTime(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        if (_aroundTheClock)
        {
            return InZone(utc);
        }

        var year = YearOf(utc, nameof(instant));
        var next = year.NextWorkingAtOrAfter(utc, out var interval);
        while (next < 0)
        {
            year = NextYear(year, nameof(instant));
            next = year.First(out interval);
        }

        var offset = year.OffsetWithin(interval, next, _zone);
        return new DateTimeOffset(next + offset, new TimeSpan(offset));
    }

    /// <summary>Computes a deadline: the instant at which <paramref name="duration"/> of working time has elapsed since <paramref name="start"/>.</summary>
    /// <param name="start">The start; outside working time the clock starts at the next working moment.</param>
    /// <param name="duration">The working time to add.</param>
    /// <returns>
    /// The earliest instant at which the working time since <paramref name="start"/> equals <paramref name="duration"/>, in the calendar's zone:
    /// a deadline reached exactly at closing time is that closing time, not the next opening. A zero duration returns
    /// <paramref name="start"/> unchanged (the same instant, expressed in the calendar's zone), even outside working time.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="duration"/> is negative, or the start's or the deadline's local year is outside the supported years.
    /// </exception>
    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration)
    {
        var remaining = duration.Ticks;
        if (remaining < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must not be negative.");
        }

        var utc = start.UtcTicks;
        if (remaining == 0)
        {
            return InZone(utc);
        }

        if (_aroundTheClock)
        {
            if (remaining > DateTimeOffset.MaxValue.UtcTicks - utc)
            {
                throw new ArgumentOutOfRangeException(nameof(duration), duration, "The deadline is after DateTimeOffset.MaxValue.");
            }

            return InZone(utc + remaining);
        }

        var year = YearOf(utc, nameof(start));
        var cumulative = year.CumulativeAt(utc);
        var available = year.Total - cumulative;
        while (remaining > available)
        {
            remaining -= available;
            year = NextYear(year, nameof(duration));
            cumulative = 0;
            available = year.Total;
        }

        var result = year.Locate(cumulative + remaining, out var interval);
        var offset = year.OffsetWithin(interval, result, _zone);
        return new DateTimeOffset(result + offset, new TimeSpan(offset));
    }

    /// <summary>Computes the working time elapsed between two instants.</summary>
    /// <param name="from">The first instant.</param>
    /// <param name="to">The second instant.</param>
    /// <returns>
    /// The working time in [<paramref name="from"/>, <paramref name="to"/>); when <paramref name="to"/> is before <paramref name="from"/>, the negated
    /// working time in [<paramref name="to"/>, <paramref name="from"/>), so that <c>GetBusinessTime(a, b) == -GetBusinessTime(b, a)</c>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">The local year of an instant is outside the supported years.</exception>
    public TimeSpan GetBusinessTime(DateTimeOffset from, DateTimeOffset to)
    {
        long a = from.UtcTicks, b = to.UtcTicks;
        if (a == b)
        {
            return TimeSpan.Zero;
        }

        if (_aroundTheClock)
        {
            return new TimeSpan(b - a);
        }

        return a < b
            ? new TimeSpan(Elapsed(a, nameof(from), b, nameof(to)))
            : new TimeSpan(-Elapsed(b, nameof(to), a, nameof(from)));
    }

    /// <summary>Gets a value indicating whether a local date has any working time.</summary>
    /// <param name="date">The local date in the calendar's zone.</param>
    /// <returns><see langword="true"/> when the date has working hours.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> is outside the supported years.</exception>
    public bool IsWorkingDay(DateOnly date) => GetWorkingTime(date) > TimeSpan.Zero;

    /// <summary>Gets the working time scheduled on a local date (after holidays, transfers and shortening).</summary>
    /// <param name="date">The local date in the calendar's zone.</param>
    /// <returns>The working time of the date; the whole real length of the date around the clock.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> is outside the supported years.</exception>
    public TimeSpan GetWorkingTime(DateOnly date)
    {
        ThrowIfYearOutOfRange(date.Year, nameof(date));
        if (_aroundTheClock)
        {
            var midnight = date.ToDateTime(TimeOnly.MinValue).Ticks;
            return new TimeSpan(
                BusinessCalendarYear.LocalToUtc(_zone, midnight + TimeSpan.TicksPerDay) - BusinessCalendarYear.LocalToUtc(_zone, midnight));
        }

        return new TimeSpan(GetYear(date.Year).WorkingTicksOnDay(date.DayOfYear - 1));
    }

    /// <summary>Returns a short description of the calendar for logs and debugging.</summary>
    /// <returns>For example <c>BusinessCalendar(Europe/Moscow, working hours)</c>.</returns>
    public override string ToString() =>
        $"BusinessCalendar({_zone.Id}, {(_aroundTheClock ? "around the clock" : "working hours")})";

    private static CalendarDayOverride Copy(CalendarDayOverride day) => new()
    {
        Date = day.Date,
        Kind = day.Kind,
        WorkAs = day.WorkAs,
        Name = day.Name,
        Hours = day.Hours is null
            ? null
            : new DaySchedule
            {
                IsWorkingDay = day.Hours.IsWorkingDay,
                Start = day.Hours.Start,
                End = day.Hours.End,
                LunchStart = day.Hours.LunchStart,
                LunchEnd = day.Hours.LunchEnd,
            },
    };

    private static void ThrowIfYearOutOfRange(int year, string paramName)
    {
        if (year is < MinSupportedYear or > MaxSupportedYear)
        {
            throw new ArgumentOutOfRangeException(paramName, year, $"The year must be between {MinSupportedYear} and {MaxSupportedYear}.");
        }
    }

    private long Elapsed(long from, string fromName, long to, string toName)
    {
        var first = YearOf(from, fromName);
        var last = YearOf(to, toName);
        if (ReferenceEquals(first, last))
        {
            return last.CumulativeAt(to) - first.CumulativeAt(from);
        }

        var total = first.Total - first.CumulativeAt(from);
        for (var y = first.Year + 1; y < last.Year; y++)
        {
            total += GetYear(y).Total;
        }

        return total + last.CumulativeAt(to);
    }

    private DateTimeOffset InZone(long utc)
    {
        var offset = BusinessCalendarYear.OffsetAt(_zone, utc);
        return new DateTimeOffset(utc + offset, new TimeSpan(offset));
    }

    private BusinessCalendarYear YearOf(long utc, string paramName)
    {
        var last = Volatile.Read(ref _lastYear);
        if (last is not null && utc >= last.StartUtc && utc < last.EndUtc)
        {
            return last;
        }

        return YearOfSlow(utc, paramName);
    }

    private BusinessCalendarYear YearOfSlow(long utc, string paramName)
    {
        // The local year is the UTC year or a neighbour (offsets are within ±14 hours).
        var guess = Math.Clamp(new DateTime(utc, DateTimeKind.Utc).Year, MinSupportedYear, MaxSupportedYear);
        var year = GetYear(guess);
        if (utc < year.StartUtc && guess > MinSupportedYear)
        {
            year = GetYear(guess - 1);
        }
        else if (utc >= year.EndUtc && guess < MaxSupportedYear)
        {
            year = GetYear(guess + 1);
        }

        if (utc < year.StartUtc || utc >= year.EndUtc)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                $"The instant {new DateTime(utc, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)} is outside the supported local years {MinSupportedYear}–{MaxSupportedYear}.");
        }

        Volatile.Write(ref _lastYear, year);
        return year;
    }

    private BusinessCalendarYear NextYear(BusinessCalendarYear year, string paramName)
    {
        if (year.Year >= MaxSupportedYear)
        {
            throw new ArgumentOutOfRangeException(paramName, $"The result falls after the last supported local year {MaxSupportedYear}.");
        }

        return GetYear(year.Year + 1);
    }

    private BusinessCalendarYear GetYear(int year)
    {
        ref var slot = ref _years[year - MinSupportedYear];
        var built = Volatile.Read(ref slot);
        if (built is not null)
        {
            return built;
        }

        built = BuildYear(year);
        return Interlocked.CompareExchange(ref slot, built, null) ?? built;
    }

    private BusinessCalendarYear BuildYear(int year)
    {
        var production = ProductionCalendar?.GetDays(year).ToDictionary(static d => d.Date);
        return BusinessCalendarYear.Build(year, _zone, date => PlanOf(date, production));
    }

    private DayPlan PlanOf(DateOnly date, Dictionary<DateOnly, ProductionCalendarDay>? production)
    {
        CalendarDayKind kind;
        DayOfWeek? workAs;
        DaySchedule? hours = null;
        if (_additionalDays.TryGetValue(date, out var host))
        {
            (kind, workAs, hours) = (host.Kind, host.WorkAs, host.Hours);
        }
        else if (production is not null && production.TryGetValue(date, out var entry))
        {
            (kind, workAs) = (entry.Kind, entry.WorkAs);
        }
        else
        {
            return _weekly[(int)date.DayOfWeek];
        }

        if (kind is CalendarDayKind.Holiday or CalendarDayKind.DayOff)
        {
            return DayPlan.None;
        }

        var plan = hours is not null ? DayPlan.From(hours)
            : workAs is { } asDay && _weekly[(int)asDay].HasWork ? _weekly[(int)asDay]
            : _weekly[(int)date.DayOfWeek].HasWork ? _weekly[(int)date.DayOfWeek]
            : _firstWorkingDay;
        return kind == CalendarDayKind.Shortened ? plan.Shorten(_reductionTicks) : plan;
    }
}
