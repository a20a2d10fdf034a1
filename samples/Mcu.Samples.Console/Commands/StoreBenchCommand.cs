using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mcu.Sdk;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu bench --store sqlite:FILE</c>: durable ingest into the SQLite store — appeals per second with 16 concurrent
/// producers, each waiting until its appeal is durable, with <c>synchronous=FULL</c> (the default) and <c>NORMAL</c> — next
/// to the raw cost of inserting the very same rows with plain batched SQLite inserts in the same run, as a ratio.
/// </summary>
/// <remarks>
/// <para>
/// Durable ingest calls <see cref="IAppealStore.AddAsync"/> with the appeal and its acknowledgement in the outbox, as the
/// desk does; each call returns after the commit (group commit shares one transaction and one fsync between the writes
/// that are waiting). The raw baseline reads the rows the durable run wrote (appeal, message key, outbox message: the
/// same bytes) and inserts them into a new file of the same schema and synchronous mode on one connection with prepared
/// statements, 1,000 appeals per transaction. Ratio = durable rate / raw rate of the same synchronous mode.
/// </para>
/// <para>Each figure is the best of <see cref="Rounds"/> rounds after a warm-up. The files are FILE and FILE-raw (with their
/// <c>-wal</c>/<c>-shm</c>), created for the run and deleted after it; an existing FILE is refused.</para>
/// </remarks>
internal static class StoreBenchCommand
{
    /// <summary>How many producers ingest concurrently.</summary>
    public const int Producers = 16;

    /// <summary>How many measured rounds each figure is the best of.</summary>
    public const int Rounds = 3;

    /// <summary>How many appeals one round ingests.</summary>
    public const int Count = 20_000;

    /// <summary>The target of durable ingest with <c>synchronous=FULL</c> on the reference machine.</summary>
    public const double TargetRate = 20_000;

    /// <summary>The target of the ratio of durable ingest to raw inserts.</summary>
    public const double TargetRatio = 0.5;

    private const int RawBatch = 1_000;
    private const int WarmUp = 2_000;

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(3));

    private static readonly string[] Texts =
    [
        "Во дворе дома {0} по улице Красной третий день не вывозят мусор, контейнеры переполнены, запах на весь двор.",
        "На перекрёстке у дома {0} не работает светофор, пешеходы перебегают дорогу между машинами.",
        "В подъезде дома {0} вторую неделю не горит свет на лестнице, жильцы ходят с фонариками.",
        "Возле остановки у дома {0} огромная яма на проезжей части, вчера пробили колесо.",
        "Во дворе дома {0} сломаны качели на детской площадке, острые края торчат наружу.",
        "В доме {0} нет горячей воды с утра, управляющая компания трубку не берёт.",
    ];

    /// <summary>Runs the benchmark and prints the table.</summary>
    /// <param name="file">The SQLite file to create for the run (it must not exist).</param>
    /// <param name="stdout">Where the table goes.</param>
    /// <param name="stderr">Where progress and errors go.</param>
    /// <param name="ct">A token to cancel the run.</param>
    /// <returns>The exit code: 0, or 1 when the file exists or cannot be created.</returns>
    public static async Task<int> RunAsync(string file, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var durableFile = Path.GetFullPath(file);
        var rawFile = durableFile + "-raw";
        foreach (var path in new[] { durableFile, rawFile })
        {
            if (File.Exists(path))
            {
                await stderr.WriteLineAsync($"bench: {path} exists; the benchmark creates and deletes its own files — give the name of a new file.").ConfigureAwait(false);
                return 1;
            }
        }

        try
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: generating {Count} appeals...")).ConfigureAwait(false);
            var appeals = Generate(Count);
            await stderr.WriteLineAsync("bench: warming up...").ConfigureAwait(false);
            var warmRows = await DurableAsync(durableFile, SqliteSynchronousMode.Normal, appeals[..WarmUp], keepRows: true, ct).ConfigureAwait(false);
            RawInsert(rawFile, SqliteSynchronousMode.Normal, warmRows.Rows!);

            var full = Measurement.None;
            var normal = Measurement.None;
            var rawFull = Measurement.None;
            var rawNormal = Measurement.None;
            for (var round = 1; round <= Rounds; round++)
            {
                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: round {round} of {Rounds}...")).ConfigureAwait(false);
                var fullRun = await DurableAsync(durableFile, SqliteSynchronousMode.Full, appeals, keepRows: true, ct).ConfigureAwait(false);
                full = Measurement.Best(full, fullRun.Measurement);
                normal = Measurement.Best(normal, (await DurableAsync(durableFile, SqliteSynchronousMode.Normal, appeals, keepRows: false, ct).ConfigureAwait(false)).Measurement);
                rawFull = Measurement.Best(rawFull, RawInsert(rawFile, SqliteSynchronousMode.Full, fullRun.Rows!));
                rawNormal = Measurement.Best(rawNormal, RawInsert(rawFile, SqliteSynchronousMode.Normal, fullRun.Rows!));
            }

            var output = new StringBuilder();
            output.Append(CultureInfo.InvariantCulture, $"# mcu bench --store sqlite\n\n{Count} appeals per round (each with its acknowledgement in the outbox), best of {Rounds} rounds after a warm-up; .NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPU(s).\n");
            output.Append(CultureInfo.InvariantCulture, $"Durable: {Producers} concurrent producers, each awaiting AddAsync until its appeal is committed (WAL, group commit). Raw: the same rows read back from the durable file, inserted on one connection with prepared statements, {RawBatch} appeals per transaction, same schema and synchronous mode. Ratio = durable / raw.\n\n");
            output.Append("| measurement | appeals | time, ms | appeals/s | writes per commit | commit, ms | ratio to raw |\n|---|---:|---:|---:|---:|---:|---:|\n");
            Row(output, "durable ingest, synchronous=FULL (default)", full, rawFull);
            Row(output, "durable ingest, synchronous=NORMAL", normal, rawNormal);
            Row(output, "raw batched inserts, synchronous=FULL", rawFull, null);
            Row(output, "raw batched inserts, synchronous=NORMAL", rawNormal, null);
            var fullRate = full.Rate;
            var ratio = fullRate / rawFull.Rate;
            output.Append(CultureInfo.InvariantCulture, $"\nTargets (FULL): {TargetRate:0} appeals/s — {(fullRate >= TargetRate ? "met" : "not met")} ({fullRate:0}); ratio {TargetRatio:0.0} — {(ratio >= TargetRatio ? "met" : "not met")} ({ratio:0.000}).\n");
            await stdout.WriteAsync(output.ToString()).ConfigureAwait(false);
            await stdout.FlushAsync(ct).ConfigureAwait(false);
            return 0;
        }
        catch (SqliteException ex)
        {
            await stderr.WriteLineAsync($"bench: SQLite failed on {durableFile}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            Delete(durableFile);
            Delete(rawFile);
        }
    }

    private static void Row(StringBuilder output, string name, Measurement measurement, Measurement? raw)
    {
        var perCommit = measurement.Commits > 0 ? ((double)measurement.Writes / measurement.Commits).ToString("0.0", CultureInfo.InvariantCulture) : "—";
        var commitMs = measurement.Commits > 0 ? (measurement.CommitMilliseconds / measurement.Commits).ToString("0.00", CultureInfo.InvariantCulture) : "—";
        var ratio = raw is { } r ? (measurement.Rate / r.Rate).ToString("0.00", CultureInfo.InvariantCulture) : "—";
        output.Append(CultureInfo.InvariantCulture, $"| {name} | {measurement.Appeals} | {measurement.Elapsed.TotalMilliseconds:0.0} | {measurement.Rate:0} | {perCommit} | {commitMs} | {ratio} |\n");
    }

    /// <summary>Ingests appeals into a new file with concurrent producers; optionally reads back the rows it wrote.</summary>
    private static async Task<(Measurement Measurement, StoredRows? Rows)> DurableAsync(
        string file, SqliteSynchronousMode mode, (Appeal Appeal, OutboxMessage Ack)[] appeals, bool keepRows, CancellationToken ct)
    {
        Delete(file);
        var writes = 0L;
        var commits = 0L;
        var commitMicroseconds = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Mcu.Sdk" && instrument.Name is "mcu.store.batch_size" or "mcu.store.commit.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            Interlocked.Add(ref writes, value);
            Interlocked.Increment(ref commits);
        });
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => Interlocked.Add(ref commitMicroseconds, (long)(value * 1000)));

        var store = new SqliteAppealStore(new SqliteStoreOptions { ConnectionString = StoreOption.ConnectionString(file), Synchronous = mode });
        TimeSpan elapsed;
        try
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            listener.Start();
            var started = Stopwatch.GetTimestamp();
            var producers = new Task[Producers];
            for (var p = 0; p < Producers; p++)
            {
                var offset = p;
                producers[p] = Task.Run(
                    async () =>
                    {
                        for (var i = offset; i < appeals.Length; i += Producers)
                        {
                            var (appeal, ack) = appeals[i];
                            var result = await store.AddAsync(appeal, [ack], ct).ConfigureAwait(false);
                            if (!result.Added)
                            {
                                throw new InvalidOperationException($"Appeal {i} of the benchmark was a duplicate: the generated inputs are wrong.");
                            }
                        }
                    },
                    ct);
            }

            await Task.WhenAll(producers).ConfigureAwait(false);
            elapsed = Stopwatch.GetElapsedTime(started);
            listener.Dispose();

        }
        finally
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        var rows = keepRows ? StoredRows.Read(file) : null;
        Delete(file);
        return (new Measurement(appeals.Length, elapsed, Interlocked.Read(ref writes), Interlocked.Read(ref commits), Interlocked.Read(ref commitMicroseconds) / 1000.0), rows);
    }

    /// <summary>Inserts rows read from a durable run into a new file of the same schema, in batched transactions.</summary>
    private static Measurement RawInsert(string file, SqliteSynchronousMode mode, StoredRows rows)
    {
        Delete(file);

        // The store creates the schema (tables, indexes, WAL) exactly as for durable ingest.
        new SqliteAppealStore(new SqliteStoreOptions { ConnectionString = StoreOption.ConnectionString(file), Synchronous = mode }).Dispose();
        using var connection = new SqliteConnection(StoreOption.ConnectionString(file) + ";Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = " + mode.ToString().ToUpperInvariant() + "; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;");
        using var appeals = Prepare(connection, "appeals", rows.AppealColumns);
        using var documents = Command(connection, "INSERT INTO appeal_documents (seq, document) VALUES (last_insert_rowid(), $p0)");
        documents.Parameters.Add(new SqliteParameter("$p0", DBNull.Value));
        documents.Prepare();
        using var messages = Prepare(connection, "messages", rows.MessageColumns);
        using var outbox = Prepare(connection, "outbox", rows.OutboxColumns);
        using var begin = Command(connection, "BEGIN");
        using var commit = Command(connection, "COMMIT");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var started = Stopwatch.GetTimestamp();
        var commits = 0;
        for (var first = 0; first < rows.Appeals.Count; first += RawBatch)
        {
            begin.ExecuteNonQuery();
            var last = Math.Min(first + RawBatch, rows.Appeals.Count);
            for (var i = first; i < last; i++)
            {
                Insert(appeals, rows.Appeals[i]);
                Insert(documents, [rows.Documents[i]]);
                foreach (var message in rows.MessagesOf[i])
                {
                    Insert(messages, message);
                }

                foreach (var reply in rows.OutboxOf[i])
                {
                    Insert(outbox, reply);
                }
            }

            commit.ExecuteNonQuery();
            commits++;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        connection.Close();
        Delete(file);
        return new Measurement(rows.Appeals.Count, elapsed, rows.Appeals.Count, commits, 0);
    }

    private static void Insert(SqliteCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string table, IReadOnlyList<string> columns)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table and column names come from the store's own schema.
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
#pragma warning restore CA2100
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private static void Delete(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            File.Delete(path);
        }
    }

    /// <summary>Builds appeals as the desk stores them: classified, routed, with deadlines, history and the acknowledgement.</summary>
    private static (Appeal Appeal, OutboxMessage Ack)[] Generate(int count)
    {
        var result = new (Appeal, OutboxMessage)[count];
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddSeconds(i * 3);
            var channel = (i % 3) switch { 0 => ChannelId.Telegram, 1 => ChannelId.Vk, _ => ChannelId.Pos };
            var conversation = (100_000 + (i % 7_919)).ToString(CultureInfo.InvariantCulture);
            var externalId = string.Create(CultureInfo.InvariantCulture, $"{conversation}:{i}");
            var text = string.Format(CultureInfo.InvariantCulture, Texts[i % Texts.Length], 1 + (i % 150));
            var id = Guid.CreateVersion7(at);
            var number = i + 1L;
            var address = new ReplyAddress(channel, conversation, null, externalId);
            var ackText = string.Create(CultureInfo.InvariantCulture, $"Здравствуйте, Анна! Ваше обращение №{number} принято и передано в департамент городского хозяйства. Ответ будет дан в установленный срок.");
            var ack = new OutboxMessage
            {
                Id = Guid.CreateVersion7(at),
                AppealId = id,
                Address = address,
                Kind = ReplyKind.Acknowledgement,
                Text = ackText,
                CreatedAt = at,
                NextAttemptAt = at,
            };
            var classification = new AppealClassification(TopicCode.Waste, "containers", false, false, 0.82, [new MatchedTerm("мусор", "waste", 1.2), new MatchedTerm("контейнер", "waste/containers", 0.9)]);
            var appeal = new Appeal
            {
                Id = id,
                Number = number,
                Channel = channel,
                ExternalId = externalId,
                ConversationKey = conversation,
                ReplyAddress = address,
                Author = new Author(conversation, "Анна Смирнова"),
                Text = text,
                ReceivedAt = at,
                Messages = [new AppealMessage(externalId, text, at)],
                Classification = classification,
                UnitId = "city-economy",
                Status = AppealStatus.Routed,
                Deadlines = new SlaDeadlines(at.AddHours(4), at.AddDays(30), "default"),
                Replies = [new AppealReply(ack.Id, ReplyKind.Acknowledgement, ackText, at, "system")],
                History =
                [
                    new AppealHistoryEntry(at, AppealHistoryKind.Accepted, $"Accepted from {channel}."),
                    new AppealHistoryEntry(at, AppealHistoryKind.Classified, $"Classified as {classification}."),
                    new AppealHistoryEntry(at, AppealHistoryKind.Routed, "Routed to city-economy by rule waste."),
                    new AppealHistoryEntry(at, AppealHistoryKind.StatusChanged, "New → Routed"),
                    new AppealHistoryEntry(at, AppealHistoryKind.Deadlines, string.Create(CultureInfo.InvariantCulture, $"First answer due {at.AddHours(4):O}, resolution due {at.AddDays(30):O} (default).")),
                    new AppealHistoryEntry(at, AppealHistoryKind.ReplyQueued, string.Create(CultureInfo.InvariantCulture, $"Acknowledgement reply queued ({ackText.Length} characters).")),
                ],
            };
            result[i] = (appeal, ack);
        }

        return result;
    }

    /// <summary>One measured run.</summary>
    private readonly record struct Measurement(int Appeals, TimeSpan Elapsed, long Writes, long Commits, double CommitMilliseconds)
    {
        public static Measurement None => new(0, TimeSpan.MaxValue, 0, 0, 0);

        public double Rate => Appeals / Elapsed.TotalSeconds;

        public static Measurement Best(Measurement a, Measurement b) => a.Elapsed <= b.Elapsed ? a : b;
    }

    /// <summary>The rows a durable run wrote, grouped by appeal in insertion order.</summary>
    private sealed class StoredRows
    {
        public required IReadOnlyList<string> AppealColumns { get; init; }

        public required IReadOnlyList<string> MessageColumns { get; init; }

        public required IReadOnlyList<string> OutboxColumns { get; init; }

        public required List<object[]> Appeals { get; init; }

        public required List<object> Documents { get; init; }

        public required List<List<object[]>> MessagesOf { get; init; }

        public required List<List<object[]>> OutboxOf { get; init; }

        public static StoredRows Read(string file)
        {
            using var connection = new SqliteConnection(StoreOption.ConnectionString(file) + ";Pooling=False;Mode=ReadOnly");
            connection.Open();
            var (appealColumns, appeals) = ReadTable(connection, "SELECT * FROM appeals ORDER BY seq", "seq");
            var (_, documents) = ReadTable(connection, "SELECT d.document FROM appeals a JOIN appeal_documents d ON d.seq = a.seq ORDER BY a.seq", null);
            var (messageColumns, messages) = ReadTable(connection, "SELECT * FROM messages", null);
            var (outboxColumns, outbox) = ReadTable(connection, "SELECT * FROM outbox ORDER BY sequence", "sequence");
            var idColumn = IndexOf(appealColumns, "id");
            var index = new Dictionary<string, int>(appeals.Count, StringComparer.Ordinal);
            for (var i = 0; i < appeals.Count; i++)
            {
                index[Convert.ToHexString((byte[])appeals[i][idColumn])] = i;
            }

            var messagesOf = appeals.Select(_ => new List<object[]>(1)).ToList();
            var outboxOf = appeals.Select(_ => new List<object[]>(1)).ToList();
            var messageAppeal = IndexOf(messageColumns, "appeal_id");
            foreach (var row in messages)
            {
                messagesOf[index[Convert.ToHexString((byte[])row[messageAppeal])]].Add(row);
            }

            var outboxAppeal = IndexOf(outboxColumns, "appeal_id");
            foreach (var row in outbox)
            {
                outboxOf[index[Convert.ToHexString((byte[])row[outboxAppeal])]].Add(row);
            }

            return new StoredRows
            {
                AppealColumns = appealColumns,
                MessageColumns = messageColumns,
                OutboxColumns = outboxColumns,
                Appeals = appeals,
                Documents = documents.Select(d => d[0]).ToList(),
                MessagesOf = messagesOf,
                OutboxOf = outboxOf,
            };
        }

        private static int IndexOf(IReadOnlyList<string> columns, string name)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"The store's schema has no column {name}.");
        }

        /// <summary>Reads a table without its row-id column (SQLite assigns it on insert, as for the durable run).</summary>
        private static (IReadOnlyList<string> Columns, List<object[]> Rows) ReadTable(SqliteConnection connection, string sql, string? rowIdColumn)
        {
            using var command = Command(connection, sql);
            using var reader = command.ExecuteReader();
            var keep = Enumerable.Range(0, reader.FieldCount).Where(i => !string.Equals(reader.GetName(i), rowIdColumn, StringComparison.Ordinal)).ToArray();
            var columns = keep.Select(reader.GetName).ToArray();
            var rows = new List<object[]>();
            while (reader.Read())
            {
                var row = new object[keep.Length];
                for (var i = 0; i < keep.Length; i++)
                {
                    row[i] = reader.GetValue(keep[i]);
                }

                rows.Add(row);
            }

            return (columns, rows);
        }
    }
}
