using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing.Conformance;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>The SQLite store against the durable store conformance suite, on a real file in a temp folder.</summary>
public sealed class SqliteAppealStoreConformanceTests : DurableAppealStoreConformanceTests, IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override ValueTask<IAppealStore> CreateStoreAsync() => ValueTask.FromResult<IAppealStore>(Open());

    protected override ValueTask<IAppealStore> ReopenStoreAsync() => ValueTask.FromResult<IAppealStore>(Open());

    private SqliteAppealStore Open() => new(new SqliteStoreOptions { ConnectionString = $"Data Source={_folder.File("store.db")}" });
}
