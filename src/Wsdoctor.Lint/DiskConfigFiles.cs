using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint;

/// <summary>Configuration files on disk, each read whole up to <see cref="MaxBytes"/>.</summary>
public sealed class DiskConfigFiles : IConfigFiles
{
    /// <summary>Larger than any real proxy configuration; a bound so that a wrong path (a log, a device) cannot
    /// exhaust memory.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>How many directory entries a glob may look at, in all.</summary>
    private const int MaxGlobEntries = 100_000;

    public static DiskConfigFiles Instance { get; } = new();

    public FileText Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path))
            {
                return FileText.Missing(path, T("is a directory", "是一个目录"));
            }

            if (!info.Exists)
            {
                return FileText.Missing(path, FileText.NoSuchFile);
            }

            if (info.Length > MaxBytes)
            {
                return FileText.Missing(path, T($"larger than {MaxBytes / (1024 * 1024)} MiB", $"大于 {MaxBytes / (1024 * 1024)} MiB"));
            }

            return FileText.Of(path, File.ReadAllText(path));
        }
        catch (UnauthorizedAccessException)
        {
            return FileText.Missing(path, T("permission denied", "没有读取权限"));
        }
        catch (IOException e)
        {
            return FileText.Missing(path, Verbatim(e.Message));
        }
        catch (ArgumentException)
        {
            // A NUL byte in the name (the OS refuses such a path; nginx's C strings would cut it there).
            return FileText.Missing(path, T("not a valid file name (it contains a NUL byte)", "不是有效的文件名（含有 NUL 字节）"));
        }
    }

    public IReadOnlyList<string> Glob(string pattern)
    {
        var segments = pattern.Split('/');
        IEnumerable<string> current = [pattern.StartsWith('/') ? "/" : "."];
        var budget = MaxGlobEntries;
        for (var i = pattern.StartsWith('/') ? 1 : 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                continue;
            }

            var last = i == segments.Length - 1;
            var next = new List<string>();
            foreach (var directory in current)
            {
                if (!GlobPattern.HasWildcards(segment))
                {
                    var candidate = Path.Combine(directory, GlobPattern.Unescape(segment));
                    if (last ? File.Exists(candidate) : Directory.Exists(candidate))
                    {
                        next.Add(candidate);
                    }

                    continue;
                }

                foreach (var entry in Entries(directory, last))
                {
                    if (--budget < 0)
                    {
                        return [];
                    }

                    if (GlobPattern.IsMatch(segment, Path.GetFileName(entry)))
                    {
                        next.Add(entry);
                    }
                }
            }

            current = next;
        }

        return current.Order(StringComparer.Ordinal).ToArray();
    }

    private static IEnumerable<string> Entries(string directory, bool files)
    {
        try
        {
            return files ? Directory.GetFiles(directory) : Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }
}
