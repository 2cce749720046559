using System.Globalization;
using System.Net;
using Wsdoctor.Certificates;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests.Peers;

/// <summary>conform over TLS: <c>conform server wss://</c> against <c>wsdoctor serve --tls-dev</c> and nginx terminating
/// TLS (with SNI choosing the certificate) in front of a plain serve; <c>conform client --tls-dev</c> driven by Node
/// ws's client loop over wss://. The certificates are checked as check checks them (--ca, --insecure).</summary>
public sealed class TlsPeerTests
{
    private const string Subset = "0.*,1.*,2.*,5.*,7.1.*,9.1.1,12.1.1";

    [Fact]
    public async Task ServeTlsDev_WssWithItsCa_PassesLikeOverWs()
    {
        var dev = Directory.CreateTempSubdirectory("conform-tls-dev-").FullName;
        await using var serve = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", dev, "--compress"]);
        Assert.Equal("wss", serve.Url.Scheme);

        var (run, report) = await Conform.ServerAsync($"wss://localhost:{serve.Url.Port}/", "serve-wss", "--cases", Subset, "--ca", Path.Combine(dev, "ca.pem"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("conform server wss://localhost:", run.Stdout, StringComparison.Ordinal);
        var count = Wsdoctor.Conform.Cases.CaseTable.Select(Wsdoctor.Conform.Cases.CaseTable.For(true), [Subset], null).Count;
        Assert.Equal(count, report.Index["serve-wss"].Count);
        Assert.Empty(report.CasesGraded("serve-wss", "FAILED"));
        Assert.Empty(report.CasesGraded("serve-wss", "UNIMPLEMENTED"));
        Assert.Equal("OK", report.Behavior("serve-wss", "9.1.1"));
        Assert.Equal("OK", report.Behavior("serve-wss", "12.1.1"));
        // A handshake case writes its request by hand, through the same TLS connection.
        Assert.Equal("OK", report.Behavior("serve-wss", "0.1.1"));
    }

    [Fact]
    public async Task ServeTlsDev_UntrustedWithoutCa_OneLineAndExit2_InsecureRuns()
    {
        var dev = Directory.CreateTempSubdirectory("conform-tls-dev-").FullName;
        await using var serve = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", dev]);
        var url = $"wss://127.0.0.1:{serve.Url.Port}/";

        var untrusted = await WsdoctorProcess.RunAsync("conform", "server", url, "--cases", "1.1.1", "--report-dir", Directory.CreateTempSubdirectory("conform-").FullName);
        var (insecure, report) = await Conform.ServerAsync(url, "insecure", "--cases", "1.1.1,2.1", "--insecure");
        var plain = await WsdoctorProcess.RunAsync("conform", "server", $"ws://127.0.0.1:{serve.Url.Port}/", "--cases", "1.1.1", "--ca", Path.Combine(dev, "ca.pem"));

        Assert.Equal(2, untrusted.ExitCode);
        var line = Assert.Single(untrusted.StderrLines);
        Assert.Contains("TLS handshake failed", line, StringComparison.Ordinal);
        Assert.Contains("--ca FILE", line, StringComparison.Ordinal);
        Assert.True(insecure.ExitCode == 0, insecure.ToString());
        Assert.Equal("OK", report.Behavior("insecure", "1.1.1"));
        Assert.Equal("OK", report.Behavior("insecure", "2.1"));
        Assert.Equal(2, plain.ExitCode);
        Assert.Contains("--ca and --insecure are for wss:// URLs", plain.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task NginxTls_SniPicksTheCertificateForTheUrlsHost()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var dir = Directory.CreateTempSubdirectory("conform-nginx-tls-").FullName;
        using var right = pki.IssueLeaf(LeafSpec.ForHosts(now, "localhost"));
        using var other = pki.IssueLeaf(LeafSpec.ForHosts(now, "other.test"));
        foreach (var (name, leaf) in new[] { ("right", right), ("other", other) })
        {
            File.WriteAllText(Path.Combine(dir, $"{name}.pem"), Pem.ExportChain([leaf, .. pki.ChainFor(leaf)]));
            File.WriteAllText(Path.Combine(dir, $"{name}-key.pem"), Pem.ExportPrivateKey(leaf));
        }

        var ca = pki.RootPemPath(dir);
        await using var serve = await ServeProcess.StartAsync([]);
        var location = string.Create(CultureInfo.InvariantCulture, $$"""
            location / {
                proxy_pass http://127.0.0.1:{{serve.Url.Port}};
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection "upgrade";
                proxy_set_header Host $host;
            }
            """);
        // The first server is the default (no SNI, or an unknown name); the second answers SNI "localhost".
        using var nginx = await ProxyPeer.NginxAsync($$"""
            server {
                listen 127.0.0.1:PORT ssl default_server;
                ssl_certificate {{dir}}/other.pem;
                ssl_certificate_key {{dir}}/other-key.pem;
                {{location}}
            }
            server {
                listen 127.0.0.1:PORT ssl;
                server_name localhost;
                ssl_certificate {{dir}}/right.pem;
                ssl_certificate_key {{dir}}/right-key.pem;
                {{location}}
            }
            """);

        var (named, report) = await Conform.ServerAsync($"wss://localhost:{nginx.Port}/", "nginx", "--cases", "1.1.*,5.1", "--ca", ca);
        var byIp = await WsdoctorProcess.RunAsync("conform", "server", $"wss://127.0.0.1:{nginx.Port}/", "--cases", "1.1.1", "--ca", ca);

        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.All(report.Index["nginx"], c => Assert.Equal("OK", c.Value.GetProperty("behavior").GetString()));
        // No SNI for an IP literal: nginx answers with its default certificate, for other.test, which does not cover 127.0.0.1.
        Assert.Equal(2, byIp.ExitCode);
        Assert.Contains("TLS handshake failed", byIp.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ConformClientTlsDev_NodeWsLoopOverWss_RunsUnchanged()
    {
        TestPeers.Peers.RequireNodeModule("ws");
        var data = Directory.CreateTempSubdirectory("conform-client-tls-").FullName;
        var reports = Directory.CreateTempSubdirectory("conform-clients-").FullName;
        var port = TestPeers.Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        const string Cases = "1.1.*,2.*,5.1,7.1.1,12.1.1";
        await using var harness = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "conform", "client", "--listen", $"127.0.0.1:{port}", "--report-dir", reports, "--tls-dev", "--cases", Cases, "--exit-after-report"],
            new Dictionary<string, string> { ["XDG_DATA_HOME"] = data });
        await harness.Stdout.WaitForAsync(l => l.StartsWith("conform client:", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the listen line");
        var ca = Path.Combine(data, "wsdoctor", "dev-tls", "ca.pem");

        var client = await WsdoctorProcess.RunProcessAsync(TestPeers.Peers.Node, [Path.Combine(TestPeers.Peers.NodeProject, "autobahn", "ws-client.js"), $"wss://localhost:{port}", "ws-wss"],
            new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = ca });
        var exit = await harness.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("wss://127.0.0.1:", string.Join("\n", harness.Stdout.Lines), StringComparison.Ordinal);
        var count = Wsdoctor.Conform.Cases.CaseTable.Select(Wsdoctor.Conform.Cases.CaseTable.For(false), [Cases], null).Count;
        Assert.Contains($"ran {count} cases", client.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        var report = Report.Load(reports);
        Assert.Equal(count, report.Index["ws-wss"].Count);
        Assert.All(report.Index["ws-wss"], c => Assert.Equal("OK", c.Value.GetProperty("behavior").GetString()));
    }
}
