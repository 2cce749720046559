using System.Text.Json;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Bench;

/// <summary><c>wsdoctor bench</c> end to end: the real executable against real loopback servers, the report read
/// from its JSON.</summary>
public sealed class BenchCommandTests
{
    // Each server answers at once; the step timeout only has to outlast a loaded machine's scheduling.
    private static readonly string[] Short = ["-c", "1", "-d", "1", "--warmup", "0", "--timeout", "10s", "-q", "--json"];

    [Fact]
    public async Task Bench_HealthyServe_MeasuresVerifiedEchoesWithoutErrorsAndExits0()
    {
        await using var serve = await ServeProcess.StartAsync([]);

        var run = await WsdoctorProcess.RunAsync(["bench", serve.Url.ToString(), "-c", "4", "-d", "1", "--warmup", "0.2s", "--size", "32,4k", "-q", "--json"], NoProxy);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("errorCount").GetInt64());
        Assert.Equal(4, root.GetProperty("connections").GetProperty("opened").GetInt64());
        Assert.Equal(4, root.GetProperty("connections").GetProperty("closedCleanly").GetInt64());
        Assert.True(root.GetProperty("messages").GetProperty("count").GetInt64() > 100, run.Stdout);
        var latency = root.GetProperty("latency").GetProperty("microseconds");
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p9999").GetDouble() <= latency.GetProperty("max").GetDouble());
        Assert.StartsWith("HISTF", root.GetProperty("latency").GetProperty("histogram").GetString(), StringComparison.Ordinal);
        Assert.Equal("raw", root.GetProperty("settings").GetProperty("openPath").GetString());
    }

    [Fact]
    public async Task Bench_PortNobodyListensOn_CountsTcpRefusedAndExits1()
    {
        var port = BenchServers.FreePort();

        var run = await WsdoctorProcess.RunAsync(["bench", $"ws://127.0.0.1:{port}/", .. Short], NoProxy);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(Errors(run));
        Assert.Equal(("tcp.refused", null, "connect"), (error.Code, error.Detail, error.Stage));
    }

    [Theory]
    [InlineData(429, "Too Many Requests", "", "http.rate-limited")]
    [InlineData(503, "Service Unavailable", "Retry-After: 5", "http.rate-limited")]
    [InlineData(503, "Service Unavailable", "", "http.upstream-error")]
    [InlineData(401, "Unauthorized", "", "http.unauthorized")]
    public async Task Bench_UpgradeRefusedWithStatus_NamesTheStatusWithTheCatalogueCode(int status, string reason, string header, string code)
    {
        await using var server = BenchServers.Status(status, reason, header.Length > 0 ? [header] : []);

        var run = await WsdoctorProcess.RunAsync(["bench", $"ws://127.0.0.1:{server.Port}/", .. Short], NoProxy);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(Errors(run));
        Assert.Equal((code, status.ToString(System.Globalization.CultureInfo.InvariantCulture), "connect"), (error.Code, error.Detail, error.Stage));
        Assert.True(error.Count >= 1);
    }

    [Fact]
    public async Task Bench_ServerClosesWith1013_IsClosedByServerWithTheCode()
    {
        await using var server = BenchServers.ClosesWith1013();

        var run = await WsdoctorProcess.RunAsync(["bench", $"ws://127.0.0.1:{server.Port}/", .. Short], NoProxy);

        var error = Assert.Single(Errors(run));
        Assert.Equal(("session.closed-by-server", "1013", "message"), (error.Code, error.Detail, error.Stage));
        Assert.Contains("Try Again Later", error.Sample, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bench_ServerDropsTheConnection_IsAbnormalClose()
    {
        await using var server = BenchServers.DropsTheConnection();

        var run = await WsdoctorProcess.RunAsync(["bench", $"ws://127.0.0.1:{server.Port}/", .. Short], NoProxy);

        // Every exchange ends in the drop. A reconnection that opens just as the run stops sends its Close before any
        // message, and the server drops that too: the same code at the close stage, never anything else.
        var errors = Errors(run);
        Assert.Contains(errors, e => (e.Code, e.Detail, e.Stage) == ("session.abnormal-close", "1006", "message"));
        Assert.All(errors, e => Assert.Equal(("session.abnormal-close", "1006"), (e.Code, e.Detail)));
        Assert.All(errors, e => Assert.True(e.Stage is "message" or "close", $"stage {e.Stage}: {e.Sample}"));
    }

    [Fact]
    public async Task Bench_TextReportOfAFailingRun_ListsTheCodeAndDiagnosesTheUrl()
    {
        var port = BenchServers.FreePort();

        var run = await WsdoctorProcess.RunAsync(["bench", $"ws://127.0.0.1:{port}/", "-c", "1", "-d", "1", "--warmup", "0", "--timeout", "2s"], NoProxy);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("tcp.refused during connect", run.Stdout, StringComparison.Ordinal);
        // Nothing opened, so check ran with the same options and named the root cause.
        Assert.Contains("diagnosis (wsdoctor check with the same options)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tcp.refused — nothing listens on port {port}", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_P99Gate_FailsWithTheReasonOnASlowServerAndPassesWithRoom()
    {
        await using var server = BenchServers.SlowEcho(TimeSpan.FromMilliseconds(30));
        var url = $"ws://127.0.0.1:{server.Port}/";

        var failing = await WsdoctorProcess.RunAsync(["bench", url, "-c", "2", "-d", "1", "--warmup", "0", "-q", "--p99-max", "5ms"], NoProxy);
        var passing = await WsdoctorProcess.RunAsync(["bench", url, "-c", "2", "-d", "1", "--warmup", "0", "-q", "--p99-max", "10s"], NoProxy);

        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Matches(@"SLO FAIL  --p99-max: p99 \d+(\.\d+)? ms > 5\.00 ms", failing.Stdout);
        Assert.True(passing.ExitCode == 0, passing.ToString());
        Assert.Contains("SLO pass  --p99-max: p99", passing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ErrorRateGate_FailsWhenTheServerKeepsClosingAndPassesOnAHealthyOne()
    {
        await using var closing = BenchServers.ClosesWith1013();
        await using var serve = await ServeProcess.StartAsync([]);

        var failing = await WsdoctorProcess.RunAsync(["bench", $"ws://127.0.0.1:{closing.Port}/", .. Short, "--max-error-rate", "1%"], NoProxy);
        var passing = await WsdoctorProcess.RunAsync(["bench", serve.Url.ToString(), .. Short, "--max-error-rate", "0"], NoProxy);

        Assert.True(failing.ExitCode == 1, failing.ToString());
        using var json = JsonDocument.Parse(failing.Stdout);
        var gate = json.RootElement.GetProperty("gates")[0];
        Assert.False(gate.GetProperty("passed").GetBoolean());
        Assert.Contains("most frequent: session.closed-by-server 1013", gate.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(passing.ExitCode == 0, passing.ToString());
    }

    [Theory]
    [InlineData(new[] { "--rate", "-5" }, "--rate takes a positive number")]
    [InlineData(new[] { "--size", "12q" }, "--size takes sizes")]
    [InlineData(new[] { "--shard", "3/3" }, "--shard takes I/N")]
    [InlineData(new[] { "--ramp", "5s", "--connect-rate", "10" }, "--ramp and --connect-rate exclude each other")]
    [InlineData(new[] { "--max-error-rate", "150%" }, "--max-error-rate must be between 0 and 1")]
    [InlineData(new[] { "--reply-regex", "(" }, "--reply-regex:")]
    [InlineData(new[] { "--payload", "/nonexistent/file" }, "--payload: cannot read")]
    public async Task Bench_BadInput_IsOneLineAndExit2(string[] args, string message)
    {
        var run = await WsdoctorProcess.RunAsync(["bench", "ws://127.0.0.1:1/", .. args]);

        run.AssertUsageError(message);
        Assert.Equal("", run.Stdout);
    }

    internal static readonly Dictionary<string, string> NoProxy = new() { ["NO_PROXY"] = "*", ["no_proxy"] = "*" };

    internal sealed record ErrorLine(string Code, string? Detail, string Stage, long Count, string Sample);

    internal static List<ErrorLine> Errors(CliRun run)
    {
        using var json = JsonDocument.Parse(run.Stdout);
        return [.. json.RootElement.GetProperty("errors").EnumerateArray().Select(e => new ErrorLine(
            e.GetProperty("code").GetString()!,
            e.GetProperty("detail").GetString(),
            e.GetProperty("stage").GetString()!,
            e.GetProperty("count").GetInt64(),
            e.GetProperty("sample").GetString()!))];
    }
}
