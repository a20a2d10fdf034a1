using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>
/// A statement of the writer's hot path (the inserts and updates of every ingest), prepared once on the native handle and
/// bound by index: it skips the per-execution parameter lookup by name and the data reader that
/// <see cref="SqliteCommand"/> creates, about a third of the cost of an insert.
/// </summary>
/// <remarks>Used by the writer thread only. Errors surface as <see cref="SqliteException"/>, as from <see cref="SqliteCommand"/>.</remarks>
internal sealed class FastStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    /// <summary>Initializes a new instance of the <see cref="FastStatement"/> class.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="sql">The SQL text (one statement) with named parameters.</param>
    /// <param name="parameters">The parameter names in the order values are passed to <see cref="Execute"/>.</param>
    public FastStatement(SqliteConnection connection, string sql, IReadOnlyList<string> parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _);
        SqliteException.ThrowExceptionForRC(rc, _db);
        _indexes = new int[parameters.Count];
        for (var i = 0; i < _indexes.Length; i++)
        {
            _indexes[i] = raw.sqlite3_bind_parameter_index(_statement, parameters[i]);
            if (_indexes[i] == 0)
            {
                throw new InvalidOperationException($"The statement has no parameter {parameters[i]}: {sql}");
            }
        }
    }

    /// <summary>Binds the values and runs the statement.</summary>
    /// <param name="values">The values, in the order of the parameter names; <see cref="DBNull"/> or <see langword="null"/> for NULL.</param>
    /// <returns>The number of rows changed.</returns>
    /// <exception cref="SqliteException">SQLite refused the statement (a constraint, a trigger, a full disk).</exception>
    public int Execute(params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var index = _indexes[i];
            var rc = values[i] switch
            {
                null or DBNull => raw.sqlite3_bind_null(_statement, index),
                long number => raw.sqlite3_bind_int64(_statement, index, number),
                int number => raw.sqlite3_bind_int64(_statement, index, number),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
                double number => raw.sqlite3_bind_double(_statement, index, number),
                var other => throw new ArgumentException($"Cannot bind a {other.GetType().Name}.", nameof(values)),
            };
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        try
        {
            var step = raw.sqlite3_step(_statement);
            if (step != raw.SQLITE_DONE && step != raw.SQLITE_ROW)
            {
                SqliteException.ThrowExceptionForRC(step, _db);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _statement.Dispose();
}
