using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing.Conformance;

namespace Mcu.Sdk.Tests.Storage;

/// <summary>The in-memory reference store against the store conformance suite of Mcu.Sdk.Testing.</summary>
public sealed class InMemoryAppealStoreConformanceTests : AppealStoreConformanceTests
{
    protected override ValueTask<IAppealStore> CreateStoreAsync() => ValueTask.FromResult<IAppealStore>(new InMemoryAppealStore());
}
