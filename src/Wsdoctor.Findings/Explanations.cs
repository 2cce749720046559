using System.Reflection;

namespace Wsdoctor.Findings;

/// <summary>The long texts printed by <c>wsdoctor explain CODE</c>. Each is a markdown file
/// <c>Explanations/CODE.md</c>, embedded by the csproj under the resource name <c>explain/CODE.md</c>,
/// so the texts ship inside the assembly and cannot drift away from the binary. Translations live in
/// <c>Explanations/LANG/CODE.md</c> (resource <c>explain/LANG/CODE.md</c>), LANG as in <see cref="UiLanguage"/>.</summary>
public static class Explanations
{
    private const string Prefix = "explain/";
    private const string Suffix = ".md";

    private static readonly Assembly ResourceAssembly = typeof(Explanations).Assembly;

    /// <summary>Every code that has an English explanation, in ordinal order.</summary>
    public static IReadOnlyList<string> AvailableCodes { get; } = CodesIn(Prefix);

    /// <summary>Every code that has an explanation in <paramref name="language"/>, in ordinal order.</summary>
    public static IReadOnlyList<string> AvailableCodesIn(string language) =>
        language == UiLanguage.English ? AvailableCodes : CodesIn(Prefix + language + "/");

    /// <summary>The English markdown text for <paramref name="code"/>, or null when there is none.</summary>
    public static string? Get(string code) => Get(code, UiLanguage.English);

    /// <summary>The markdown text for <paramref name="code"/> in <paramref name="language"/>, or null when
    /// that language has none (callers decide whether to fall back to English).</summary>
    public static string? Get(string code, string language)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(language);
        if (code.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var folder = language == UiLanguage.English ? Prefix : Prefix + language + "/";
        using var stream = ResourceAssembly.GetManifestResourceStream(folder + code + Suffix);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string[] CodesIn(string folder) => ResourceAssembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(folder, StringComparison.Ordinal)
                       && name.EndsWith(Suffix, StringComparison.Ordinal)
                       && !name.AsSpan(folder.Length).Contains('/'))
        .Select(name => name[folder.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();
}
