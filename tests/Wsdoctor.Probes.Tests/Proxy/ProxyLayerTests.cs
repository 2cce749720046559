using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Probes.Tests.Proxy;

/// <summary>The proxy layer against a real CONNECT proxy (tinyproxy) in front of Kestrel.</summary>
public sealed class ProxyLayerTests
{
    private static async Task<CheckReport> CheckAsync(CheckOptions options, Dictionary<string, string>? env = null)
    {
        using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        return await CheckRunner.RunAsync(options with
        {
            Deadline = TimeSpan.FromSeconds(25),
            NoFollowUpProbes = true,
            Environment = name => env?.GetValueOrDefault(name),
        }, backstop.Token);
    }

    private static LayerReport LayerOf(CheckReport report, Layer layer) => Assert.Single(report.Layers, l => l.Layer == layer);

    [SkippableFact]
    public async Task Check_ThroughProxyWithCredentials_TunnelsAndTheSessionWorks()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var proxy = await Tinyproxy.StartAsync([server.Port], ("alice", "s3cret"));

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws", Proxy = proxy.UrlWith("alice", "s3cret"), Send = "via proxy", Expect = "^via proxy$" });

        Assert.True(report.Verdict == Verdict.Ok, string.Join("\n", report.Findings.Select(f => f.Code + " " + f.Message)));
        Assert.Equal(LayerStatus.Passed, LayerOf(report, Layer.Proxy).Status);
        Assert.Contains($"CONNECT 127.0.0.1:{server.Port} -> 200", LayerOf(report, Layer.Proxy).Summary, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{proxy.Port}", report.Connection.RemoteEndpoint);
        Assert.Equal($"http://alice:***@127.0.0.1:{proxy.Port}", report.Connection.Proxy);
        Assert.NotNull(report.Timings.ProxyMs);
        Assert.Contains($"CONNECT 127.0.0.1:{server.Port}", proxy.Log, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Check_WssThroughProxy_TlsIsEndToEndWithTheTarget()
    {
        using var pki = TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        await using var server = await KestrelEcho.StartAsync(leaf, pki.ChainFor(leaf));
        using var proxy = await Tinyproxy.StartAsync([server.Port]);
        var directory = Path.Combine(Path.GetTempPath(), "wsdoctor-proxy-ca-" + Guid.NewGuid().ToString("N")[..8]);

        var report = await CheckAsync(new CheckOptions { Url = $"wss://127.0.0.1:{server.Port}/ws", Proxy = proxy.Url, CaFile = pki.RootPemPath(directory) });

        Assert.True(report.Verdict == Verdict.Ok, string.Join("\n", report.Findings.Select(f => f.Code + " " + f.Message)));
        Assert.Equal(LayerStatus.Passed, LayerOf(report, Layer.Tls).Status);
        Assert.Contains(leaf.Subject, report.Connection.CertificateSubject, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Check_ProxyWantsCredentials_RootCauseIs407WithTheRealm()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var proxy = await Tinyproxy.StartAsync([server.Port], ("alice", "s3cret"));

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws", Proxy = proxy.Url });

        Assert.Equal(Codes.ProxyConnectRefused, report.RootCause?.Code);
        Assert.Contains("wants credentials (407)", report.RootCause!.Message, StringComparison.Ordinal);
        Assert.Contains(report.RootCause.Evidence, e => e.StartsWith("Proxy-Authenticate: Basic", StringComparison.Ordinal));
        Assert.Contains("--proxy http://USER:PASS@127.0.0.1", report.RootCause.Fix, StringComparison.Ordinal);
        Assert.Equal(LayerStatus.NotReached, LayerOf(report, Layer.Http).Status);
    }

    [SkippableFact]
    public async Task Check_WrongProxyPassword_SaysTheCredentialsWereRejectedAndRedactsThem()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var proxy = await Tinyproxy.StartAsync([server.Port], ("alice", "s3cret"));

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws", Proxy = proxy.UrlWith("alice", "wrong-password") });

        Assert.Equal(Codes.ProxyConnectRefused, report.RootCause?.Code);
        Assert.Contains("rejected the credentials of user 'alice'", report.RootCause!.Message, StringComparison.Ordinal);
        var everything = string.Join("\n", report.RootCause.Evidence) + report.Connection.Proxy;
        Assert.DoesNotContain("wrong-password", everything, StringComparison.Ordinal);
        Assert.Contains("Proxy-Authorization: Basic [redacted", everything, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Check_ProxyForbidsThePort_RootCauseNamesThePort()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var proxy = await Tinyproxy.StartAsync([443]);

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws", Proxy = proxy.Url });

        Assert.Equal(Codes.ProxyConnectRefused, report.RootCause?.Code);
        Assert.Contains($"forbids CONNECT to 127.0.0.1:{server.Port} (403)", report.RootCause!.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Check_ProxyFromEnvironment_IsReportedAndNoProxyBypassesIt()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var proxy = await Tinyproxy.StartAsync([server.Port]);
        var url = $"ws://127.0.0.1:{server.Port}/ws";

        var through = await CheckAsync(new CheckOptions { Url = url }, new() { ["HTTP_PROXY"] = proxy.Url });
        var bypassed = await CheckAsync(new CheckOptions { Url = url }, new() { ["HTTP_PROXY"] = proxy.Url, ["NO_PROXY"] = "localhost,127.0.0.1" });

        var detected = Assert.Single(through.Findings, f => f.Code == Codes.ProxyEnvDetected);
        Assert.Contains("HTTP_PROXY", detected.Message, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{proxy.Port}", through.Connection.RemoteEndpoint);
        Assert.Equal(Verdict.Ok, through.Verdict);
        Assert.Equal($"127.0.0.1:{server.Port}", bypassed.Connection.RemoteEndpoint);
        Assert.Contains("NO_PROXY entry '127.0.0.1'", LayerOf(bypassed, Layer.Proxy).Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(bypassed.Findings, f => f.Code == Codes.ProxyEnvDetected);
    }

    [Fact]
    public async Task Check_ProxyNotRunning_TcpRefusedNamesTheProxy()
    {
        var port = Peers.FreePort();

        var report = await CheckAsync(new CheckOptions { Url = "ws://127.0.0.1:9/ws", Proxy = $"http://127.0.0.1:{port}" });

        Assert.Equal(Codes.TcpRefused, report.RootCause?.Code);
        Assert.Contains("the proxy from --proxy", report.RootCause!.Message, StringComparison.Ordinal);
        Assert.Contains("Start the proxy", report.RootCause.Fix, StringComparison.Ordinal);
    }
}
