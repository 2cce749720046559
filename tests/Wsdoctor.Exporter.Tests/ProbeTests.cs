using System.Diagnostics;
using System.Globalization;
using System.Net;
using Wsdoctor.Certificates;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Exporter.Tests;

/// <summary>/probe against real loopback servers: healthy ws:// and wss://, refused, silent, a scenario module; the
/// deadline from Prometheus' header, the concurrency bound, and requests refused before any probe.</summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task Probe_HealthyEcho_SuccessWithPhasesStatusAndRtt()
    {
        await using var echo = await KestrelEcho.StartAsync();
        await using var exporter = await Support.StartAsync();

        var (status, text) = await Support.GetAsync(Support.Probe(exporter, $"ws://localhost:{echo.Port}/"));

        Assert.Equal(200, status);
        Assert.Equal(1, Support.Value(text, "probe_success"));
        Assert.Equal(101, Support.Value(text, "probe_http_status_code"));
        foreach (var phase in new[] { "dns", "connect", "upgrade", "pong" })
        {
            Assert.InRange(Support.Value(text, "probe_ws_duration_seconds", $"phase=\"{phase}\""), 0.000001, 5);
        }

        Assert.Equal(Support.Value(text, "probe_ws_duration_seconds", "phase=\"dns\""), Support.Value(text, "probe_dns_lookup_time_seconds"));
        Assert.InRange(Support.Value(text, "probe_ws_rtt_seconds"), 0.000001, 5);
        Assert.InRange(Support.Value(text, "probe_duration_seconds"), 0.0001, 10);
        Assert.DoesNotContain(Support.Samples(text), s => s.Name == "probe_ws_root_cause_info");
        Assert.Contains("# TYPE probe_ws_root_cause_info gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Wss_CertificateExpiryAndTlsVersion()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var notAfter = now.AddDays(10);
        using var leaf = pki.IssueLeaf(new LeafSpec("localhost", ["localhost"], [IPAddress.Loopback], now.AddHours(-1), notAfter));
        await using var echo = await KestrelEcho.StartAsync(leaf, pki.ChainFor(leaf));
        var dir = Directory.CreateTempSubdirectory("wsdoctor-exporter-").FullName;
        var ca = pki.RootPemPath(dir);
        await using var exporter = await Support.StartAsync($"""
            modules:
              tls:
                tls: {"{"} ca: {ca} {"}"}
            """);

        var (_, text) = await Support.GetAsync(Support.Probe(exporter, $"wss://localhost:{echo.Port}/", "tls"));

        Assert.Equal(1, Support.Value(text, "probe_success"));
        Assert.Equal(notAfter.ToUnixTimeSeconds(), Support.Value(text, "probe_ssl_earliest_cert_expiry"), 0);
        Assert.Contains(Support.Samples(text), s => s.Name == "probe_tls_version_info" && s.Labels.StartsWith("version=\"TLS 1.", StringComparison.Ordinal));
        Assert.InRange(Support.Value(text, "probe_ws_duration_seconds", "phase=\"tls\""), 0.000001, 5);
        Assert.Contains(Support.Samples(text), s => s.Name == "probe_ws_finding_info" && s.Labels == "code=\"tls.expiring-soon\",severity=\"warning\"");
    }

    [Fact]
    public async Task Probe_NothingListens_FailsWithTcpRefused()
    {
        await using var exporter = await Support.StartAsync();

        var (status, text) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{Peers.FreePort()}/"));

        Assert.Equal(200, status);
        Assert.Equal(0, Support.Value(text, "probe_success"));
        Assert.Equal(1, Support.Value(text, "probe_ws_root_cause_info", "code=\"tcp.refused\",layer=\"tcp\""));
        Assert.Equal(0, Support.Value(text, "probe_http_status_code"));
        var (_, own) = await Support.GetAsync(new Uri(exporter.Url, "metrics"));
        Assert.Equal(1, Support.Value(own, "wsdoctor_exporter_root_causes_total", "module=\"default\",code=\"tcp.refused\""));
        Assert.Equal(1, Support.Value(own, "wsdoctor_exporter_probes_total", "module=\"default\",result=\"failure\""));
    }

    [Fact]
    public async Task Probe_WrongToken_FailsWithARootCauseAndNeverShowsTheToken()
    {
        var port = Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        await using var serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}", "--token", "right"]);
        await using var exporter = await Support.StartAsync("""
            modules:
              wrong_token:
                token: { env: PROBE_TOKEN }
            """, environment: new Dictionary<string, string> { ["PROBE_TOKEN"] = "wrong" });

        var (_, text) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{port}/", "wrong_token"));

        Assert.Equal(0, Support.Value(text, "probe_success"));
        Assert.Contains(Support.Samples(text), s => s.Name == "probe_ws_root_cause_info" && s.Value == 1);
        Assert.DoesNotContain("wrong", text.Replace("wrong_token", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_TokenFromEnvironment_IsSentAndNeverShown()
    {
        var port = Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        await using var serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}", "--token", "s3cr3t-token"]);
        await using var exporter = await Support.StartAsync("""
            modules:
              auth:
                token: { env: PROBE_TOKEN }
              missing:
                token: { env: UNSET_TOKEN }
            """, environment: new Dictionary<string, string> { ["PROBE_TOKEN"] = "s3cr3t-token" });

        var (_, ok) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{port}/", "auth"));
        var (_, missing) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{port}/", "missing"));

        Assert.Equal(1, Support.Value(ok, "probe_success"));
        Assert.DoesNotContain("s3cr3t", ok, StringComparison.Ordinal);
        Assert.Equal(0, Support.Value(missing, "probe_success"));
        Assert.Contains("UNSET_TOKEN is not set", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ScrapeTimeoutHeader_BoundsAProbeOfASilentServer()
    {
        await using var blackhole = RawServer.Start(async (_, ct) => await Task.Delay(Timeout.Infinite, ct));
        await using var exporter = await Support.StartAsync("""
            modules:
              slow:
                timeout: 20s
                step_timeout: 20s
            """);
        var clock = Stopwatch.StartNew();

        var (_, text) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{blackhole.Port}/", "slow"), scrapeTimeout: 2);

        Assert.InRange(clock.Elapsed.TotalSeconds, 1.2, 3.5);
        Assert.Equal(0, Support.Value(text, "probe_success"));
        Assert.Equal(1, Support.Value(text, "probe_ws_root_cause_info", "code=\"http.no-response\",layer=\"http\""));
    }

    [Fact]
    public async Task Probe_AllSlotsBusy_AnsweredWith503WithinTheDeadline()
    {
        await using var blackhole = RawServer.Start(async (_, ct) => await Task.Delay(Timeout.Infinite, ct));
        await using var exporter = await Support.StartAsync("""
            modules:
              slow:
                timeout: 3s
            """, concurrency: 1);

        var first = Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{blackhole.Port}/", "slow"));
        await Task.Delay(300);
        // Prometheus' 1.5 s scrape timeout leaves this one 1 s, less than the 3 s the first holds its slot.
        var second = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{blackhole.Port}/", "slow"), scrapeTimeout: 1.5);

        Assert.Equal(503, second.Status);
        Assert.Contains("probe slots", second.Text, StringComparison.Ordinal);
        Assert.Equal(200, (await first).Status);
        var (_, own) = await Support.GetAsync(new Uri(exporter.Url, "metrics"));
        Assert.Equal(1, Support.Value(own, "wsdoctor_exporter_requests_rejected_total", "reason=\"concurrency\""));
        Assert.Equal(1, Support.Value(own, "wsdoctor_exporter_concurrency_limit"));
    }

    [Fact]
    public async Task Probe_ServerClosesWith1013_CloseCodeAndRootCause()
    {
        await using var closing = ClosingServer(1013, "try again later");
        await using var exporter = await Support.StartAsync();

        var (_, text) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{closing.Port}/"));

        Assert.Equal(0, Support.Value(text, "probe_success"));
        Assert.Equal(1013, Support.Value(text, "probe_ws_close_code"));
        Assert.Equal(101, Support.Value(text, "probe_http_status_code"));
        Assert.Equal(1, Support.Value(text, "probe_ws_root_cause_info", "code=\"session.closed-by-server\",layer=\"session\""));
    }

    /// <summary>Upgrades, then closes at once with the code (the lab's session-close scenarios).</summary>
    internal static RawServer ClosingServer(int code, string reason) =>
        RawServer.Start(FrameLoop.Upgrade(async (s, ct) =>
        {
            await RawHttp.WriteAsync(s, Protocol.Frames.FrameWriter.BuildClose(code, reason, mask: false), ct);
            await FrameLoop.RunAsync(s, ct);
        }));

    [Theory]
    [InlineData("probe?target=ws%3A%2F%2F127.0.0.1%3A1%2F&token=abc", "unknown parameter 'token'")]
    [InlineData("probe?module=default", "target parameter is missing")]
    [InlineData("probe?target=https%3A%2F%2Fexample.com%2F", "ws:// or wss://")]
    [InlineData("probe?target=ws%3A%2F%2Fuser%3Apass%40127.0.0.1%3A1%2F", "must not carry credentials")]
    [InlineData("probe?target=ws%3A%2F%2F127.0.0.1%3A1%2F&module=nope", "unknown module 'nope'")]
    public async Task Probe_BadRequest_400BeforeAnyConnection(string path, string expected)
    {
        await using var exporter = await Support.StartAsync();

        var (status, text) = await Support.GetAsync(new Uri(exporter.Url, path));

        Assert.Equal(400, status);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ScenarioModule_StepDurationsAndTheFailingStep()
    {
        await using var echo = await KestrelEcho.StartAsync();
        var dir = Directory.CreateTempSubdirectory("wsdoctor-exporter-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "echo.yaml"), """
            target:
              url: ws://127.0.0.1:1/
              timeout: 1s
            steps:
              - send: hello
              - expect: hello
              - send: second
              - expect: not-what-comes-back
            """);
        var config = Exporter.Config.ConfigLoader.Parse("""
            modules:
              conversation:
                scenario: echo.yaml
            """, "exporter.yaml", dir);
        await using var exporter = await Exporter.Hosting.ExporterServer.StartAsync(new Exporter.Hosting.ExporterOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Config = config }, CancellationToken.None);

        var (_, text) = await Support.GetAsync(Support.Probe(exporter, $"ws://127.0.0.1:{echo.Port}/", "conversation"));

        Assert.Equal(0, Support.Value(text, "probe_success"));
        var steps = Support.Samples(text).Where(s => s.Name == "probe_ws_step_success").ToArray();
        Assert.Equal(4, steps.Length);
        Assert.Equal([1, 1, 1, 0], steps.Select(s => s.Value));
        Assert.All(Support.Samples(text).Where(s => s.Name == "probe_ws_step_duration_seconds"), s => Assert.InRange(s.Value, 0, 5));
        Assert.Equal(1, Support.Value(text, "probe_ws_root_cause_info", "code=\"session.echo-mismatch\",layer=\"session\""));
        Assert.Equal(101, Support.Value(text, "probe_http_status_code"));
    }
}
