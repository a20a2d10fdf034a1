using System.Globalization;
using System.Runtime.CompilerServices;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mcu.Sdk.Storage.Sqlite;

/// <summary>
/// The durable embedded store: appeals with their history, the reply outbox and channel checkpoints in one SQLite file
/// (WAL, <c>synchronous=FULL</c> by default). An acknowledged write survives a killed process and, with the default
/// synchronous mode, a power failure.
/// </summary>
/// <remarks>
/// <para>
/// Safe for concurrent use. Every write goes through one writer thread with group commit: concurrent writes share one
/// transaction and one fsync, and each caller's task completes only after that commit. Reads run concurrently on pooled
/// read connections. The schema is versioned; forward migrations run when the store opens, and a file from a newer
/// version of the package is refused with a clear error.
/// </para>
/// <para>
/// Hosts usually register it with <c>UseSqliteStore(...)</c> on the <see cref="IMcuBuilder"/>; create it directly for
/// tools and tests, and dispose it to drain queued writes and close the file.
/// </para>
/// </remarks>
public sealed partial class SqliteAppealStore : IAppealStore, ICheckpointStore, IAsyncDisposable, IDisposable
{
    private const int NumberBlock = 100;
    private const int PurgeChunk = 200;

    private const string SelectAppealById = "SELECT d.document FROM appeals a JOIN appeal_documents d ON d.seq = a.seq WHERE a.id = $id";
    private const string SelectAppealByMessage =
        "SELECT d.document FROM messages m JOIN appeals a ON a.id = m.appeal_id JOIN appeal_documents d ON d.seq = a.seq WHERE m.key = $key";
    private const string SelectOpenByConversation =
        "SELECT d.document FROM appeals a JOIN appeal_documents d ON d.seq = a.seq "
        + "WHERE a.channel = $channel AND a.conversation_key = $conversation AND a.is_open = 1 ORDER BY a.open_seq DESC LIMIT 1";
    private const string SelectOutboxOfAppeal = "SELECT " + RawOutboxRow.SelectList + " FROM outbox WHERE appeal_id = $appeal_id ORDER BY sequence";

    // Pending replies are not in ix_outbox_status (a new reply enters one index fewer); the partial ix_outbox_due holds them all.
    private const string SelectPendingOutbox = "SELECT " + RawOutboxRow.SelectList + " FROM outbox INDEXED BY ix_outbox_due WHERE status = 0 ORDER BY sequence";
    private const string SelectOutboxByStatus = "SELECT " + RawOutboxRow.SelectList + " FROM outbox INDEXED BY ix_outbox_status WHERE status = $status AND status <> 0 ORDER BY sequence";
    private const string SelectCheckpoint = "SELECT value FROM checkpoints WHERE key = $key";

    private readonly SqliteConnection _writer;
    private readonly WriteSession _session;
    private readonly WriteQueue _writes;
    private readonly Checkpointer _checkpointer;
    private readonly ReaderPool _readers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _numbers = new();
    private readonly SemaphoreSlim _numberRefill = new(1, 1);
    private long _nextNumber = 1;
    private long _numberLimit;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteAppealStore"/> class: opens (or creates) the file and migrates its schema.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock (used to stamp anonymisation); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    /// <exception cref="McuException">The file belongs to another application or was written by a newer version of the package.</exception>
    /// <exception cref="SqliteException">The file cannot be opened.</exception>
    public SqliteAppealStore(SqliteStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteAppealStore>? logger = null)
        : this(options, timeProvider, logger, Schema.Migrations)
    {
    }

    internal SqliteAppealStore(SqliteStoreOptions options, TimeProvider? timeProvider, ILogger? logger, IReadOnlyList<Migration> migrations)
    {
        Throw.IfNull(options);
        var validation = new SqliteStoreOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;

        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        builder.DataSource = Path.GetFullPath(builder.DataSource);
        DataSource = builder.DataSource;
        if (Path.GetDirectoryName(DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        _writer = new SqliteConnection(builder.ToString());
        WriteSession? session = null;
        Checkpointer? checkpointer = null;
        try
        {
            _writer.Open();

            // Refuse another application's file, or a newer version's, before changing anything in it.
            Schema.Check(_writer, migrations.Count, DataSource);
            var journal = Convert.ToString(Scalar(_writer, "PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture);
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new McuException($"The SQLite database '{DataSource}' could not switch to WAL journaling (it reports '{journal}'); the store needs a local file system.");
            }

            // Checkpoints run on their own thread (see Checkpointer), not inside the writer's commits.
            var synchronous = options.Synchronous.ToString().ToUpperInvariant();
            Execute(_writer, $"PRAGMA synchronous = {synchronous}; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;");
            var from = Schema.Migrate(_writer, migrations, DataSource);
            SchemaVersionInFile = migrations.Count;
            session = new WriteSession(_writer, options.BusyTimeout);
            checkpointer = new Checkpointer(builder.ToString(), DataSource);
            _readers = new ReaderPool(builder.ToString(), options.ReadConnections, options.BusyTimeout);
            _writes = new WriteQueue(session, checkpointer, options.MaxBatchSize, options.MaxCommitDelay, DataSource);
            _session = session;
            _checkpointer = checkpointer;
            LogOpened(DataSource, SchemaVersionInFile, from, synchronous);
        }
        catch
        {
            checkpointer?.Dispose();
            session?.Dispose();
            _writer.Dispose();
            throw;
        }
    }

    /// <summary>Gets the schema version this version of the package writes.</summary>
    public static int SchemaVersion => Schema.CurrentVersion;

    /// <summary>Gets the full path of the database file.</summary>
    public string DataSource { get; }

    /// <summary>Gets the schema version of the open file.</summary>
    internal int SchemaVersionInFile { get; }

    /// <inheritdoc/>
    public async ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        lock (_numbers)
        {
            if (_nextNumber <= _numberLimit)
            {
                return _nextNumber++;
            }
        }

        // Numbers are reserved durably in blocks, so a number costs a commit only once per block; a crash leaves a gap.
        await _numberRefill.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_numbers)
            {
                if (_nextNumber <= _numberLimit)
                {
                    return _nextNumber++;
                }
            }

            var limit = await _writes.Enqueue(new ReserveNumbersRequest(NumberBlock)).ConfigureAwait(false);
            lock (_numbers)
            {
                _nextNumber = limit - NumberBlock + 1;
                _numberLimit = limit;
                return _nextNumber++;
            }
        }
        finally
        {
            _numberRefill.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(appeal);
        Throw.IfNull(outbox);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        var rows = ToRows(outbox, appeal.Id);
        var stored = appeal with { Version = 1 };
        var outcome = await _writes.Enqueue(new AddAppealRequest(AppealRow.From(stored), rows, cancellationToken)).ConfigureAwait(false);
        return outcome.Added
            ? new AddAppealResult(stored, true)
            : new AddAppealResult(DocumentMapper.DeserializeAppeal(outcome.ExistingDocument!), false);
    }

    /// <inheritdoc/>
    public async ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(appeal);
        Throw.IfNull(outbox);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        var rows = ToRows(outbox, appeal.Id);
        var stored = appeal with { Version = appeal.Version + 1 };
        await _writes.Enqueue(new UpdateAppealRequest(AppealRow.From(stored), appeal.Version, rows, cancellationToken)).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc/>
    public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(ReadAppeal(SelectAppealById, "$id", Columns.Id(id)));
    }

    /// <inheritdoc/>
    public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(externalId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(ReadAppeal(SelectAppealByMessage, "$key", Columns.MessageKey(channel, externalId)));
    }

    /// <inheritdoc/>
    public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(conversationKey);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = RentReader();
        try
        {
            var statement = connection.Get(SelectOpenByConversation, "$channel", "$conversation");
            statement[0].Value = channel.Value;
            statement[1].Value = conversationKey;
            using var reader = statement.Read();
            return ValueTask.FromResult(reader.Read() ? Columns.ReadBlob(reader, 0, DocumentMapper.DeserializeAppeal) : null);
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The query runs on one read connection and a consistent snapshot of the file; appeals are parsed as they are enumerated.</remarks>
    public async IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNull(query);
        var (sql, names, values) = AppealQuerySql.Build(query);
        var connection = RentReader();
        try
        {
            var statement = connection.Get(sql, names);
            for (var i = 0; i < values.Length; i++)
            {
                statement[i].Value = values[i];
            }

            using var reader = statement.Read();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Columns.ReadBlob(reader, 0, DocumentMapper.DeserializeAppeal);
            }
        }
        finally
        {
            _readers.Return(connection);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        Throw.IfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        var rows = await _writes.Enqueue(new LeaseOutboxRequest(now, maxCount, leaseDuration, owner, cancellationToken)).ConfigureAwait(false);
        var messages = new OutboxMessage[rows.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = rows[i].ToMessage();
        }

        Array.Sort(messages, static (a, b) => a.NextAttemptAt != b.NextAttemptAt ? a.NextAttemptAt.CompareTo(b.NextAttemptAt) : a.Sequence.CompareTo(b.Sequence));
        return messages;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(message);
        Throw.IfNullOrWhiteSpace(leaseOwner);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return await _writes.Enqueue(new UpdateOutboxRequest(OutboxRow.From(message), leaseOwner, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = RentReader();
        try
        {
            var statement = connection.Get(SelectOutboxOfAppeal, "$appeal_id");
            statement[0].Value = Columns.Id(appealId);
            var messages = new List<OutboxMessage>();
            using var reader = statement.Read();
            while (reader.Read())
            {
                messages.Add(RawOutboxRow.ReadMessage(reader));
            }

            return ValueTask.FromResult<IReadOnlyList<OutboxMessage>>(messages);
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = RentReader();
        try
        {
            Statement statement;
            if (status == OutboxStatus.Pending)
            {
                statement = connection.Get(SelectPendingOutbox);
            }
            else
            {
                statement = connection.Get(SelectOutboxByStatus, "$status");
                statement[0].Value = (int)status;
            }

            using var reader = statement.Read();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return RawOutboxRow.ReadMessage(reader);
            }
        }
        finally
        {
            _readers.Return(connection);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<string?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(key);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = RentReader();
        try
        {
            var statement = connection.Get(SelectCheckpoint, "$key");
            statement[0].Value = key;
            return ValueTask.FromResult(statement.Scalar() as string);
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <inheritdoc/>
    public async ValueTask SetCheckpointAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(key);
        Throw.IfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await _writes.Enqueue(new SetCheckpointRequest(key, value, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the report of the appeals received in a period from the store's indexed columns, without parsing the stored
    /// documents: the same report as <see cref="AppealReport.BuildAsync"/> over this store, several times faster (a year of
    /// a city, about 75,000 appeals, in a fraction of a second).
    /// </summary>
    /// <param name="now">The moment of the report (for overdue open appeals).</param>
    /// <param name="from">The start of the period (inclusive), or <see langword="null"/>.</param>
    /// <param name="to">The end of the period (exclusive), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public ValueTask<AppealReport> BuildReportAsync(DateTimeOffset now, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = RentReader();
        try
        {
            var (sql, names, values) = ReportRows.Build(from, to);
            var statement = connection.Get(sql, names);
            for (var i = 0; i < values.Length; i++)
            {
                statement[i].Value = values[i];
            }

            using var reader = statement.Read();
            return ValueTask.FromResult(AppealReport.Build(ReportRows.ReadAll(reader, cancellationToken), now, from, to));
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <summary>
    /// Anonymises the citizens' personal data in appeals closed (or rejected) before a moment: the name and channel user
    /// id, the conversation and message ids, the reply addresses, and phone numbers and e-mail addresses in every text,
    /// including the texts of the replies. Channel, topic, unit, status, times, deadlines, flags, rating and district are
    /// kept, so reports over the period do not change.
    /// </summary>
    /// <param name="closedBefore">Appeals closed before this moment are anonymised.</param>
    /// <param name="cancellationToken">A token to cancel the operation (appeals anonymised so far stay anonymised).</param>
    /// <returns>How many appeals were anonymised (each appeal is anonymised once).</returns>
    /// <remarks>
    /// The purge runs in small transactions through the writer, so intake goes on meanwhile. An anonymised appeal keeps its
    /// message keys (hashes), so a replay of an old message is still recognised as a duplicate. The appeal's version is
    /// incremented, so a desk holding an older snapshot cannot write the personal data back.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async ValueTask<int> PurgePersonalDataAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = await _writes.Enqueue(new AnonymizeRequest(closedBefore, _time.GetUtcNow(), PurgeChunk, cancellationToken)).ConfigureAwait(false);
            total += count;
            if (count < PurgeChunk)
            {
                break;
            }
        }

        LogPurged(total, closedBefore, DataSource);
        return total;
    }

    /// <summary>Runs the queued writes, gives back unused reserved numbers, and closes the file.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writes.CloseAsync().ConfigureAwait(false);
        ReturnUnusedNumbers();
        _checkpointer.Dispose();
        _readers.Dispose();
        _session.Dispose();
        _writer.Dispose();
        _numberRefill.Dispose();
    }

    /// <summary>Runs the queued writes, gives back unused reserved numbers, and closes the file.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Appeal? ReadAppeal(string sql, string parameter, byte[] value)
    {
        var connection = RentReader();
        try
        {
            var statement = connection.Get(sql, parameter);
            statement[0].Value = value;
            using var reader = statement.Read();
            return reader.Read() ? Columns.ReadBlob(reader, 0, DocumentMapper.DeserializeAppeal) : null;
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <summary>Gets the number of batches committed so far (for tests of group commit).</summary>
    internal long CommittedBatches => _writes.Commits;

    /// <summary>Gets the number of writes waiting for the writer (for tests of group commit).</summary>
    internal int PendingWrites => _writes.PendingCount;

    /// <summary>Reads a pragma on the writer's connection, through the writer (for tests of the configuration).</summary>
    /// <param name="name">The pragma name.</param>
    /// <returns>Its value as text.</returns>
    internal Task<string?> ReadWriterPragmaAsync(string name) => _writes.Enqueue(new PragmaRequest(name));

    private ReadConnection RentReader()
    {
        ThrowIfDisposed();
        return _readers.Rent();
    }

    private static OutboxRow[] ToRows(IReadOnlyList<OutboxMessage> outbox, Guid appealId)
    {
        if (outbox.Count == 0)
        {
            return [];
        }

        var rows = new OutboxRow[outbox.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var message = outbox[i] ?? throw new ArgumentException("An outbox message is null.", nameof(outbox));
            if (message.AppealId != appealId)
            {
                throw new ArgumentException($"Outbox message {message.Id} belongs to appeal {message.AppealId}, not {appealId}.", nameof(outbox));
            }

            rows[i] = OutboxRow.From(message);
        }

        return rows;
    }

    private void ReturnUnusedNumbers()
    {
        long next, limit;
        lock (_numbers)
        {
            next = _nextNumber;
            limit = _numberLimit;
        }

        if (next > limit)
        {
            return;
        }

        try
        {
            _session.ReturnNumbers[0].Value = next - 1;
            _session.ReturnNumbers[1].Value = limit;
            _session.ReturnNumbers.Execute();
        }
        catch (SqliteException ex)
        {
            // Only a gap in the numbers is left behind.
            LogNumbersNotReturned(ex, DataSource);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Built from constants and an enum name.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "SQLite store {DataSource} opened: schema version {Version} (was {PreviousVersion}), synchronous={Synchronous}")]
    private partial void LogOpened(string dataSource, int version, int previousVersion, string synchronous);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Anonymised the personal data of {Count} appeal(s) closed before {ClosedBefore:O} in {DataSource}")]
    private partial void LogPurged(int count, DateTimeOffset closedBefore, string dataSource);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Unused reserved appeal numbers of {DataSource} could not be given back; the numbering has a gap")]
    private partial void LogNumbersNotReturned(Exception exception, string dataSource);
}
