namespace Mcu.Sdk.Storage.Sqlite;

/// <summary>How SQLite waits for the disk when a transaction commits (<c>PRAGMA synchronous</c>, in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// The write-ahead log is synced at checkpoints only: a killed process loses nothing, but a power failure or an
    /// operating-system crash may lose the last commits (never corrupts the file). Faster on slow disks.
    /// </summary>
    Normal = 1,

    /// <summary>Every commit is synced to the disk before it is acknowledged: nothing acknowledged is lost, even on a power failure.</summary>
    Full = 2,

    /// <summary>As <see cref="Full"/>, and the directory is synced too when the log is created or deleted.</summary>
    Extra = 3,
}

/// <summary>Options of the SQLite store.</summary>
/// <remarks>Validated when the host starts (or when the store is created directly).</remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the connection string, such as <c>Data Source=mcu.db</c>.</summary>
    /// <value>
    /// Required. It must name a file (not <c>:memory:</c>); the file and its <c>-wal</c> and <c>-shm</c> companions are
    /// created when missing. Pooling is managed by the store itself.
    /// </value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets how commits wait for the disk.</summary>
    /// <value>The default value is <see cref="SqliteSynchronousMode.Full"/>: an acknowledged write survives a power failure.</value>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>Gets or sets the largest number of writes that share one transaction (group commit).</summary>
    /// <value>From 1 to 10,000. The default value is 512.</value>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// Gets or sets how long the writer may wait for the callers it just served before it starts the next transaction, so
    /// that concurrent writers share one commit (and one fsync) instead of alternating between half-full ones. A lone
    /// writer never waits.
    /// </summary>
    /// <value>From zero (never wait) to 100 milliseconds. The default value is 1 millisecond.</value>
    public TimeSpan MaxCommitDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Gets or sets how many idle read connections the store keeps open (more are opened while needed).</summary>
    /// <value>From 1 to 256. The default value is 8.</value>
    public int ReadConnections { get; set; } = 8;

    /// <summary>Gets or sets how long a statement waits for a lock held by another process before it fails.</summary>
    /// <value>From 1 second to 10 minutes. The default value is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long after closing an appeal its citizen's personal data is kept: after it, the retention service
    /// anonymises the appeal (names, channel user ids, phone numbers and e-mails) and keeps its statistics.
    /// </summary>
    /// <value>At least 1 day, or <see langword="null"/> to keep personal data until a host calls <see cref="SqliteAppealStore.PurgePersonalDataAsync"/>. The default value is <see langword="null"/>.</value>
    public TimeSpan? RetentionPeriod { get; set; }

    /// <summary>Gets or sets how often the retention service looks for appeals past <see cref="RetentionPeriod"/>.</summary>
    /// <value>From 1 minute to 30 days. The default value is 1 day.</value>
    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromDays(1);
}
