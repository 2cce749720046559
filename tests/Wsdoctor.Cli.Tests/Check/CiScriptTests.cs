using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Check;

/// <summary>docs/examples/ci-check.sh, the CI example of docs/ci.md, run by a POSIX sh (dash) exactly as a CI job
/// runs it: its exit status and the JUnit and SARIF files it leaves, held to their schemas.</summary>
public sealed class CiScriptTests
{
    private const string Sh = "/bin/sh";

    private static readonly string Script = FindScript();

    private const string GoodNginx = "events {}\nhttp {\n    server {\n        location /ws {\n            proxy_pass http://127.0.0.1:8080;\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection \"upgrade\";\n            proxy_set_header Host $host;\n            proxy_read_timeout 1h;\n        }\n    }\n}\n";

    private const string BadNginx = "events {}\nhttp {\n    server {\n        location /ws { proxy_pass http://127.0.0.1:8080; }\n    }\n}\n";

    [SkippableFact]
    public async Task CiScript_HealthyTargetsAndCleanConfig_Exit0WithValidReports()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var dir = new TargetsDirectory();
        var targets = dir.Write("targets.txt", $"ws://127.0.0.1:{server.Port}/ws\n");
        var conf = dir.Write("nginx.conf", GoodNginx);

        var run = await RunScriptAsync(dir, targets, $"nginx:{conf}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(ReportSchemas.ValidateJunit(await File.ReadAllTextAsync(Path.Combine(dir.Path, "reports", "wsdoctor-check.xml"))));
        Assert.Empty(ReportSchemas.ValidateSarif(await File.ReadAllTextAsync(Path.Combine(dir.Path, "reports", "wsdoctor-lint-nginx-nginx.conf.sarif"))));
    }

    [SkippableFact]
    public async Task CiScript_FailingTargetOrLintError_Exit1AndStillWritesEveryReport()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var dir = new TargetsDirectory();
        var healthy = dir.Write("healthy.txt", $"ws://127.0.0.1:{server.Port}/ws\n");
        var failing = dir.Write("failing.txt", $"ws://127.0.0.1:{server.Port}/ws\nws://127.0.0.1:{Peers.FreePort()}/\n");
        var bad = dir.Write("bad.conf", BadNginx);

        // Each run rewrites the reports: each is read before the next run.
        var lintError = await RunScriptAsync(dir, healthy, $"nginx:{bad}");
        var sarif = await File.ReadAllTextAsync(Path.Combine(dir.Path, "reports", "wsdoctor-lint-nginx-bad.conf.sarif"));
        var targetFails = await RunScriptAsync(dir, failing);
        var junit = await File.ReadAllTextAsync(Path.Combine(dir.Path, "reports", "wsdoctor-check.xml"));
        var usage = await RunScriptAsync(dir, healthy, "apache:httpd.conf");

        Assert.True(lintError.ExitCode == 1, lintError.ToString());
        Assert.Empty(ReportSchemas.ValidateSarif(sarif));
        Assert.Contains("\"ruleId\": \"nginx.upgrade-headers\"", sarif, StringComparison.Ordinal);
        Assert.True(targetFails.ExitCode == 1, targetFails.ToString());
        Assert.Empty(ReportSchemas.ValidateJunit(junit));
        Assert.Contains("type=\"tcp.refused\"", junit, StringComparison.Ordinal);
        Assert.True(usage.ExitCode == 2, usage.ToString());
        Assert.Contains("'apache:httpd.conf' is not nginx:FILE or haproxy:FILE", usage.Stderr, StringComparison.Ordinal);
    }

    private static async Task<CliRun> RunScriptAsync(TargetsDirectory dir, params string[] args)
    {
        Peers.Require(Sh);
        var environment = new Dictionary<string, string>
        {
            ["WSDOCTOR"] = $"{WsdoctorProcess.DotnetHost} {WsdoctorProcess.DllPath}",
            ["REPORTS"] = Path.Combine(dir.Path, "reports"),
            ["SRCROOT"] = dir.Path,
        };
        return await WsdoctorProcess.RunProcessAsync(Sh, [Script, .. args], environment);
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "examples", "ci-check.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("docs/examples/ci-check.sh not found above " + AppContext.BaseDirectory);
    }
}
