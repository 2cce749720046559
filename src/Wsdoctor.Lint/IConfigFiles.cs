using System.Diagnostics.CodeAnalysis;

namespace Wsdoctor.Lint;

/// <summary>Where configuration files come from: the disk, or the files of an <c>nginx -T</c> dump. The parsers
/// never touch the file system themselves.</summary>
public interface IConfigFiles
{
    /// <summary>The text of a configuration file, or why it could not be read.</summary>
    FileText Read(string path);

    /// <summary>The files an absolute glob pattern (<c>*</c>, <c>?</c>, <c>[...]</c>) matches, sorted as glob(3)
    /// sorts them.</summary>
    IReadOnlyList<string> Glob(string pattern);
}

/// <summary>A file's text, or the reason it has none (not found, permission denied, too large).</summary>
public sealed record FileText(string Path, string? Text, Findings.Text? Problem)
{
    /// <summary>The problem <see cref="DiskConfigFiles"/> reports for a path that does not exist.</summary>
    public static Findings.Text NoSuchFile { get; } = Findings.Text.T("no such file", "文件不存在");

    public bool NotFound => Problem is not null && Problem.Equals(NoSuchFile);

    /// <summary>True with a text, false with the problem (the only two ways <see cref="Of"/> and
    /// <see cref="Missing"/> make one).</summary>
    [MemberNotNullWhen(true, nameof(Text))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Readable => Text is not null;

    public static FileText Of(string path, string text) => new(path, text, null);

    public static FileText Missing(string path, Findings.Text problem) => new(path, null, problem);
}
