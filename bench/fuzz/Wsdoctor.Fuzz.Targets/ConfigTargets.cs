using Wsdoctor.Exporter.Config;
using Wsdoctor.Lint;
using Wsdoctor.Lint.Haproxy;
using Wsdoctor.Lint.Nginx;
using Wsdoctor.Scenarios.Loading;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>Configuration files: nginx (tokenizer, parser, <c>nginx -T</c> dumps, includes among the dump's files,
/// every rule) and HAProxy for <c>lint</c>, scenario files for <c>test</c>, the exporter's modules. Nothing is
/// read from disk: includes and certificates resolve inside the input, relative paths inside an empty folder.</summary>
public static class ConfigTargets
{
    private const string MainFile = "/etc/nginx/nginx.conf";

    /// <summary>An empty folder, so that a file the input names is simply not there.</summary>
    private static readonly Lazy<string> EmptyFolder = new(() =>
        Directory.CreateTempSubdirectory("wsdoctor-fuzz-").FullName);

    public static void Nginx(byte[] input)
    {
        var text = TextTargets.Text(input);
        var parsed = NginxParser.Parse(text, MainFile);
        RequireLocatedError(parsed.Ok, parsed.Error, "nginx");
        var files = new DumpConfigFiles(NginxDump.Split(text) is { Count: > 0 } dump ? dump : [FileText.Of(MainFile, text)]);
        foreach (var version in new[] { NginxVersion.Oldest, new NginxVersion(NginxVersion.HttpVersionDefaultIs11, "fuzz") })
        {
            var options = new NginxLintOptions([], TimeSpan.FromSeconds(30), version, files);
            var linted = NginxLinter.LintFile(files.MainFile, files, options);
            RequireLocatedError(linted.Ok, linted.Error, "nginx");
        }

        var withPaths = NginxLinter.LintFile(files.MainFile, files, new NginxLintOptions(["/ws", "/socket.io/"], null, NginxVersion.Oldest, files));
        RequireLocatedError(withPaths.Ok, withPaths.Error, "nginx");
    }

    public static void Haproxy(byte[] input)
    {
        var text = TextTargets.Text(input);
        foreach (var heartbeat in new TimeSpan?[] { null, TimeSpan.FromSeconds(25) })
        {
            var linted = HaproxyLinter.Lint(text, "/etc/haproxy/haproxy.cfg", new HaproxyLintOptions(heartbeat));
            RequireLocatedError(linted.Ok, linted.Error, "haproxy");
        }
    }

    public static void Scenario(byte[] input) =>
        _ = ScenarioLoader.Parse(TextTargets.Text(input), "fuzz.yaml", EmptyFolder.Value, name => name.StartsWith("UNSET", StringComparison.Ordinal) ? null : name.EndsWith("URL", StringComparison.Ordinal) ? "ws://127.0.0.1:9/ws" : $"fuzz-{name}");

    public static void Exporter(byte[] input) =>
        _ = ConfigLoader.Parse(TextTargets.Text(input), "exporter.yml", EmptyFolder.Value);

    private static void RequireLocatedError(bool ok, ConfigError? error, string target)
    {
        if (!ok)
        {
            Invariants.Require(error is not null && error.Location.Line >= 0 && !string.IsNullOrWhiteSpace(error.Message), target, "an error without a message");
            Invariants.Require(!error!.Message.En.Contains('\n', StringComparison.Ordinal) && !error.Message.Zh.Contains('\n', StringComparison.Ordinal), target, $"an error of more than one line: {error.Message}");
        }
    }
}
