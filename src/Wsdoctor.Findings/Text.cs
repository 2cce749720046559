using System.Globalization;
using System.Runtime.CompilerServices;

namespace Wsdoctor.Findings;

/// <summary>A user-facing text in every output language: English and Simplified Chinese side by side, written
/// together where the text is made (<c>T($"certificate covers {covers}", $"证书覆盖 {covers}")</c>), so a text
/// without its translation does not compile. <see cref="Prose"/> keeps the translated words apart from what
/// was filled in (host names, header values, close reasons, numbers), so a test can check that the Chinese
/// contains no English left untranslated without tripping over what a server sent.</summary>
public sealed class Text : IEquatable<Text>
{
    private static readonly string[] NoProse = [];

    private Text(string en, string zh, IReadOnlyList<string> prose, bool translated = true)
    {
        En = en;
        Zh = zh;
        Prose = prose;
        Translated = translated;
    }

    public string En { get; }

    public string Zh { get; }

    /// <summary>The Chinese text's own words: the literal parts of every translation it is made of, without the
    /// values filled in.</summary>
    public IReadOnlyList<string> Prose { get; }

    /// <summary>False when some part of this text was made with <see cref="Untranslated"/>.</summary>
    public bool Translated { get; }

    public static Text Empty { get; } = new("", "", NoProse);

    /// <summary>An English text and its translation; the holes of <paramref name="zh"/> are kept out of <see cref="Prose"/>.</summary>
    public static Text T(string en, ZhHandler zh)
    {
        ArgumentNullException.ThrowIfNull(en);
        var (text, prose, translated) = zh.Build();
        return new Text(en, text, prose, translated);
    }

    /// <summary>An English text and its translation.</summary>
    public static Text T(string en, string zh)
    {
        ArgumentNullException.ThrowIfNull(en);
        ArgumentNullException.ThrowIfNull(zh);
        return new Text(en, zh, zh.Length == 0 ? NoProse : [zh]);
    }

    /// <summary>Text that is the same in every language: a value from the peer or the user (a header line, a
    /// close reason, a URL), a command, a config snippet. Never English prose.</summary>
    public static Text Verbatim(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Text(text, text, NoProse);
    }

    /// <summary>Text that has no translation yet: shown as English in every language, and reported as English
    /// prose by the translation tests, so it cannot go unnoticed.</summary>
    public static Text Untranslated(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        return new Text(english, english, english.Length == 0 ? NoProse : [english], translated: false);
    }

    /// <summary>The parts, joined by a separator that is the same in every language (", ", "; ", " | ").</summary>
    public static Text Join(string separator, IEnumerable<Text> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        return new Text(
            string.Join(separator, list.Select(p => p.En)),
            string.Join(separator, list.Select(p => p.Zh)),
            [.. list.SelectMany(p => p.Prose)],
            list.TrueForAll(p => p.Translated));
    }

    /// <summary>The parts joined by a separator that differs by language (English ", " against Chinese "、").</summary>
    public static Text Join(Text separator, IEnumerable<Text> parts)
    {
        ArgumentNullException.ThrowIfNull(separator);
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        return new Text(
            string.Join(separator.En, list.Select(p => p.En)),
            string.Join(separator.Zh, list.Select(p => p.Zh)),
            [.. list.SelectMany(p => p.Prose), .. list.Count > 1 ? separator.Prose : NoProse],
            separator.Translated && list.TrueForAll(p => p.Translated));
    }

    public static Text operator +(Text left, Text right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new Text(left.En + right.En, left.Zh + right.Zh, [.. left.Prose, .. right.Prose], left.Translated && right.Translated);
    }

    public static Text Add(Text left, Text right) => left + right;

    /// <summary>The text in <paramref name="language"/> (<see cref="UiLanguage"/>); English for any other.</summary>
    public string In(string language) => language == UiLanguage.SimplifiedChinese ? Zh : En;

    /// <summary>The same text with a change applied to both languages (replacing a server-sent value, trimming).</summary>
    public Text Map(Func<string, string> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new Text(change(En), change(Zh), Prose, Translated);
    }

    /// <summary>English, for code that reads a text as data (tests, machine-readable reports, logs). There is no
    /// conversion the other way: a user-facing text is always made with its translation.</summary>
    public static implicit operator string(Text? text) => text?.En ?? "";

    public string ToStringEn() => En;

    /// <summary>Whether the English text contains <paramref name="value"/>.</summary>
    public bool Contains(string value, StringComparison comparison = StringComparison.Ordinal) => En.Contains(value, comparison);

    /// <summary>Whether the English text starts with <paramref name="value"/>.</summary>
    public bool StartsWith(string value, StringComparison comparison = StringComparison.Ordinal) => En.StartsWith(value, comparison);

    /// <summary>English: a Text interpolated into an ordinary string, or logged, reads as English.</summary>
    public override string ToString() => En;

    public bool Equals(Text? other) => other is not null && En == other.En && Zh == other.Zh;

    public override bool Equals(object? obj) => Equals(obj as Text);

    public override int GetHashCode() => HashCode.Combine(En, Zh);
}

/// <summary>Builds the Chinese side of <see cref="Text.T(string, ZhHandler)"/>: literal parts are the
/// translation's prose; a <see cref="Text"/> filled in contributes its Chinese and its prose; any other value is
/// formatted with the invariant culture and is not prose.</summary>
[InterpolatedStringHandler]
public ref struct ZhHandler
{
    private DefaultInterpolatedStringHandler inner;
    private List<string>? prose;
    private bool untranslated;

    public ZhHandler(int literalLength, int formattedCount)
    {
        inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);
        prose = null;
        untranslated = false;
    }

    public void AppendLiteral(string value)
    {
        inner.AppendLiteral(value);
        (prose ??= []).Add(value);
    }

    public void AppendFormatted(Text value)
    {
        ArgumentNullException.ThrowIfNull(value);
        inner.AppendLiteral(value.Zh);
        (prose ??= []).AddRange(value.Prose);
        untranslated |= !value.Translated;
    }

    public void AppendFormatted(string? value) => inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value) => inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => inner.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => inner.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => inner.AppendFormatted(value, alignment, format);

    internal (string Text, IReadOnlyList<string> Prose, bool Translated) Build() =>
        (inner.ToStringAndClear(), prose is null ? [] : prose, !untranslated);
}
