namespace Wsdoctor.Findings;

/// <summary>The language of wsdoctor's human-readable output. English is the default and the fallback;
/// zh-CN (Simplified Chinese) covers <c>wsdoctor explain</c>. Codes and JSON keys are never translated.</summary>
public static class UiLanguage
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-CN";

    /// <summary>The values <c>--lang</c> accepts.</summary>
    public static IReadOnlyList<string> Supported { get; } = [English, SimplifiedChinese];

    /// <summary>The canonical name of an explicit <c>--lang</c> value, or null when it is not supported.</summary>
    public static string? Parse(string? value) => value?.Trim() switch
    {
        null => null,
        var v when v.Equals(English, StringComparison.OrdinalIgnoreCase) => English,
        var v when v.Equals(SimplifiedChinese, StringComparison.OrdinalIgnoreCase) => SimplifiedChinese,
        _ => null,
    };

    /// <summary>The output language: an explicit <c>--lang</c> wins, else the first non-empty of LC_ALL,
    /// LC_MESSAGES and LANG (POSIX precedence) decides.</summary>
    public static string Resolve(string? explicitLanguage, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(explicitLanguage))
        {
            return Parse(explicitLanguage)
                   ?? throw new ArgumentException($"unsupported language '{explicitLanguage}'", nameof(explicitLanguage));
        }

        var locale = new[] { "LC_ALL", "LC_MESSAGES", "LANG" }
            .Select(environment)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return FromLocale(locale);
    }

    /// <summary>A POSIX locale (zh_CN.UTF-8, zh_SG, zh, C, ...) mapped to an output language. Traditional
    /// Chinese locales (zh_TW, zh_HK, zh_MO, zh-Hant) get English until they have their own texts.</summary>
    public static string FromLocale(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return English;
        }

        // Drop the encoding and modifier: zh_CN.UTF-8@pinyin -> zh_CN.
        var name = locale.Trim().Split('.', '@')[0].Replace('-', '_');
        var parts = name.Split('_');
        if (!parts[0].Equals("zh", StringComparison.OrdinalIgnoreCase))
        {
            return English;
        }

        if (parts.Length == 1)
        {
            return SimplifiedChinese;
        }

        var region = parts[1].ToUpperInvariant();
        return region is "CN" or "SG" or "HANS" ? SimplifiedChinese : English;
    }
}
