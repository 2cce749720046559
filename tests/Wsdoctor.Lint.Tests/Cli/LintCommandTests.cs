using System.Text.Json;
using Wsdoctor.Lint.Tests.Snippets;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lint.Tests.Cli;

/// <summary>The real wsdoctor executable: output shape, exit codes, standard input with real <c>nginx -T</c> output.</summary>
public sealed class LintCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();

    [Fact]
    public async Task LintNginx_ErrorFinding_CompilerLineFixBlockSummaryAndExit1()
    {
        var conf = dir.Write("nginx.conf", "events {}\nhttp {\n    server {\n        location /ws { proxy_pass http://127.0.0.1:8080; }\n    }\n}\n");

        var run = await WsdoctorProcess.RunAsync("lint", "nginx", conf, "--nginx-version", "1.22.1");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{conf}:4:9: error nginx.http-version: ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("    more:      wsdoctor explain nginx.http-version", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("proxy_http_version 1.1;    # added", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("lint nginx: 2 errors, 2 warnings, 0 info", run.StdoutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintNginx_Json_FindingsWithLocations()
    {
        var conf = dir.Write("nginx.conf", "events {}\nhttp {\n    server {\n        location /ws { proxy_pass http://127.0.0.1:8080; }\n    }\n}\n");

        var run = await WsdoctorProcess.RunAsync("lint", "nginx", conf, "--nginx-version", "1.29.7", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("lint nginx", json.GetProperty("command").GetString());
        var codes = json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToArray();
        Assert.DoesNotContain("nginx.http-version", codes);
        var upgrade = json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "nginx.upgrade-headers");
        Assert.Equal(4, upgrade.GetProperty("line").GetInt32());
        Assert.Equal(9, upgrade.GetProperty("column").GetInt32());
        Assert.Equal(1, json.GetProperty("summary").GetProperty("errors").GetInt32());
    }

    [Theory]
    [InlineData("events {}\nhttp {\n    server {\n        listen 80\n    }\n}\n", ":5:5: unexpected \"}\"")]
    [InlineData("events {}\nhttp {\n", ":3:1: unexpected end of file, expecting \"}\"")]
    public async Task LintNginx_SyntaxError_OneLineExit2(string text, string expected)
    {
        var conf = dir.Write("nginx.conf", text);

        var run = await WsdoctorProcess.RunAsync("lint", "nginx", conf);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Equal($"wsdoctor: error: {conf}{expected}", Assert.Single(run.StderrLines));
    }

    [Theory]
    [InlineData(new[] { "lint", "nginx", "/nonexistent/nginx.conf" }, "cannot read /nonexistent/nginx.conf: no such file")]
    [InlineData(new[] { "lint", "haproxy", "/nonexistent/haproxy.cfg" }, "cannot read /nonexistent/haproxy.cfg: no such file")]
    [InlineData(new[] { "lint", "nginx", "x.conf", "--nginx-version", "new" }, "--nginx-version takes X.Y.Z")]
    [InlineData(new[] { "lint", "nginx", "x.conf", "--ws-path", "ws" }, "--ws-path takes a path starting with /")]
    [InlineData(new[] { "snippet", "iis" }, "unknown proxy 'iis'; snippets: nginx, haproxy, apache, caddy, traefik, envoy")]
    [InlineData(new[] { "snippet", "nginx", "--upstream", "nohost" }, "--upstream takes HOST:PORT (got 'nohost')")]
    public async Task Run_UsageMistake_OneLineExit2(string[] args, string expected)
    {
        var run = await WsdoctorProcess.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintHaproxy_WarningsOnly_Exit0()
    {
        var cfg = dir.Write("haproxy.cfg", "defaults\n    mode http\n    timeout client 1m\n    timeout server 1m\nbackend app\n    server s1 127.0.0.1:1\n");

        var run = await WsdoctorProcess.RunAsync("lint", "haproxy", cfg);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{cfg}:5:1: warning haproxy.tunnel-timeout: ", run.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Real <c>nginx -T</c> output of a configuration with an include, piped into <c>lint nginx -</c>: the
    /// finding is reported in the included file, at its own line.</summary>
    [SkippableFact]
    public async Task LintNginxStdin_RealNginxDashT_FindingInTheIncludedFile()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "logs"));
        var main = dir.Write("nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n}\n");
        var included = dir.Write("conf.d/ws.conf", "server {\n    listen 127.0.0.1:1;\n    location /ws {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n");
        var dump = await RealProgram.RunAsync(Peers.Nginx, ["-T", .. RealProgram.NginxArgs(dir.Path, main, run: false)[1..]]);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Contains($"# configuration file {included}:", dump.Stdout, StringComparison.Ordinal);

        var run = await WsdoctorProcess.RunWithStdinAsync(["lint", "nginx", "-", "--nginx-version", "1.22.1", "--json"], dump.Stdout);

        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray().ToArray();
        var version = findings.Single(f => f.GetProperty("code").GetString() == "nginx.http-version");
        Assert.Equal((included, 3, 5), (version.GetProperty("file").GetString(), version.GetProperty("line").GetInt32(), version.GetProperty("column").GetInt32()));
    }

    public void Dispose() => dir.Dispose();
}
