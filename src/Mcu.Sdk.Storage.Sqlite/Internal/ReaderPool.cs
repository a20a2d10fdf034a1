using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>A read connection with its prepared statements.</summary>
internal sealed class ReadConnection : IDisposable
{
    private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;

    public ReadConnection(SqliteConnection connection, TimeSpan timeout)
    {
        Connection = connection;
        _timeout = timeout;
    }

    public SqliteConnection Connection { get; }

    /// <summary>Gets the prepared statement of a SQL text, preparing it on first use.</summary>
    /// <param name="sql">The SQL text (a constant of the store or built from constants).</param>
    /// <param name="parameters">The parameter names.</param>
    /// <returns>The statement.</returns>
    public Statement Get(string sql, params IReadOnlyList<string> parameters)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new Statement(Connection, sql, _timeout, parameters);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        Connection.Dispose();
    }
}

/// <summary>
/// Read connections: WAL lets them read concurrently with each other and with the writer. Up to a number of idle ones are
/// kept open; more are opened while needed (a reader never waits for another), and closed when returned beyond that number.
/// </summary>
internal sealed class ReaderPool : IDisposable
{
    private readonly ConcurrentQueue<ReadConnection> _idle = new();
    private readonly string _connectionString;
    private readonly int _maxIdle;
    private readonly TimeSpan _timeout;
    private int _idleCount;
    private volatile bool _disposed;

    public ReaderPool(string connectionString, int maxIdle, TimeSpan timeout)
    {
        _connectionString = connectionString;
        _maxIdle = maxIdle;
        _timeout = timeout;
    }

    /// <summary>Takes an idle connection or opens one.</summary>
    /// <returns>The connection; give it back with <see cref="Return"/>.</returns>
    public ReadConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteAppealStore));
        if (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return Open();
    }

    /// <summary>Gives a connection back.</summary>
    /// <param name="connection">The connection.</param>
    public void Return(ReadConnection connection)
    {
        if (_disposed)
        {
            connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Enqueue(connection);
        if (_disposed)
        {
            DisposeIdle(); // the pool was disposed while this connection was being returned
        }
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private void DisposeIdle()
    {
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }

    private ReadConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                // Readers never write; memory-mapped reads make scans of a year of appeals cheaper.
                command.CommandText = "PRAGMA query_only = 1; PRAGMA mmap_size = 268435456; PRAGMA cache_size = -8192;";
                command.ExecuteNonQuery();
            }

            return new ReadConnection(connection, _timeout);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
