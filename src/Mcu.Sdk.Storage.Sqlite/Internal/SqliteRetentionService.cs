using Mcu.Sdk.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>Anonymises appeals past the retention period, periodically, when a retention period is configured.</summary>
internal sealed partial class SqliteRetentionService(
    IServiceProvider services,
    IOptions<SqliteStoreOptions> options,
    TimeProvider time,
    ILogger<SqliteRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.RetentionPeriod is not { } period)
        {
            return;
        }

        // Another store may have replaced the SQLite one after UseSqliteStore; then there is nothing to purge here.
        if (services.GetService<IAppealStore>() is not SqliteAppealStore store)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.PurgePersonalDataAsync(time.GetUtcNow() - period, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is SqliteException or McuException or InvalidDataException or InvalidOperationException)
            {
                LogPurgeFailed(ex);
            }

            try
            {
                await Task.Delay(settings.RetentionCheckInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "The retention purge of the SQLite store failed; it runs again at the next interval")]
    private partial void LogPurgeFailed(Exception exception);
}
