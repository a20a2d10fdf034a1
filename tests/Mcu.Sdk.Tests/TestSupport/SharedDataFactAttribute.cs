using Xunit;

namespace Mcu.Sdk.Tests.TestSupport;

/// <summary>
/// A <see cref="FactAttribute"/> for tests that read files from the shared data folder (see <see cref="SharedData"/>):
/// the test is skipped, with a message saying where the files were looked for, when any of them is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="SharedDataFactAttribute"/> class.</summary>
    /// <param name="relativePaths">The files the test needs, relative to the shared folder, such as <c>data/snowball-russian/voc.txt</c>.</param>
    public SharedDataFactAttribute(params string[] relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        RelativePaths = relativePaths;
        var missing = Array.Find(relativePaths, path => SharedData.TryGetPath(path) is null);
        if (missing is not null)
        {
            Skip = SharedData.DescribeMissing(missing);
        }
    }

    /// <summary>Gets the files the test needs, relative to the shared folder.</summary>
    public IReadOnlyList<string> RelativePaths { get; }
}
