using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.NetFaults.Tests;

/// <summary><c>wsdoctor check</c> run in the client's namespace against <c>wsdoctor serve</c> in the server's, across a
/// link with faults: a slow or lossy network is not a broken server, and a slow server is still named as one.</summary>
public sealed class CheckUnderFaultsTests
{
    [SkippableFact]
    public async Task Check_Under300msLatencyWithJitter_IsHealthyAndBlamesNothing()
    {
        await using var link = await FaultyLink.CreateAsync();
        var (_, url) = await link.StartServeAsync();
        await link.SetAsync(delayMs: 300, jitterMs: 30);

        var run = await FaultyLink.RunWsdoctorAsync(link.ClientNamespace, ["check", url.ToString(), "--send", "hello", "--expect", "hello", "--json", "--timeout", "10s", "--deadline", "50s"]);

        var report = Report(run);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(Codes(report, "failure"));
        // Every step took one or two round trips of 600 ms, the TCP connect included: the network, not the server,
        // so session.slow (a step ten times slower than the connect) must not be reported.
        Assert.DoesNotContain("session.slow", Codes(report, null));
        Assert.True(ConnectMs(report) >= 500, $"the link's 600 ms round trip should show in the TCP connect: {run.Stdout}");
    }

    [SkippableFact]
    public async Task Check_UnderLatency_SlowServerReplyIsSessionSlow()
    {
        // The control for the test above: the same 300 ms link, and a server that answers the first message 8 s late
        // (serve --mode stdio, the reply typed on its stdin). More than ten connect times: the server is slow.
        await using var link = await FaultyLink.CreateAsync();
        var (serve, url) = await link.StartServeAsync("--mode", "stdio");
        await link.SetAsync(delayMs: 300, jitterMs: 30);

        var check = FaultyLink.RunWsdoctorAsync(link.ClientNamespace, ["check", url.ToString(), "--send", "hello", "--expect", "late", "--json", "--timeout", "20s", "--deadline", "55s"]);
        await serve.Stdout.WaitForAsync(l => l.Contains("hello", StringComparison.Ordinal), TimeSpan.FromSeconds(40), "the check's message at serve");
        await Task.Delay(TimeSpan.FromSeconds(8));
        await serve.Stdin.WriteLineAsync("late");
        await serve.Stdin.FlushAsync();
        var run = await check;

        var report = Report(run);
        Assert.Empty(Codes(report, "failure"));
        Assert.Contains("session.slow", Codes(report, null));
    }

    [SkippableFact]
    public async Task Check_Under3PercentLossReorderAndBandwidthCap_IsHealthy()
    {
        await using var link = await FaultyLink.CreateAsync(rateKbit: 2000);
        var (_, url) = await link.StartServeAsync();
        await link.SetAsync(delayMs: 40, jitterMs: 20, lossPercent: 3, reorderPercent: 5);

        // Three runs: with 3 % loss a SYN or the 101 is sometimes lost and retransmitted (1 s, then 2 s, 4 s), which
        // the step timeout must absorb without calling the server broken.
        for (var i = 0; i < 3; i++)
        {
            var run = await FaultyLink.RunWsdoctorAsync(link.ClientNamespace, ["check", url.ToString(), "--send", "hello", "--expect", "hello", "--json", "--timeout", "15s", "--deadline", "55s"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Empty(Codes(Report(run), "failure"));
        }

        Assert.Matches("dropped=[1-9]", await link.StatsAsync());
    }

    private static JsonElement Report(CliRun run)
    {
        try
        {
            return JsonDocument.Parse(run.Stdout).RootElement.Clone();
        }
        catch (JsonException)
        {
            Assert.Fail($"check did not print a JSON report: {run}");
            throw;
        }
    }

    private static List<string> Codes(JsonElement report, string? severity) =>
        [.. report.GetProperty("findings").EnumerateArray()
            .Where(f => severity is null || f.GetProperty("severity").GetString() == severity)
            .Select(f => f.GetProperty("code").GetString()!)];

    private static double ConnectMs(JsonElement report) =>
        report.GetProperty("timings").GetProperty("connectMs").GetDouble();
}
