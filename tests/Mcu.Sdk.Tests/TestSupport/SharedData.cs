namespace Mcu.Sdk.Tests.TestSupport;

/// <summary>
/// Locates files of the shared data folder (<c>shared/</c>) that sits beside or above the repository clone, such as
/// <c>/work/shared</c> for a repository at <c>/work/main</c>.
/// </summary>
/// <remarks>
/// A file is found by walking up from <see cref="AppContext.BaseDirectory"/> and taking the first directory
/// <c>D</c> for which <c>D/shared/&lt;relative path&gt;</c> exists. The environment variable <c>MCU_SHARED_DIR</c>, when set,
/// names the shared folder directly and is tried first. Tests that need such files use
/// <see cref="SharedDataFactAttribute"/>, which skips them when a file is absent.
/// </remarks>
internal static class SharedData
{
    /// <summary>The environment variable that may point at the shared folder explicitly.</summary>
    public const string EnvironmentVariable = "MCU_SHARED_DIR";

    /// <summary>Returns the full path of a shared file, or <see langword="null"/> when it cannot be found.</summary>
    /// <param name="relativePath">The path relative to the shared folder, with <c>/</c> separators, such as <c>data/snowball-russian/voc.txt</c>.</param>
    public static string? TryGetPath(string relativePath)
    {
        var relative = relativePath.Replace('/', Path.DirectorySeparatorChar);
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(Path.Combine(configured, relative));
            if (File.Exists(path))
            {
                return path;
            }
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "shared", relative);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Returns the full path of a shared file.</summary>
    /// <param name="relativePath">The path relative to the shared folder, with <c>/</c> separators.</param>
    /// <exception cref="FileNotFoundException">The file cannot be found.</exception>
    public static string GetPath(string relativePath) =>
        TryGetPath(relativePath) ?? throw new FileNotFoundException(DescribeMissing(relativePath), relativePath);

    /// <summary>Explains where a missing file was looked for, for skip and failure messages.</summary>
    /// <param name="relativePath">The path relative to the shared folder.</param>
    public static string DescribeMissing(string relativePath) =>
        $"Shared data file 'shared/{relativePath}' was not found in any directory above '{AppContext.BaseDirectory}'. " +
        $"Place the shared folder beside the repository clone, or set {EnvironmentVariable} to its path.";
}
