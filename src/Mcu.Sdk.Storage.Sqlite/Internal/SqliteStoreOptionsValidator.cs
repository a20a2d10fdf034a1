using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>Validates <see cref="SqliteStoreOptions"/>.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateConnectionString(options.ConnectionString, failures);
        if (!Enum.IsDefined(options.Synchronous))
        {
            failures.Add($"Sqlite:Synchronous must be Normal, Full or Extra; got {(int)options.Synchronous}.");
        }

        if (options.MaxBatchSize is < 1 or > 10_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Sqlite:MaxBatchSize must be from 1 to 10,000; got {options.MaxBatchSize}."));
        }

        if (options.MaxCommitDelay < TimeSpan.Zero || options.MaxCommitDelay > TimeSpan.FromMilliseconds(100))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Sqlite:MaxCommitDelay must be from 0 to 100 milliseconds; got {options.MaxCommitDelay}."));
        }

        if (options.ReadConnections is < 1 or > 256)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Sqlite:ReadConnections must be from 1 to 256; got {options.ReadConnections}."));
        }

        if (options.BusyTimeout < TimeSpan.FromSeconds(1) || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Sqlite:BusyTimeout must be from 1 second to 10 minutes; got {options.BusyTimeout}."));
        }

        if (options.RetentionPeriod is { } retention && retention < TimeSpan.FromDays(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Sqlite:RetentionPeriod must be at least 1 day when set; got {retention}."));
        }

        if (options.RetentionCheckInterval < TimeSpan.FromMinutes(1) || options.RetentionCheckInterval > TimeSpan.FromDays(30))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Sqlite:RetentionCheckInterval must be from 1 minute to 30 days; got {options.RetentionCheckInterval}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateConnectionString(string? connectionString, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            failures.Add("Sqlite:ConnectionString is required, for example \"Data Source=mcu.db\".");
            return;
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            failures.Add($"Sqlite:ConnectionString is not a valid SQLite connection string: {ex.Message}");
            return;
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal)
            || builder.Mode == SqliteOpenMode.Memory)
        {
            failures.Add("Sqlite:ConnectionString must name a database file (\"Data Source=mcu.db\"); an in-memory database is not durable — use the in-memory store instead.");
        }
        else if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            failures.Add("Sqlite:ConnectionString must allow writing (Mode=ReadWriteCreate or ReadWrite); the store writes appeals, the outbox and checkpoints.");
        }
    }
}
