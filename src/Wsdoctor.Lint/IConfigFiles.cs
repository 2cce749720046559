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
public sealed record FileText(string Path, string? Text, string? Problem)
{
    public static FileText Of(string path, string text) => new(path, text, null);

    public static FileText Missing(string path, string problem) => new(path, null, problem);
}
