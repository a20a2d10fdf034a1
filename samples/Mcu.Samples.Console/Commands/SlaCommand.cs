using System.CommandLine;
using System.Globalization;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Input;
using Mcu.Sdk.Sla;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu sla deadline</c> and <c>mcu sla elapsed</c>: business-time arithmetic on the default schedule (Monday to Friday
/// 09:00–18:00, lunch 13:00–14:00) and the Russian production calendar, in a chosen time zone.
/// </summary>
/// <remarks>
/// The result is always the last line of standard output, so scripts can take it with <c>tail -n 1</c>: the deadline as
/// ISO 8601 with the zone's offset, or the elapsed business time as <c>hh:mm (N minutes)</c>.
/// </remarks>
internal static class SlaCommand
{
    /// <summary>The zone used when <c>--zone</c> is not given.</summary>
    public const string DefaultZone = "Europe/Moscow";

    /// <summary>Creates the <c>sla</c> command with its subcommands.</summary>
    /// <param name="context">The console.</param>
    /// <returns>The command.</returns>
    public static Command Create(ConsoleContext context)
    {
        var command = new Command("sla", "Business-time arithmetic of SLA clocks: working hours, weekends and the Russian production calendar.");
        command.Subcommands.Add(CreateDeadline(context));
        command.Subcommands.Add(CreateElapsed(context));
        return command;
    }

    /// <summary>Formats an instant as ISO 8601 with its offset (seconds always, fractions only when present).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>For example <c>2026-11-23T10:00:00+03:00</c>.</returns>
    public static string FormatInstant(DateTimeOffset instant) =>
        instant.ToString(instant.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>Formats a business-time span as <c>hh:mm (N minutes)</c>, with a minus sign when negative.</summary>
    /// <param name="span">The span.</param>
    /// <returns>For example <c>05:30 (330 minutes)</c>.</returns>
    public static string FormatSpan(TimeSpan span)
    {
        var sign = span < TimeSpan.Zero ? "-" : string.Empty;
        var abs = span.Duration();
        var hours = (long)abs.TotalHours;
        var minutes = abs.Minutes;
        var total = Math.Round(abs.TotalMinutes, 2);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{hours:00}:{minutes:00} ({sign}{total:0.##} minutes)");
    }

    private static Command CreateDeadline(ConsoleContext context)
    {
        var from = FromOption();
        var hours = new Option<double>("--business-hours")
        {
            Description = "The business time to add, in hours (fractions allowed: 1.5 = 1 h 30 min).",
            HelpName = "H",
            Required = true,
        };
        hours.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || value < 0 || value > 100_000)
            {
                result.AddError("--business-hours must be from 0 to 100000.");
            }
        });
        var zone = ZoneOption();
        var command = new Command("deadline", "Print the deadline: the instant when the given business hours have elapsed since --from (last line, ISO 8601 in the zone).")
        {
            from, hours, zone,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (await PrepareAsync(context, parse.GetValue(zone)!, [("--from", parse.GetValue(from)!)]).ConfigureAwait(false) is not { } prepared)
            {
                return ExitCodes.Error;
            }

            var (calendar, instants) = prepared;
            var duration = TimeSpan.FromHours(parse.GetValue(hours));
            DateTimeOffset deadline;
            try
            {
                deadline = calendar.AddBusinessTime(instants[0], duration);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                await context.Error.WriteLineAsync("error: " + FirstLine(ex.Message)).ConfigureAwait(false);
                return ExitCodes.Error;
            }

            await DescribeAsync(context, calendar, instants[0], deadline).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"business time: {FormatSpan(duration)}").ConfigureAwait(false);
            await context.Out.WriteLineAsync(FormatInstant(deadline)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateElapsed(ConsoleContext context)
    {
        var from = FromOption();
        var to = new Option<string>("--to")
        {
            Description = "The end instant, ISO 8601; with an offset, or without one for a local time in --zone.",
            HelpName = "ISO-8601",
            Required = true,
        };
        var zone = ZoneOption();
        var command = new Command("elapsed", "Print the business time between --from and --to (last line: hh:mm and the total in minutes; negative when --to is earlier).")
        {
            from, to, zone,
        };
        command.SetAction(async (parse, ct) =>
        {
            var inputs = new[] { ("--from", parse.GetValue(from)!), ("--to", parse.GetValue(to)!) };
            if (await PrepareAsync(context, parse.GetValue(zone)!, inputs).ConfigureAwait(false) is not { } prepared)
            {
                return ExitCodes.Error;
            }

            var (calendar, instants) = prepared;
            TimeSpan elapsed;
            try
            {
                elapsed = calendar.GetBusinessTime(instants[0], instants[1]);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                await context.Error.WriteLineAsync("error: " + FirstLine(ex.Message)).ConfigureAwait(false);
                return ExitCodes.Error;
            }

            await DescribeAsync(context, calendar, instants[0], instants[1]).ConfigureAwait(false);
            await context.Out.WriteLineAsync(FormatSpan(elapsed)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string> FromOption() => new("--from")
    {
        Description = "The start instant, ISO 8601: 2026-11-20T17:00+03:00; without an offset it is a local time in --zone.",
        HelpName = "ISO-8601",
        Required = true,
    };

    private static Option<string> ZoneOption() => new("--zone")
    {
        Description = "The IANA time zone of the working hours and of the printed results.",
        HelpName = "IANA",
        DefaultValueFactory = _ => DefaultZone,
    };

    /// <summary>Builds the calendar of the zone and parses the instants; reports the first problem on standard error.</summary>
    private static async Task<(BusinessCalendar Calendar, DateTimeOffset[] Instants)?> PrepareAsync(
        ConsoleContext context, string zoneId, (string Option, string Text)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(zoneId) || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            await context.Error.WriteLineAsync($"error: unknown time zone '{zoneId}' (expected an IANA id such as Europe/Moscow, Europe/Samara or Asia/Vladivostok).").ConfigureAwait(false);
            return null;
        }

        BusinessCalendar calendar;
        try
        {
            // The default calendar (schedule, lunch, production calendar) with the zone overridden.
            calendar = zoneId == BusinessCalendar.Default.TimeZone.Id
                ? BusinessCalendar.Default
                : BusinessCalendar.Create(new BusinessCalendarOptions { TimeZoneId = zoneId });
        }
        catch (ArgumentException ex)
        {
            await context.Error.WriteLineAsync("error: " + FirstLine(ex.Message)).ConfigureAwait(false);
            return null;
        }

        var instants = new DateTimeOffset[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            var (option, text) = inputs[i];
            if (!TryParseInstant(text, zone, out instants[i]))
            {
                await context.Error.WriteLineAsync($"error: {option} '{text}' is not an ISO 8601 date and time (such as 2026-11-20T17:00+03:00, or 2026-11-20T17:00 for a local time in {zoneId}).").ConfigureAwait(false);
                return null;
            }

            if (instants[i].Year is < BusinessCalendar.MinSupportedYear or > BusinessCalendar.MaxSupportedYear)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"error: {option} must fall within the years {BusinessCalendar.MinSupportedYear}–{BusinessCalendar.MaxSupportedYear}.")).ConfigureAwait(false);
                return null;
            }
        }

        return (calendar, instants);
    }

    private static bool TryParseInstant(string text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text) || !text.Contains('T', StringComparison.Ordinal))
        {
            return false;
        }

        if (InboundMessageParser.TryParseInstant(text, out instant))
        {
            return true;
        }

        // No offset: a wall-clock time in the zone.
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || local.Kind != DateTimeKind.Unspecified)
        {
            return false;
        }

        if (zone.IsInvalidTime(local))
        {
            return false;
        }

        instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }

    private static async Task DescribeAsync(ConsoleContext context, BusinessCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        var zone = calendar.TimeZone;
        await context.Out.WriteLineAsync($"calendar: {zone.Id}, Monday–Friday 09:00–18:00, lunch 13:00–14:00, Russian production calendar").ConfigureAwait(false);
        var first = TimeZoneInfo.ConvertTime(from, zone);
        var second = TimeZoneInfo.ConvertTime(to, zone);
        await context.Out.WriteLineAsync($"from: {FormatInstant(first)} ({first.DayOfWeek}{DayNote(calendar, first)})").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"to:   {FormatInstant(second)} ({second.DayOfWeek}{DayNote(calendar, second)})").ConfigureAwait(false);
        foreach (var year in new[] { first.Year, second.Year }.Distinct())
        {
            if (calendar.IsProvisional(year))
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"note: the holidays of {year} are provisional (no decree yet): Labour Code holidays only, no transferred days.")).ConfigureAwait(false);
            }
        }
    }

    private static string DayNote(BusinessCalendar calendar, DateTimeOffset local) =>
        calendar.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) ? string.Empty : ", a day off";

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
