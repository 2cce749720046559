using System.Text;

namespace Wsdoctor.Lint;

/// <summary>A block of configuration as it should read after a fix: its lines as written, with lines replaced or
/// removed and lines added at the end, each change marked by a comment so the reader sees what moved.</summary>
public sealed class FixBlock
{
    private const string Indent = "    ";

    private readonly string header;
    private readonly IReadOnlyList<(object Line, string Text)> lines;
    private readonly string? footer;
    private readonly Dictionary<object, string?> replaced = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Line, string Note)> added = [];
    private string? renamed;

    /// <param name="header">The block's first line (<c>location /ws {</c>, <c>backend app</c>).</param>
    /// <param name="lines">Its lines, each with the object that identifies it for <see cref="Replace"/>.</param>
    /// <param name="footer">The closing line (<c>}</c>), or null for sections that end where the next begins.</param>
    public FixBlock(string header, IEnumerable<(object Line, string Text)> lines, string? footer)
    {
        this.header = header;
        this.lines = lines.ToArray();
        this.footer = footer;
    }

    /// <summary>Replaces a line; null removes it (shown as a comment).</summary>
    public FixBlock Replace(object line, string? text)
    {
        replaced[line] = text;
        return this;
    }

    /// <summary>Adds a line at the end of the block, marked with <paramref name="note"/>.</summary>
    public FixBlock Add(string line, string note = "added")
    {
        added.Add((line, note));
        return this;
    }

    public FixBlock Rename(string newHeader)
    {
        renamed = newHeader;
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(renamed is null ? header : $"{renamed}    # was: {header}").Append('\n');
        foreach (var (line, original) in lines)
        {
            if (replaced.TryGetValue(line, out var replacement))
            {
                text.Append(Indent).Append(replacement is null ? "# removed: " + original : $"{replacement}    # was: {original}").Append('\n');
                continue;
            }

            text.Append(Indent).Append(original).Append('\n');
        }

        foreach (var (line, note) in added)
        {
            text.Append(Indent).Append(line).Append("    # ").Append(note).Append('\n');
        }

        return footer is null ? text.ToString().TrimEnd('\n') : text.Append(footer).ToString();
    }
}
