using System.Reflection;

namespace Wsdoctor.Findings;

/// <summary>The long texts printed by <c>wsdoctor explain CODE</c>. Each is a markdown file
/// <c>Explanations/CODE.md</c>, embedded by the csproj under the resource name <c>explain/CODE.md</c>,
/// so the texts ship inside the assembly and cannot drift away from the binary.</summary>
public static class Explanations
{
    private const string Prefix = "explain/";
    private const string Suffix = ".md";

    private static readonly Assembly ResourceAssembly = typeof(Explanations).Assembly;

    /// <summary>Every code that has an explanation, in ordinal order.</summary>
    public static IReadOnlyList<string> AvailableCodes { get; } = ResourceAssembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)
                       && name.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(name => name[Prefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The markdown text for <paramref name="code"/>, or null when there is none.</summary>
    public static string? Get(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        using var stream = ResourceAssembly.GetManifestResourceStream(Prefix + code + Suffix);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
