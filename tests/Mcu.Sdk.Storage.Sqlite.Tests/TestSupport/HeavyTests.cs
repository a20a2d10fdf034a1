namespace Mcu.Sdk.Storage.Sqlite.Tests.TestSupport;

/// <summary>
/// The crash test and the year-report timing run alone, one after the other, after the other tests of the assembly: they
/// measure time and use both cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTests
{
    public const string Name = "heavy";
}
