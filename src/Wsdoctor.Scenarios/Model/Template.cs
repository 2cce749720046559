using System.Text;
using System.Text.RegularExpressions;

namespace Wsdoctor.Scenarios.Model;

/// <summary>Text with <c>{{name}}</c> placeholders, filled in when the step runs: built-ins (<c>seq</c>, <c>uuid</c>,
/// <c>now</c>, <c>now_ms</c>, <c>iteration</c>, <c>connection</c>), the scenario's <c>vars:</c>, a call's
/// <c>with:</c> and captured values. Braces that do not enclose a name stay as written, so JSON and code need no
/// escaping.</summary>
public sealed partial class Template
{
    private readonly string[] _literals;
    private readonly string[] _names;

    private Template(string text, string[] literals, string[] names)
    {
        Text = text;
        _literals = literals;
        _names = names;
    }

    /// <summary>The text as written.</summary>
    public string Text { get; }

    /// <summary>The placeholders' names, in order of appearance (repeats included).</summary>
    public IReadOnlyList<string> Names => _names;

    public bool IsLiteral => _names.Length == 0;

    /// <summary>The whole text is one placeholder, nothing around it.</summary>
    public bool IsSinglePlaceholder => _names.Length == 1 && _literals[0].Length == 0 && _literals[1].Length == 0;

    public static Template Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var literals = new List<string>();
        var names = new List<string>();
        var last = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            literals.Add(text[last..match.Index]);
            names.Add(match.Groups["name"].Value);
            last = match.Index + match.Length;
        }

        literals.Add(text[last..]);
        return new Template(text, [.. literals], [.. names]);
    }

    /// <summary>Fills the placeholders; <paramref name="escape"/> transforms each value (e.g. Regex.Escape).</summary>
    public string Render(Func<string, string> resolve, Func<string, string>? escape = null)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        if (_names.Length == 0)
        {
            return Text;
        }

        var builder = new StringBuilder(Text.Length + 16);
        for (var i = 0; i < _names.Length; i++)
        {
            builder.Append(_literals[i]);
            var value = resolve(_names[i]);
            builder.Append(escape is null ? value : escape(value));
        }

        builder.Append(_literals[^1]);
        return builder.ToString();
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
