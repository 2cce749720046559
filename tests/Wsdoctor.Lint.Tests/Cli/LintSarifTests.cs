using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lint.Tests.Cli;

/// <summary><c>lint nginx|haproxy --format sarif</c> through the real executable: valid against the official SARIF
/// 2.1.0 schema, and every finding at the same file, line and column as the JSON report says.</summary>
public sealed class LintSarifTests : IDisposable
{
    private readonly TempDirectory dir = new();

    [Fact]
    public async Task LintNginxSarif_IncludedFile_EveryFindingAtItsRelativeFileLineAndColumn()
    {
        var main = dir.Write("nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n}\n");
        dir.Write("conf.d/ws.conf", "server {\n    listen 127.0.0.1:1;\n    location /ws {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n");

        var sarif = await WsdoctorProcess.RunAsync("lint", "nginx", main, "--nginx-version", "1.22.1", "--format", "sarif", "--sarif-base", dir.Path);
        var json = await WsdoctorProcess.RunAsync("lint", "nginx", main, "--nginx-version", "1.22.1", "--json");

        Assert.True(sarif.ExitCode == 1, sarif.ToString());
        Assert.Empty(ReportSchemas.ValidateSarif(sarif.Stdout));
        var run = JsonDocument.Parse(sarif.Stdout).RootElement.GetProperty("runs")[0];
        Assert.Equal(new Uri(dir.Path + "/").AbsoluteUri, run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString());
        var located = run.GetProperty("results").EnumerateArray().Select(r =>
        {
            var physical = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            var artifact = physical.GetProperty("artifactLocation");
            Assert.Equal("SRCROOT", artifact.GetProperty("uriBaseId").GetString());
            var region = physical.GetProperty("region");
            return (r.GetProperty("ruleId").GetString(), artifact.GetProperty("uri").GetString(), region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32());
        }).ToArray();
        var expected = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("findings").EnumerateArray().Select(f =>
            (f.GetProperty("code").GetString(), (string?)Path.GetRelativePath(dir.Path, f.GetProperty("file").GetString()!), f.GetProperty("line").GetInt32(), f.GetProperty("column").GetInt32())).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, located);
        Assert.Contains(located, l => l.Item1 == "nginx.http-version" && l.Item2 == "conf.d/ws.conf" && l.Item3 == 3 && l.Item4 == 5);
        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "nginx.http-version");
        Assert.Contains("wsdoctor explain nginx.http-version", rule.GetProperty("help").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintHaproxySarif_OutsideTheBase_AbsoluteFileUri()
    {
        var cfg = dir.Write("haproxy.cfg", "defaults\n    mode http\n    timeout client 1m\n    timeout server 1m\nbackend app\n    server s1 127.0.0.1:1\n");
        var elsewhere = Directory.CreateTempSubdirectory("wsdoctor-sarif-base-");
        try
        {
            var run = await WsdoctorProcess.RunAsync("lint", "haproxy", cfg, "--format", "sarif", "--sarif-base", elsewhere.FullName);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Empty(ReportSchemas.ValidateSarif(run.Stdout));
            var result = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
            Assert.Equal("haproxy.tunnel-timeout", result.GetProperty("ruleId").GetString());
            Assert.Equal("warning", result.GetProperty("level").GetString());
            var physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal(new Uri(cfg).AbsoluteUri, physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal(5, physical.GetProperty("region").GetProperty("startLine").GetInt32());
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--format", "xml" }, "wsdoctor: error: --format takes text, json or sarif (got 'xml')")]
    [InlineData(new[] { "--format", "sarif", "--sarif-base", "/nonexistent/dir" }, "wsdoctor: error: --sarif-base /nonexistent/dir: no such directory")]
    public async Task LintSarif_Mistakes_OneLineExit2(string[] options, string expected)
    {
        var cfg = dir.Write("haproxy.cfg", "defaults\n    mode http\n");

        var run = await WsdoctorProcess.RunAsync(["lint", "haproxy", cfg, .. options]);

        Assert.Equal(expected, run.AssertUsageError(expected));
    }

    public void Dispose() => dir.Dispose();
}
