using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>A write waiting for the writer thread. It runs inside the batch's transaction; if it fails after changing rows, the batch runs again without it.</summary>
internal abstract class WriteRequest
{
    /// <summary>Gets a value indicating whether the caller gave up before the writer picked the request.</summary>
    public abstract bool IsCancellationRequested { get; }

    /// <summary>Runs the write (again, when its batch is replayed); it throws when the write must fail.</summary>
    /// <param name="session">The writer's session.</param>
    public abstract void Run(WriteSession session);

    /// <summary>Completes the caller's task once the batch committed (or failed).</summary>
    /// <param name="error">The error, or <see langword="null"/> when the write is durable.</param>
    public abstract void Complete(Exception? error);

    /// <summary>Cancels the caller's task without running the write.</summary>
    public abstract void Cancel();
}

/// <summary>A write with a result.</summary>
/// <typeparam name="T">The result type.</typeparam>
internal abstract class WriteRequest<T> : WriteRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken _cancellationToken;
    private T? _result;

    protected WriteRequest(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

    /// <summary>Gets the task that completes after the commit.</summary>
    public Task<T> Task => _completion.Task;

    public override bool IsCancellationRequested => _cancellationToken.IsCancellationRequested;

    public sealed override void Run(WriteSession session) => _result = Execute(session);

    public sealed override void Complete(Exception? error)
    {
        if (error is null)
        {
            _completion.TrySetResult(_result!);
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    public sealed override void Cancel() => _completion.TrySetCanceled(_cancellationToken);

    protected abstract T Execute(WriteSession session);

    /// <summary>Tells whether an exception is a unique-key violation (an id already taken).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> for <c>SQLITE_CONSTRAINT_UNIQUE</c> and <c>SQLITE_CONSTRAINT_PRIMARYKEY</c>.</returns>
    protected static bool IsConstraint(SqliteException exception) => exception.SqliteExtendedErrorCode is 2067 or 1555;

    /// <summary>Inserts outbox rows.</summary>
    /// <param name="session">The session.</param>
    /// <param name="outbox">The rows.</param>
    protected static void InsertOutbox(WriteSession session, OutboxRow[] outbox)
    {
        foreach (var row in outbox)
        {
            try
            {
                row.Insert(session.InsertOutbox);
            }
            catch (SqliteException ex) when (IsConstraint(ex))
            {
                throw new InvalidOperationException($"Outbox message {row.Message.Id} already exists.", ex);
            }
        }
    }

    /// <summary>Maps every message of an appeal to it (first mapping wins, as for the first message).</summary>
    /// <param name="session">The session.</param>
    /// <param name="row">The appeal row.</param>
    /// <param name="from">The first key to insert.</param>
    protected static void InsertMessageKeys(WriteSession session, AppealRow row, int from)
    {
        for (var i = from; i < row.MessageKeys.Length; i++)
        {
            session.InsertMessageKey.Execute(row.MessageKeys[i], row.IdBytes);
        }
    }
}

/// <summary>The outcome of adding an appeal, before the duplicate's document is parsed.</summary>
/// <param name="Added">Whether the appeal was added.</param>
/// <param name="ExistingDocument">The stored document of the duplicate, or <see langword="null"/>.</param>
internal readonly record struct AddOutcome(bool Added, byte[]? ExistingDocument);

/// <summary>Adds an appeal and its outbox, idempotently by its first message.</summary>
internal sealed class AddAppealRequest(AppealRow row, OutboxRow[] outbox, CancellationToken cancellationToken)
    : WriteRequest<AddOutcome>(cancellationToken)
{
    protected override AddOutcome Execute(WriteSession session)
    {
        if (session.InsertMessageKey.Execute(row.MessageKeys[0], row.IdBytes) == 0)
        {
            var select = session.SelectByMessageKey;
            select[0].Value = row.MessageKeys[0];
            using var reader = select.Read();
            if (!reader.Read())
            {
                throw new InvalidDataException($"The message key of appeal {row.Appeal.Id} is taken but its appeal is missing.");
            }

            return new AddOutcome(false, Columns.ReadBytes(reader, 0));
        }

        try
        {
            row.Insert(session);
        }
        catch (SqliteException ex) when (IsConstraint(ex))
        {
            throw new InvalidOperationException($"Appeal {row.Appeal.Id} already exists with another channel message.", ex);
        }

        InsertMessageKeys(session, row, 1);
        InsertOutbox(session, outbox);
        return new AddOutcome(true, null);
    }
}

/// <summary>Stores a changed appeal and its new outbox, if its version did not move.</summary>
internal sealed class UpdateAppealRequest(AppealRow row, long expectedVersion, OutboxRow[] outbox, CancellationToken cancellationToken)
    : WriteRequest<bool>(cancellationToken)
{
    protected override bool Execute(WriteSession session)
    {
        if (!row.Update(session, expectedVersion))
        {
            var select = session.SelectVersion;
            select[0].Value = row.IdBytes;
            var actual = select.Scalar();
            if (actual is null or DBNull)
            {
                throw new AppealNotFoundException(row.Appeal.Id);
            }

            throw new ConcurrencyConflictException(row.Appeal.Id, expectedVersion, Convert.ToInt64(actual, System.Globalization.CultureInfo.InvariantCulture));
        }

        InsertMessageKeys(session, row, 0);
        InsertOutbox(session, outbox);
        return true;
    }
}

/// <summary>Leases due outbox messages.</summary>
internal sealed class LeaseOutboxRequest(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken)
    : WriteRequest<List<RawOutboxRow>>(cancellationToken)
{
    protected override List<RawOutboxRow> Execute(WriteSession session)
    {
        var lease = session.LeaseOutbox;
        lease[0].Value = owner;
        lease[1].Value = Columns.Time(now + leaseDuration);
        lease[2].Value = Columns.Time(now);
        lease[3].Value = maxCount;
        var rows = new List<RawOutboxRow>(Math.Min(maxCount, 256));
        using var reader = lease.Read();
        while (reader.Read())
        {
            rows.Add(RawOutboxRow.Read(reader));
        }

        return rows;
    }
}

/// <summary>Stores a leased outbox message's progress, if the owner still holds the lease.</summary>
internal sealed class UpdateOutboxRequest(OutboxRow row, string owner, CancellationToken cancellationToken)
    : WriteRequest<bool>(cancellationToken)
{
    protected override bool Execute(WriteSession session)
    {
        if (row.Update(session.UpdateOutbox, owner))
        {
            return true;
        }

        session.CountOutbox[0].Value = row.IdBytes;
        if (Convert.ToInt64(session.CountOutbox.Scalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException($"Outbox message {row.Message.Id} does not exist.");
        }

        return false;
    }
}

/// <summary>Reserves a block of appeal numbers.</summary>
internal sealed class ReserveNumbersRequest(int count) : WriteRequest<long>(CancellationToken.None)
{
    protected override long Execute(WriteSession session)
    {
        session.ReserveNumbers[0].Value = count;
        return Convert.ToInt64(session.ReserveNumbers.Scalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Stores a checkpoint.</summary>
internal sealed class SetCheckpointRequest(string key, string value, CancellationToken cancellationToken)
    : WriteRequest<bool>(cancellationToken)
{
    protected override bool Execute(WriteSession session)
    {
        session.SetCheckpoint[0].Value = key;
        session.SetCheckpoint[1].Value = value;
        session.SetCheckpoint.Execute();
        return true;
    }
}

/// <summary>Anonymises up to a number of appeals closed before a cutoff, with their outbox messages.</summary>
internal sealed class AnonymizeRequest(DateTimeOffset cutoff, DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    : WriteRequest<int>(cancellationToken)
{
    protected override int Execute(WriteSession session)
    {
        var select = session.SelectRetention;
        select[0].Value = Columns.Time(cutoff);
        select[1].Value = maxCount;
        var appeals = new List<Appeal>(maxCount);
        using (var reader = select.Read())
        {
            while (reader.Read())
            {
                appeals.Add(Columns.ReadBlob(reader, 0, DocumentMapper.DeserializeAppeal));
            }
        }

        foreach (var appeal in appeals)
        {
            var scrubber = PersonalData.For(appeal);
            var anonymized = scrubber.Anonymize(appeal, now) with { Version = appeal.Version + 1 };
            var row = AppealRow.From(anonymized);
            if (!row.Update(session, appeal.Version))
            {
                throw new InvalidDataException($"Appeal {appeal.Id} changed while it was being anonymised inside one transaction.");
            }

            session.MarkAnonymized[0].Value = row.IdBytes;
            session.MarkAnonymized[1].Value = Columns.Time(now);
            session.MarkAnonymized.Execute();

            var documents = new List<(byte[] Id, OutboxDocument Document)>();
            session.SelectOutboxDocuments[0].Value = row.IdBytes;
            using (var reader = session.SelectOutboxDocuments.Read())
            {
                while (reader.Read())
                {
                    documents.Add((Columns.ReadBytes(reader, 0), Columns.ReadBlob(reader, 1, DocumentMapper.DeserializeOutbox)));
                }
            }

            foreach (var (id, document) in documents)
            {
                session.UpdateOutboxDocument[0].Value = id;
                session.UpdateOutboxDocument[1].Value = scrubber.Anonymize(document);
                session.UpdateOutboxDocument.Execute();
            }
        }

        return appeals.Count;
    }
}

/// <summary>Reads a pragma on the writer's connection.</summary>
internal sealed class PragmaRequest(string name) : WriteRequest<string?>(CancellationToken.None)
{
    protected override string? Execute(WriteSession session)
    {
        using var command = session.Connection.CreateCommand();
#pragma warning disable CA2100 // A pragma name chosen by the store's own tests.
        command.CommandText = "PRAGMA " + name;
#pragma warning restore CA2100
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
