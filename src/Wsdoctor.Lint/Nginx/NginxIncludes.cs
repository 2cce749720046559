using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx;

/// <summary>Reads a main file and follows its <c>include</c> directives the way <c>ngx_conf_include</c> does:
/// a relative path is relative to the conf prefix, which is the directory of the main file when nginx runs with
/// <c>-c FILE</c> (not the including file's directory); a path with <c>*?[</c> is a glob whose matches are read in
/// sorted order and which may match nothing; any other path must exist. Includes may appear in any context
/// (http, server, location, map, types) and their directives take the include's place.</summary>
public static class NginxIncludes
{
    /// <summary>nginx itself has no limit and recurses until it runs out of descriptors; a file that includes itself
    /// is a mistake the lint reports instead.</summary>
    public const int MaxDepth = 16;

    /// <summary>Bounds the total work for a glob that matches thousands of files.</summary>
    public const int MaxFiles = 2000;

    public static ParseResult<NginxConfiguration> Load(string mainFile, IConfigFiles files, string? prefix = null)
    {
        var main = files.Read(mainFile);
        if (!main.Readable)
        {
            return new ConfigError(new SourceLocation(mainFile, 1, 1), T($"cannot read {mainFile}: {main.Problem}", $"无法读取 {mainFile}：{main.Problem}"));
        }

        var state = new State(files, prefix ?? PrefixOf(mainFile));
        state.Read.Add(mainFile);
        var parsed = NginxParser.Parse(main.Text, mainFile);
        if (!parsed.Ok)
        {
            return parsed.Error;
        }

        var expanded = Expand(parsed.Value, state, depth: 0);
        return expanded.Ok
            ? ParseResult<NginxConfiguration>.Success(new NginxConfiguration(mainFile, state.Prefix, state.Read.Distinct(StringComparer.Ordinal).ToArray(), expanded.Value))
            : expanded.Error;
    }

    /// <summary>The conf prefix nginx derives from <c>-c FILE</c>: the file's directory, with a trailing slash.</summary>
    public static string PrefixOf(string mainFile)
    {
        ArgumentNullException.ThrowIfNull(mainFile);
        // A NUL byte (possible in an nginx -T dump's "# configuration file" line) ends the name, as in nginx's C strings.
        var name = mainFile.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0 ? mainFile[..nul] : mainFile;
        var directory = Path.GetDirectoryName(Path.GetFullPath(name.Length > 0 ? name : "/")) ?? "/";
        return directory.EndsWith('/') ? directory : directory + "/";
    }

    private static ParseResult<IReadOnlyList<NginxDirective>> Expand(IReadOnlyList<NginxDirective> directives, State state, int depth)
    {
        var result = new List<NginxDirective>(directives.Count);
        foreach (var directive in directives)
        {
            if (directive.Is("include") && !directive.IsBlock)
            {
                var included = Include(directive, state, depth);
                if (!included.Ok)
                {
                    return included.Error;
                }

                result.AddRange(included.Value);
                continue;
            }

            if (directive.Block is { } block)
            {
                var inner = Expand(block, state, depth);
                if (!inner.Ok)
                {
                    return inner.Error;
                }

                result.Add(directive with { Block = inner.Value });
                continue;
            }

            result.Add(directive);
        }

        return ParseResult<IReadOnlyList<NginxDirective>>.Success(result);
    }

    private static ParseResult<IReadOnlyList<NginxDirective>> Include(NginxDirective include, State state, int depth)
    {
        if (include.ArgCount != 1)
        {
            return new ConfigError(include.Location, T("invalid number of arguments in \"include\" directive", "\"include\" 指令的参数个数不对"));
        }

        if (depth + 1 > MaxDepth)
        {
            return new ConfigError(include.Location, T($"includes nested deeper than {MaxDepth} levels (does a file include itself?)", $"include 嵌套超过 {MaxDepth} 层（是不是有文件包含了它自己？）"));
        }

        var name = include.Arg(0);
        var path = name.StartsWith('/') ? name : state.Prefix + name;
        IReadOnlyList<string> paths;
        if (GlobPattern.HasWildcards(name))
        {
            paths = state.Files.Glob(path);
        }
        else
        {
            paths = [path];
        }

        var directives = new List<NginxDirective>();
        foreach (var file in paths)
        {
            if (state.Read.Count >= MaxFiles)
            {
                return new ConfigError(include.Location, T($"more than {MaxFiles} included files", $"include 的文件超过 {MaxFiles} 个"));
            }

            var text = state.Files.Read(file);
            if (!text.Readable)
            {
                // nginx: open() "/etc/nginx/x.conf" failed (2: No such file or directory) in /etc/nginx/nginx.conf:12
                return new ConfigError(include.Location, T($"include {name}: cannot read {file}: {text.Problem}", $"include {name}：无法读取 {file}：{text.Problem}"));
            }

            state.Read.Add(file);
            var parsed = NginxParser.Parse(text.Text, file);
            if (!parsed.Ok)
            {
                return parsed.Error;
            }

            var expanded = Expand(parsed.Value, state, depth + 1);
            if (!expanded.Ok)
            {
                return expanded.Error;
            }

            directives.AddRange(expanded.Value);
        }

        return ParseResult<IReadOnlyList<NginxDirective>>.Success(directives);
    }

    private sealed class State(IConfigFiles files, string prefix)
    {
        public IConfigFiles Files { get; } = files;

        public string Prefix { get; } = prefix;

        public List<string> Read { get; } = [];
    }
}
