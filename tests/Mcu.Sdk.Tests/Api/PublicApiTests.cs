using System.Reflection;
using System.Text;

namespace Mcu.Sdk.Tests.Api;

/// <summary>
/// The public API snapshot: every package's public surface is written to <c>docs/api/&lt;Assembly&gt;.txt</c>; the test fails when
/// the surface changes without that file being updated in the same commit. To accept a change, run the tests with
/// <c>MCU_UPDATE_API_SNAPSHOT=1</c> and commit the updated file.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly string[] Packages =
    [
        "Mcu.Sdk", "Mcu.Sdk.Testing", "Mcu.Sdk.AspNetCore", "Mcu.Sdk.Channels.Telegram", "Mcu.Sdk.Channels.Vk", "Mcu.Sdk.Storage.Sqlite",
    ];

    public static TheoryData<string> Assemblies() => new(Packages);

    [Fact]
    public void Assemblies_CoverEveryPackageUnderSrc()
    {
        var packages = Directory.GetDirectories(Path.Combine(RepositoryRoot(), "src")).Select(dir => Path.GetFileName(dir)).Order(StringComparer.Ordinal);
        Assert.Equal(packages, Packages.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicApi_MatchesTheApprovedSnapshot(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var actual = PublicApiWriter.Write(assembly);
        var root = RepositoryRoot();
        var approvedPath = Path.Combine(root, "docs", "api", assemblyName + ".txt");
        if (Environment.GetEnvironmentVariable("MCU_UPDATE_API_SNAPSHOT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, actual);
            return;
        }

        Assert.True(File.Exists(approvedPath), $"No approved API snapshot at {approvedPath}. Run the tests with MCU_UPDATE_API_SNAPSHOT=1 and commit the file.");
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (!string.Equals(approved, actual, StringComparison.Ordinal))
        {
            var receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");
            File.WriteAllText(receivedPath, actual);
            var approvedLines = approved.Split('\n').ToHashSet(StringComparer.Ordinal);
            var actualLines = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
            var added = actual.Split('\n').Where(l => !approvedLines.Contains(l)).Take(15);
            var removed = approved.Split('\n').Where(l => !actualLines.Contains(l)).Take(15);
            Assert.Fail($"The public API of {assemblyName} changed. Review {receivedPath}; if intended, run with MCU_UPDATE_API_SNAPSHOT=1 and commit docs/api/{assemblyName}.txt.\nAdded:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mcu.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mcu.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Writes a stable, diff-friendly text of an assembly's public surface.</summary>
internal static class PublicApiWriter
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Write(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(TypeHeader(type)).Append('\n');
            var members = new List<string>();
            foreach (var member in type.GetMembers(Declared))
            {
                if (Describe(type, member) is { } line)
                {
                    members.Add(line);
                }
            }

            foreach (var line in members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string TypeHeader(Type type)
    {
        var kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : "class";
        var modifiers = type.IsClass && type.IsAbstract && type.IsSealed ? "static " : type.IsClass && type.IsSealed && kind == "class" ? "sealed " : type.IsClass && type.IsAbstract && kind == "class" ? "abstract " : string.Empty;
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum) && kind == "class")
        {
            bases.Add(Name(baseType));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"{modifiers}{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty)}";
    }

    private static string? Describe(Type type, MemberInfo member)
    {
        switch (member)
        {
            case ConstructorInfo ctor when Visible(ctor):
                return $"{Access(ctor)}ctor({Parameters(ctor.GetParameters())})";
            case MethodInfo method when Visible(method) && !method.IsSpecialName:
                return $"{Access(method)}{(method.IsStatic ? "static " : string.Empty)}{(method.IsAbstract && !type.IsInterface ? "abstract " : method.IsVirtual && !method.IsFinal && !type.IsInterface ? "virtual " : string.Empty)}{Name(method.ReturnType)} {method.Name}{GenericArguments(method)}({Parameters(method.GetParameters())})";
            case MethodInfo op when Visible(op) && op.IsSpecialName && op.Name.StartsWith("op_", StringComparison.Ordinal):
                return $"{Access(op)}static {Name(op.ReturnType)} {op.Name}({Parameters(op.GetParameters())})";
            case PropertyInfo property:
                var getter = property.GetMethod is { } g && Visible(g) ? "get; " : string.Empty;
                var setter = property.SetMethod is { } s && Visible(s)
                    ? s.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") ? "init; " : "set; "
                    : string.Empty;
                if (getter.Length + setter.Length == 0)
                {
                    return null;
                }

                var accessor = (property.GetMethod ?? property.SetMethod)!;
                var indexer = property.GetIndexParameters();
                return $"{Access(accessor)}{(accessor.IsStatic ? "static " : string.Empty)}{Name(property.PropertyType)} {(indexer.Length > 0 ? $"this[{Parameters(indexer)}]" : property.Name)} {{ {getter}{setter}}}";
            case FieldInfo field when (field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly) && !field.IsSpecialName:
                return type.IsEnum
                    ? $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}"
                    : $"{(field.IsFamily ? "protected " : string.Empty)}{(field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty)}{(field.IsInitOnly ? "readonly " : string.Empty)}{Name(field.FieldType)} {field.Name}";
            case EventInfo evt when evt.AddMethod is { } add && Visible(add):
                return $"{Access(add)}event {Name(evt.EventHandlerType!)} {evt.Name}";
            case Type nested:
                return null; // nested public types are listed on their own
            default:
                return null;
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? string.Empty : "protected ";

    private static string GenericArguments(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(ParameterInfo[] parameters) =>
        string.Join(", ", parameters.Select(p =>
            $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue?.ToString() ?? "null") : string.Empty)}"));

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : (type.Namespace is { } ns ? ns + "." : string.Empty) + type.Name;
        if (type.IsGenericType)
        {
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            if (tick >= 0)
            {
                name = name[..tick];
            }

            name += "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }
}
