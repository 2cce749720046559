using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Lint.Haproxy;
using Wsdoctor.Lint.Nginx;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lint.Tests.Snippets;

/// <summary>Every snippet the real program can run is checked by the program itself and then proves it proxies a
/// WebSocket: the proxy on a free loopback port in front of the lab's Kestrel echo, and the real
/// <c>wsdoctor check ... --send hello --expect hello --json</c> through it. The linter finds nothing in the snippets,
/// and on a broken variant names the right code and line, which the real proxy confirms by failing.</summary>
public sealed class SnippetProxyTests : IAsyncLifetime
{
    private readonly TempDirectory dir = new();
    private KestrelEcho echo = null!;
    private int port;

    public async Task InitializeAsync()
    {
        echo = await KestrelEcho.StartAsync();
        port = Peers.FreePort();
        Directory.CreateDirectory(Path.Combine(dir.Path, "logs"));
    }

    public async Task DisposeAsync()
    {
        await echo.DisposeAsync();
        dir.Dispose();
    }

    private async Task<string> SnippetAsync(string proxy, params string[] extra)
    {
        var run = await WsdoctorProcess.RunAsync(["snippet", proxy, "--listen", $"127.0.0.1:{port}", "--upstream", $"127.0.0.1:{echo.Port}", "--server-name", "127.0.0.1", .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout;
    }

    private async Task<JsonElement> CheckThroughAsync()
    {
        var run = await WsdoctorProcess.RunAsync("check", $"ws://127.0.0.1:{port}/ws", "--send", "hello", "--expect", "^hello$", "--json", "--timeout", "5s");
        return JsonDocument.Parse(run.Stdout).RootElement;
    }

    private static void AssertOk(JsonElement report) =>
        Assert.True(report.GetProperty("verdict").GetString() == "ok", report.ToString());

    [SkippableFact]
    public async Task Nginx_Snippet_ValidProxiesAndLintsClean()
    {
        var conf = dir.Write("nginx.conf", await SnippetAsync("nginx"));

        var test = await RealProgram.RunAsync(Peers.Nginx, RealProgram.NginxArgs(dir.Path, conf, run: false));
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("test is successful", test.Stderr, StringComparison.Ordinal);
        var lint = NginxLinter.LintFile(conf, DiskConfigFiles.Instance, NginxLintOptionsFor("1.22.1"));
        Assert.True(lint.Ok && lint.Value.Findings.Count == 0, lint.Ok ? string.Join("; ", lint.Value.Findings.Select(f => f.Finding.Code)) : lint.Error.ToString());
        using var nginx = await RealProgram.StartAsync(Peers.Nginx, RealProgram.NginxArgs(dir.Path, conf, run: true), port);

        AssertOk(await CheckThroughAsync());
    }

    /// <summary>Against Python websockets, which insists on HTTP/1.1 (Kestrel accepts the HTTP/1.0 request nginx
    /// forwards by default, so it would pass).</summary>
    [SkippableFact]
    public async Task Nginx_SnippetWithoutHttpVersion_LintNamesTheLineAndNginxReallyFails()
    {
        var (python, pythonPort) = await PythonEcho.StartAsync();
        using var backend = python;
        var text = (await SnippetAsync("nginx")).Replace($"server 127.0.0.1:{echo.Port};", $"server 127.0.0.1:{pythonPort};", StringComparison.Ordinal);
        var broken = text.Replace("            proxy_http_version 1.1;\n", "", StringComparison.Ordinal);
        var conf = dir.Write("nginx.conf", broken);
        var locationLine = broken.Split('\n').ToList().FindIndex(l => l.TrimStart().StartsWith("location /ws", StringComparison.Ordinal)) + 1;

        var lint = NginxLinter.LintFile(conf, DiskConfigFiles.Instance, NginxLintOptionsFor("1.22.1"));
        using var nginx = await RealProgram.StartAsync(Peers.Nginx, RealProgram.NginxArgs(dir.Path, conf, run: true), port);
        var report = await CheckThroughAsync();

        var finding = Assert.Single(lint.Value!.Findings);
        Assert.Equal((Codes.NginxHttpVersion, locationLine, 9), (finding.Finding.Code, finding.Location.Line, finding.Location.Column));
        Assert.Equal("fail", report.GetProperty("verdict").GetString());
    }

    [SkippableFact]
    public async Task Nginx_TlsSnippet_NginxAcceptsTheChainAndLintsClean()
    {
        using var pki = Certificates.TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(Certificates.LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        dir.Write("certs/fullchain.pem", Certificates.Pem.ExportChain([leaf, pki.Intermediate.Certificate]));
        dir.Write("certs/privkey.pem", Certificates.Pem.ExportPrivateKey(leaf));
        var conf = dir.Write("nginx.conf", await SnippetAsync("nginx", "--tls", "--cert-dir", Path.Combine(dir.Path, "certs")));

        var test = await RealProgram.RunAsync(Peers.Nginx, RealProgram.NginxArgs(dir.Path, conf, run: false));
        var lint = NginxLinter.LintFile(conf, DiskConfigFiles.Instance, NginxLintOptionsFor("1.22.1"));

        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Empty(lint.Value!.Findings);
        Assert.Empty(lint.Value.Notes);
    }

    [SkippableFact]
    public async Task Haproxy_Snippet_ValidProxiesAndLintsClean()
    {
        var conf = dir.Write("haproxy.cfg", await SnippetAsync("haproxy"));

        var test = await RealProgram.RunAsync(Peers.Haproxy, ["-c", "-f", conf]);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.DoesNotContain("WARNING", test.Stdout + test.Stderr, StringComparison.Ordinal);
        var lint = HaproxyLinter.LintFile(conf, DiskConfigFiles.Instance, new HaproxyLintOptions(TimeSpan.FromSeconds(30)));
        Assert.True(lint.Ok && lint.Value.Findings.Count == 0, lint.Ok ? string.Join("; ", lint.Value.Findings.Select(f => f.Finding.Code)) : lint.Error.ToString());
        using var haproxy = await RealProgram.StartAsync(Peers.Haproxy, ["-db", "-f", conf], port);

        AssertOk(await CheckThroughAsync());
    }

    [SkippableFact]
    public async Task Apache_Snippet_ValidAndProxies()
    {
        var conf = dir.Write("httpd.conf", await SnippetAsync("apache"));

        var test = await RealProgram.RunAsync(RealProgram.Apache, ["-t", "-f", conf, "-d", dir.Path]);
        Assert.True(test.ExitCode == 0, test.ToString());
        using var apache = await RealProgram.StartAsync(RealProgram.Apache, ["-X", "-f", conf, "-d", dir.Path], port);

        AssertOk(await CheckThroughAsync());
    }

    [SkippableFact]
    public async Task Caddy_Snippet_ValidAndProxies()
    {
        var conf = dir.Write("Caddyfile", await SnippetAsync("caddy"));
        var environment = RealProgram.CaddyEnvironment(dir.Path);

        var test = await RealProgram.RunAsync(RealProgram.Caddy, ["validate", "--config", conf, "--adapter", "caddyfile"], environment);
        Assert.True(test.ExitCode == 0, test.ToString());
        using var caddy = await RealProgram.StartAsync(RealProgram.Caddy, ["run", "--config", conf, "--adapter", "caddyfile"], port, environment);

        AssertOk(await CheckThroughAsync());
    }

    /// <summary>The --tls snippets of HAProxy, Apache and Caddy: accepted by the program's own config test with a real
    /// chain, then serving wss:// end to end (trusted through the test CA only, as a browser would need).</summary>
    [SkippableTheory]
    [InlineData("haproxy")]
    [InlineData("apache")]
    [InlineData("caddy")]
    public async Task TlsSnippet_ValidAndProxiesWss(string proxy)
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = Certificates.TestPki.Create(now);
        using var leaf = pki.IssueLeaf(Certificates.LeafSpec.ForHosts(now, "127.0.0.1"));
        var chain = Certificates.Pem.ExportChain([leaf, pki.Intermediate.Certificate]);
        var key = Certificates.Pem.ExportPrivateKey(leaf);
        dir.Write("certs/fullchain.pem", chain);
        dir.Write("certs/privkey.pem", key);
        dir.Write("certs/haproxy.pem", chain + key);
        var ca = pki.RootPemPath(dir.Path);
        var text = await SnippetAsync(proxy, "--tls", "--cert-dir", Path.Combine(dir.Path, "certs"));

        PeerProcess running;
        switch (proxy)
        {
            case "haproxy":
                var cfg = dir.Write("haproxy.cfg", text);
                var haproxyTest = await RealProgram.RunAsync(Peers.Haproxy, ["-c", "-f", cfg]);
                Assert.True(haproxyTest.ExitCode == 0, haproxyTest.ToString());
                running = await RealProgram.StartAsync(Peers.Haproxy, ["-db", "-f", cfg], port);
                break;
            case "apache":
                var conf = dir.Write("httpd.conf", text);
                var apacheTest = await RealProgram.RunAsync(RealProgram.Apache, ["-t", "-f", conf, "-d", dir.Path]);
                Assert.True(apacheTest.ExitCode == 0, apacheTest.ToString());
                running = await RealProgram.StartAsync(RealProgram.Apache, ["-X", "-f", conf, "-d", dir.Path], port);
                break;
            default:
                var caddyfile = dir.Write("Caddyfile", text);
                var environment = RealProgram.CaddyEnvironment(dir.Path);
                var caddyTest = await RealProgram.RunAsync(RealProgram.Caddy, ["validate", "--config", caddyfile, "--adapter", "caddyfile"], environment);
                Assert.True(caddyTest.ExitCode == 0, caddyTest.ToString());
                running = await RealProgram.StartAsync(RealProgram.Caddy, ["run", "--config", caddyfile, "--adapter", "caddyfile"], port, environment);
                break;
        }

        using (running)
        {
            var run = await WsdoctorProcess.RunAsync("check", $"wss://127.0.0.1:{port}/ws", "--ca", ca, "--send", "hello", "--expect", "^hello$", "--json", "--timeout", "5s");
            AssertOk(JsonDocument.Parse(run.Stdout).RootElement);
        }
    }

    private static NginxLintOptions NginxLintOptionsFor(string version) =>
        new([], TimeSpan.FromSeconds(30), NginxVersion.Parse(version, "test")!, DiskConfigFiles.Instance);
}
