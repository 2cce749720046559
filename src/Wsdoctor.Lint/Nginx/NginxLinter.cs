using Wsdoctor.Lint.Nginx.Rules;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx;

/// <summary><c>wsdoctor lint nginx</c>: load the configuration with its includes, check what nginx itself would
/// refuse among the values the rules read, find the WebSocket locations, run every rule.</summary>
public static class NginxLinter
{
    private static readonly INginxRule[] Rules =
    [
        new HttpVersionRule(),
        new UpgradeHeadersRule(),
        new ConnectionHeaderRule(),
        new HostHeaderRule(),
        new InheritedHeadersRule(),
        new ReadTimeoutRule(),
        new LocationRedirectRule(),
        new CertificateChainRule(),
        new ShutdownTimeoutRule(),
    ];

    /// <summary>Time directives the rules read: a value nginx rejects is a configuration error, as in nginx -t.</summary>
    private static readonly string[] TimeDirectives = ["proxy_read_timeout", "proxy_send_timeout", "worker_shutdown_timeout"];

    /// <summary>A configuration file on disk (or any <see cref="IConfigFiles"/>) and its includes.</summary>
    public static ParseResult<LintReport> LintFile(string mainFile, IConfigFiles files, NginxLintOptions options)
    {
        var loaded = NginxIncludes.Load(mainFile, files);
        return loaded.Ok ? Lint(loaded.Value, options) : loaded.Error;
    }

    /// <summary>Standard input: <c>nginx -T</c> output (its files, includes resolved among them), or else a single
    /// configuration whose includes are read from disk relative to <paramref name="workingDirectory"/>.</summary>
    public static ParseResult<LintReport> LintStdin(string text, string workingDirectory, NginxLintOptions options)
    {
        if (NginxDump.Split(text) is { Count: > 0 } dump)
        {
            var files = new DumpConfigFiles(dump);
            return LintFile(files.MainFile, files, options);
        }

        var prefix = workingDirectory.EndsWith('/') ? workingDirectory : workingDirectory + "/";
        var stdin = new StdinConfigFiles(text, DiskConfigFiles.Instance);
        var loaded = NginxIncludes.Load(StdinConfigFiles.Name, stdin, prefix);
        return loaded.Ok ? Lint(loaded.Value, options) : loaded.Error;
    }

    public static ParseResult<LintReport> Lint(NginxConfiguration configuration, NginxLintOptions options)
    {
        if (InvalidTime(configuration.Directives) is { } error)
        {
            return error;
        }

        var model = NginxModel.Build(configuration);
        var webSockets = model.Servers
            .SelectMany(server => server.AllLocations.Select(location => (server, location)))
            .Select(x => WebSocketLocations.Reason(x.location, x.server, options) is { } reason ? new WebSocketLocation(x.server, x.location, reason) : null)
            .OfType<WebSocketLocation>()
            .ToArray();
        var context = new NginxLintContext(model, options, webSockets);
        var findings = Rules
            .SelectMany(rule => rule.Check(context))
            .DistinctBy(f => (f.Finding.Code, f.Location))
            .ToArray();
        var assumptions = new Dictionary<string, object?>
        {
            ["nginxVersion"] = options.Version.Display,
            ["nginxVersionSource"] = options.Version.Source,
            ["heartbeatSeconds"] = options.Heartbeat?.TotalSeconds,
            ["wsPaths"] = options.WsPaths.ToArray(),
            ["webSocketLocations"] = webSockets.Select(w => new Dictionary<string, object?>
            {
                ["location"] = w.Location.Title,
                ["at"] = w.Location.Directive.Location.ToString(),
                ["reason"] = w.Reason.En,
            }).ToArray(),
        };
        return ParseResult<LintReport>.Success(new LintReport(
            "nginx", configuration.Files, LintReport.Ordered(findings, configuration.Files), context.Notes, assumptions));
    }

    private static ConfigError? InvalidTime(IEnumerable<NginxDirective> directives)
    {
        foreach (var directive in directives)
        {
            if (TimeDirectives.Contains(directive.Name) && (directive.ArgCount != 1 || NginxTime.Parse(directive.Arg(0)) is null))
            {
                // nginx -t: invalid value "abc" in "proxy_read_timeout" directive ... wording of ngx_conf_set_msec_slot.
                return new ConfigError(directive.Location, directive.ArgCount == 1
                    ? T($"\"{directive.Name}\" directive invalid value \"{directive.Arg(0)}\"", $"\"{directive.Name}\" 指令的值 \"{directive.Arg(0)}\" 无效")
                    : T($"invalid number of arguments in \"{directive.Name}\" directive", $"\"{directive.Name}\" 指令的参数个数不对"));
            }

            if (directive.Block is { } block && InvalidTime(block) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}

/// <summary>A configuration given on standard input, named &lt;stdin&gt;, whose includes come from disk.</summary>
internal sealed class StdinConfigFiles(string text, IConfigFiles disk) : IConfigFiles
{
    public const string Name = "<stdin>";

    public FileText Read(string path) => path == Name ? FileText.Of(Name, text) : disk.Read(path);

    public IReadOnlyList<string> Glob(string pattern) => disk.Glob(pattern);
}
