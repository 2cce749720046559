using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Tests.Diagnosis;

/// <summary><c>wsdoctor check</c> end to end: against names that never resolve and a real Kestrel on loopback.</summary>
public class CheckRunnerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static async Task<CheckReport> CheckAsync(CheckOptions options)
    {
        // Deadline bounds the check itself; the token is a backstop should the deadline handling break.
        using var backstop = new CancellationTokenSource(Deadline + TimeSpan.FromSeconds(10));
        // The proxy variables of whoever runs the tests must not route these loopback checks.
        return await CheckRunner.RunAsync(options with { Deadline = Deadline, Environment = static _ => null }, backstop.Token);
    }

    private static LayerStatus StatusOf(CheckReport report, Layer layer) => Assert.Single(report.Layers, l => l.Layer == layer).Status;

    [Fact]
    public async Task RunAsync_InvalidTld_DnsNotFoundAndLaterLayersNotReached()
    {
        var report = await CheckAsync(new CheckOptions { Url = "wss://no-such-host.invalid/" });

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Equal(Codes.DnsNotFound, report.RootCause?.Code);
        Assert.Equal(Codes.DnsNotFound, Assert.Single(report.Findings).Code);
        Assert.Equal(CheckRunner.CheckLayers, report.Layers.Select(l => l.Layer));
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Url));
        Assert.Equal(LayerStatus.Failed, StatusOf(report, Layer.Dns));
        foreach (var layer in new[] { Layer.Tcp, Layer.Tls, Layer.Http, Layer.Ws, Layer.Session })
        {
            Assert.Equal(LayerStatus.NotReached, StatusOf(report, layer));
        }

        Assert.Contains(report.RootCause!.Evidence, e => e.Contains("RFC 6761", StringComparison.Ordinal));
        Assert.Null(report.Timings.ConnectMs);
    }

    [Fact]
    public async Task RunAsync_UrlWarningsThenDnsFailure_RootCauseIsTheFirstErrorNotTheFirstFinding()
    {
        var report = await CheckAsync(new CheckOptions { Url = "wss://no-such-host.invalid:80/ws?token=s3cr3t" });

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Equal(
            new[] { Codes.UrlTokenInQuery, Codes.UrlDefaultPortMismatch, Codes.DnsNotFound },
            report.Findings.Select(f => f.Code).ToArray());
        Assert.Equal(Codes.DnsNotFound, report.RootCause?.Code);
        Assert.Equal(LayerStatus.Warning, StatusOf(report, Layer.Url));
        Assert.DoesNotContain("s3cr3t", report.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShowSecrets_KeepsTheTokenInTheTarget()
    {
        var report = await CheckAsync(new CheckOptions { Url = "wss://no-such-host.invalid/ws?token=s3cr3t", ShowSecrets = true });

        Assert.Contains("token=s3cr3t", report.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnusableUrl_UrlFailedAndEverythingElseNotReached()
    {
        var report = await CheckAsync(new CheckOptions { Url = "example.com/ws" });

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Equal(Codes.UrlMissingScheme, report.RootCause?.Code);
        Assert.Equal(LayerStatus.Failed, StatusOf(report, Layer.Url));
        Assert.All(report.Layers.Where(l => l.Layer != Layer.Url), l => Assert.Equal(LayerStatus.NotReached, l.Status));
        Assert.Equal("example.com/ws", report.Target);
    }

    [Fact]
    public async Task RunAsync_HealthyKestrel_OkWithEveryLayerPassedOrSkipped()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws" });

        Assert.Equal(Verdict.Ok, report.Verdict);
        Assert.Null(report.RootCause);
        Assert.Empty(report.Findings);
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Url));
        Assert.Equal(LayerStatus.Skipped, StatusOf(report, Layer.Dns)); // an IP literal needs no resolver
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Tcp));
        Assert.Equal(LayerStatus.Skipped, StatusOf(report, Layer.Tls)); // ws://
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Http));
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Ws));
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Session));
        Assert.Equal(101, report.Connection.HttpStatus);
        Assert.NotNull(report.Timings.ConnectMs);
        Assert.NotNull(report.Timings.UpgradeMs);
        Assert.True(report.Timings.PingRttMs > 0, $"ping RTT {report.Timings.PingRttMs}");
        Assert.Null(report.Timings.FirstMessageRttMs); // nothing was sent
    }

    [Fact]
    public async Task RunAsync_SendAndMatchingExpect_MeasuresTheRoundTrip()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws", Send = "hello wsdoctor", Expect = "^hello wsdoctor$" });

        Assert.Equal(Verdict.Ok, report.Verdict);
        Assert.Empty(report.Findings);
        Assert.True(report.Timings.FirstMessageRttMs > 0, $"round trip {report.Timings.FirstMessageRttMs}");
        Assert.True(report.Timings.PingRttMs > 0);
        Assert.Contains("message round trip", Assert.Single(report.Layers, l => l.Layer == Layer.Session).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SendWithoutExpect_AnyReplyCounts()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(new CheckOptions { Url = $"ws://127.0.0.1:{server.Port}/ws", Send = "{\"op\":\"ping\"}" });

        Assert.Equal(Verdict.Ok, report.Verdict);
        Assert.NotNull(report.Timings.FirstMessageRttMs);
    }

    [Fact]
    public async Task RunAsync_ExpectNotMatchingTheEcho_SessionEchoMismatchIsTheRootCause()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(new CheckOptions
        {
            Url = $"ws://127.0.0.1:{server.Port}/ws",
            Send = "hello",
            Expect = "^goodbye$",
            StepTimeout = TimeSpan.FromSeconds(1),
        });

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Equal(Codes.SessionEchoMismatch, report.RootCause?.Code);
        Assert.Equal(LayerStatus.Failed, StatusOf(report, Layer.Session));
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Ws));
        Assert.Null(report.Timings.FirstMessageRttMs);
        Assert.Contains(report.RootCause!.Evidence, e => e.Contains("\"hello\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ConnectToOverride_ReachesTheServerDespiteAnUnresolvableUrlHost()
    {
        await using var server = await KestrelEcho.StartAsync();

        // Like curl --connect-to: the URL's host stays in the Host header, the socket goes to the override.
        var report = await CheckAsync(new CheckOptions { Url = "ws://app.invalid/ws", ConnectTo = $"127.0.0.1:{server.Port}" });

        Assert.Equal(Verdict.Ok, report.Verdict);
        Assert.Equal(LayerStatus.Skipped, StatusOf(report, Layer.Dns));
        Assert.Contains("--connect-to 127.0.0.1", Assert.Single(report.Layers, l => l.Layer == Layer.Dns).Summary, StringComparison.Ordinal);
        Assert.Contains("Host: app.invalid", report.Connection.RequestHead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LocalhostWithTrailingDot_ResolvesToLoopback()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(new CheckOptions { Url = $"ws://localhost.:{server.Port}/ws" });

        Assert.DoesNotContain(report.Findings, f => f.Code == Codes.DnsNotFound);
        // The echo server listens on 127.0.0.1 only, so ::1 (added for localhost) is refused: a warning, not a failure.
        Assert.Equal(LayerStatus.Warning, StatusOf(report, Layer.Dns));
        Assert.Contains(report.Findings, f => f.Code == Codes.DnsLocalhostFamily);
        Assert.NotNull(report.Timings.PingRttMs);
    }

    [Fact]
    public async Task RunAsync_HealthyKestrelOverTlsWithCa_OkWithTlsPassed()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(now, "localhost", "127.0.0.1"));
        var directory = Directory.CreateTempSubdirectory("wsdoctor-probes-tests-").FullName;
        try
        {
            await using var server = await KestrelEcho.StartAsync(leaf, pki.ChainFor(leaf));

            var report = await CheckAsync(new CheckOptions { Url = $"wss://127.0.0.1:{server.Port}/ws", CaFile = pki.RootPemPath(directory) });

            Assert.Equal(Verdict.Ok, report.Verdict);
            Assert.Empty(report.Findings);
            Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Tls));
            Assert.NotNull(report.Connection.TlsProtocol);
            Assert.Contains("127.0.0.1", report.Connection.CertificateNames!);
            Assert.True(report.Timings.PingRttMs > 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_TlsServerFromUntrustedCa_TlsIsTheRootCauseAndLaterLayersNotReached()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(now, "localhost", "127.0.0.1"));
        await using var server = await KestrelEcho.StartAsync(leaf, pki.ChainFor(leaf));

        var report = await CheckAsync(new CheckOptions { Url = $"wss://127.0.0.1:{server.Port}/ws" });

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Equal(Codes.TlsUntrustedRoot, report.RootCause?.Code);
        Assert.Equal(LayerStatus.Passed, StatusOf(report, Layer.Tcp));
        Assert.Equal(LayerStatus.Failed, StatusOf(report, Layer.Tls));
        Assert.Equal(LayerStatus.NotReached, StatusOf(report, Layer.Http));
        Assert.Equal(LayerStatus.NotReached, StatusOf(report, Layer.Ws));
        Assert.Equal(LayerStatus.NotReached, StatusOf(report, Layer.Session));
    }
}
