namespace Wsdoctor.Bench.Results;

/// <summary>Replaces what lies between the results markers of docs/performance.md, leaving the prose around them.</summary>
public static class DocUpdater
{
    public const string Begin = "<!-- results:begin -->";
    public const string End = "<!-- results:end -->";

    /// <summary>False (and the file untouched) when the file or its markers are missing, or the markers out of order.</summary>
    public static bool TryUpdate(string path, string results)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var text = File.ReadAllText(path);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return false;
        }

        var updated = text[..(begin + Begin.Length)] + "\n" + results.TrimEnd('\n') + "\n" + text[end..];
        File.WriteAllText(path, updated);
        return true;
    }
}
