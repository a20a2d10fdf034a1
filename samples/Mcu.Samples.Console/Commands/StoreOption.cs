using System.Diagnostics.CodeAnalysis;
using Mcu.Sdk;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// The <c>--store</c> option of <c>mcu replay|simulate|report|bench</c>: <c>memory</c> (the default, lost when the command
/// ends) or <c>sqlite:FILE</c> (the durable SQLite store in FILE, created when missing, kept between runs).
/// </summary>
internal static class StoreOption
{
    /// <summary>The option's help text.</summary>
    public const string Description =
        "Where the desk keeps appeals: memory (the default; gone when the command ends) or sqlite:FILE (durable, kept between runs; for example sqlite:mcu.db).";

    private const string SqlitePrefix = "sqlite:";

    /// <summary>Creates the <c>--store</c> option, validated with <see cref="TryParse"/>.</summary>
    /// <returns>The option.</returns>
    public static System.CommandLine.Option<string?> Create()
    {
        var option = new System.CommandLine.Option<string?>("--store")
        {
            Description = Description,
            HelpName = "memory|sqlite:FILE",
        };
        option.Validators.Add(result =>
        {
            if (!TryParse(result.GetValueOrDefault<string?>(), out _, out var error))
            {
                result.AddError(error);
            }
        });
        return option;
    }

    /// <summary>Configures the store of the SDK.</summary>
    /// <param name="mcu">The builder.</param>
    /// <param name="store">The option's value: <see langword="null"/> or <c>memory</c>, or <c>sqlite:FILE</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="mcu"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="store"/> is neither <c>memory</c> nor <c>sqlite:FILE</c>.</exception>
    public static void Apply(IMcuBuilder mcu, string? store)
    {
        ArgumentNullException.ThrowIfNull(mcu);
        if (!TryParse(store, out var sqliteFile, out var error))
        {
            throw new ArgumentException(error, nameof(store));
        }

        if (sqliteFile is null)
        {
            mcu.UseInMemoryStore();
        }
        else
        {
            mcu.UseSqliteStore(ConnectionString(sqliteFile));
        }
    }

    /// <summary>Parses the option's value.</summary>
    /// <param name="store">The value.</param>
    /// <param name="sqliteFile">The SQLite file, or <see langword="null"/> for the in-memory store.</param>
    /// <param name="error">Why the value is wrong, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the value is valid.</returns>
    public static bool TryParse(string? store, out string? sqliteFile, [NotNullWhen(false)] out string? error)
    {
        sqliteFile = null;
        error = null;
        var value = store?.Trim();
        if (string.IsNullOrEmpty(value) || string.Equals(value, "memory", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var file = value[SqlitePrefix.Length..].Trim();
            if (file.Length == 0)
            {
                error = "--store sqlite: needs a file name, for example sqlite:mcu.db.";
                return false;
            }

            if (string.Equals(file, ":memory:", StringComparison.Ordinal))
            {
                error = "--store sqlite::memory: is not durable; use --store memory for an in-memory run.";
                return false;
            }

            sqliteFile = file;
            return true;
        }

        error = $"Unknown --store '{store}': use memory (the default) or sqlite:FILE, for example sqlite:mcu.db.";
        return false;
    }

    /// <summary>Builds the connection string of a SQLite file.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The connection string.</returns>
    public static string ConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file }.ToString();

    /// <summary>
    /// Builds the report of a period: from the SQLite store's indexed columns when the store is SQLite (a year of a city in a
    /// fraction of a second), otherwise over the full appeals.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="now">The moment of the report.</param>
    /// <param name="from">The start of the period, or <see langword="null"/>.</param>
    /// <param name="to">The end of the period, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The report.</returns>
    public static ValueTask<AppealReport> BuildReportAsync(IAppealStore store, DateTimeOffset now, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken) =>
        store is SqliteAppealStore sqlite
            ? sqlite.BuildReportAsync(now, from, to, cancellationToken)
            : AppealReport.BuildAsync(store, now, from, to, cancellationToken);
}
