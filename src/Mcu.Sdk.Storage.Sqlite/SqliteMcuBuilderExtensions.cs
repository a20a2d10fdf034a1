using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage.Sqlite;
using Mcu.Sdk.Storage.Sqlite.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Registers the SQLite store on an <see cref="IMcuBuilder"/>.</summary>
public static class SqliteMcuBuilderExtensions
{
    /// <summary>Uses the durable SQLite store for appeals, the outbox and checkpoints, in one file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, such as <c>Data Source=mcu.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    /// <remarks>The file is opened (and its schema migrated) when the store is first resolved, normally when the host starts.</remarks>
    public static IMcuBuilder UseSqliteStore(this IMcuBuilder builder, string connectionString)
    {
        Throw.IfNullOrWhiteSpace(connectionString);
        return UseSqliteStore(builder, options => options.ConnectionString = connectionString);
    }

    /// <summary>Uses the durable SQLite store for appeals, the outbox and checkpoints, with options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options; they are validated when the host starts.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// With <see cref="SqliteStoreOptions.RetentionPeriod"/> set, a background service anonymises the personal data of
    /// appeals closed longer than that period, every <see cref="SqliteStoreOptions.RetentionCheckInterval"/>.
    /// </remarks>
    public static IMcuBuilder UseSqliteStore(this IMcuBuilder builder, Action<SqliteStoreOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        var services = builder.Services;
        services.AddOptions<SqliteStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteRetentionService>());
        return builder.UseStore(sp => new SqliteAppealStore(
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteAppealStore>()));
    }
}
