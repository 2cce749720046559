using System.Text.RegularExpressions;

namespace Wsdoctor.Lint.Nginx;

/// <summary>The output of <c>nginx -T</c>: after the syntax check, nginx writes every file it read as
/// <c># configuration file PATH:</c> followed by the file's text and one extra newline (ngx_dump_config in
/// src/core/nginx.c), each file once, the main file first. Lines before the first header (the "syntax is ok" lines
/// when stderr was redirected too) are not part of any file.</summary>
public static partial class NginxDump
{
    /// <summary>The files of a dump in order, or null when the text has no header line (it is not a dump).</summary>
    public static IReadOnlyList<FileText>? Split(string text)
    {
        var files = new List<FileText>();
        string? path = null;
        var start = 0;
        var offset = 0;
        while (offset <= text.Length)
        {
            var end = text.IndexOf('\n', offset);
            var lineEnd = end < 0 ? text.Length : end;
            var match = Header().Match(text, offset, lineEnd - offset);
            if (match.Success)
            {
                if (path is not null)
                {
                    files.Add(FileText.Of(path, Content(text, start, offset)));
                }

                path = match.Groups[1].Value;
                start = end < 0 ? text.Length : end + 1;
            }

            if (end < 0)
            {
                break;
            }

            offset = end + 1;
        }

        if (path is null)
        {
            return null;
        }

        files.Add(FileText.Of(path, Content(text, start, text.Length)));
        return files;
    }

    /// <summary>A file's text without the newline nginx adds after each file.</summary>
    private static string Content(string text, int start, int end)
    {
        if (end > start && text[end - 1] == '\n')
        {
            end--;
        }

        return text[start..end];
    }

    [GeneratedRegex(@"\G# configuration file (.+):\r?$")]
    private static partial Regex Header();
}

/// <summary>The files of an <c>nginx -T</c> dump, served to <see cref="NginxIncludes"/> in place of the disk: an
/// include resolves against the paths nginx printed.</summary>
public sealed class DumpConfigFiles(IReadOnlyList<FileText> files) : IConfigFiles
{
    private readonly Dictionary<string, FileText> byPath = files
        .DistinctBy(f => f.Path, StringComparer.Ordinal)
        .ToDictionary(f => f.Path, StringComparer.Ordinal);

    public string MainFile => files[0].Path;

    public FileText Read(string path) =>
        byPath.TryGetValue(path, out var file) ? file : FileText.Missing(path, Findings.Text.T("not in the nginx -T output", "不在 nginx -T 的输出中"));

    public IReadOnlyList<string> Glob(string pattern) =>
        byPath.Keys.Where(p => GlobPattern.IsPathMatch(pattern, p)).Order(StringComparer.Ordinal).ToArray();
}
