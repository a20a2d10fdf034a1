using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>A prepared statement with its parameters, reused for every execution on one connection.</summary>
internal sealed class Statement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    /// <summary>Initializes a new instance of the <see cref="Statement"/> class and prepares it.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="sql">The SQL text.</param>
    /// <param name="timeout">The command timeout (how long it retries while the database is locked by another process).</param>
    /// <param name="parameters">The parameter names, in index order.</param>
    public Statement(SqliteConnection connection, string sql, TimeSpan timeout, params IReadOnlyList<string> parameters)
    {
        _command = connection.CreateCommand();
#pragma warning disable CA2100 // The SQL text is one of the store's constants or built from them; values are always parameters.
        _command.CommandText = sql;
#pragma warning restore CA2100
        _command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        _parameters = new SqliteParameter[parameters.Count];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = new SqliteParameter(parameters[i], DBNull.Value);
            _command.Parameters.Add(_parameters[i]);
        }

        _command.Prepare();
    }

    /// <summary>Gets a parameter by index.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The parameter.</returns>
    public SqliteParameter this[int index] => _parameters[index];

    /// <summary>Executes the statement.</summary>
    /// <returns>The number of rows changed.</returns>
    public int Execute() => _command.ExecuteNonQuery();

    /// <summary>Executes the statement and returns the first column of the first row.</summary>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public object? Scalar() => _command.ExecuteScalar();

    /// <summary>Executes the statement and returns a reader.</summary>
    /// <returns>The reader; dispose it before the next execution.</returns>
    public SqliteDataReader Read() => _command.ExecuteReader();

    /// <inheritdoc/>
    public void Dispose() => _command.Dispose();
}
