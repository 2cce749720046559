using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Probes.Tests.Session;

/// <summary>check --max-size-probe against servers with known limits: the limit must be found to within 1 %, with the
/// way the server refuses.</summary>
public class MessageSizeTests
{
    private static CheckOptions Options(string url) => new()
    {
        Url = url,
        MaxSizeProbe = true,
        MaxSizeLimit = 8L * 1024 * 1024,
        StepTimeout = TimeSpan.FromSeconds(5),
        Environment = static _ => null,
    };

    private static Finding TooBig(CheckReport report) =>
        report.Findings.SingleOrDefault(f => f.Code == Codes.SessionMessageTooBig)
        ?? throw new Xunit.Sdk.XunitException($"no session.message-too-big: {string.Join(", ", report.Findings.Select(f => $"{f.Code} {f.Message}"))}");

    private static void AssertWithinOnePercent(Finding finding, long limit)
    {
        var accepted = Convert.ToInt64(finding.Data["acceptedBytes"], System.Globalization.CultureInfo.InvariantCulture);
        var refused = Convert.ToInt64(finding.Data["refusedBytes"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accepted, (long)(limit * 0.99), limit);
        Assert.InRange(refused, limit + 1, (long)(limit * 1.01) + 1);
    }

    [SkippableFact]
    public async Task MaxSize_PythonWebsocketsDefault_OneMebibyteRefusedWith1009()
    {
        Peers.Require(Peers.Python);
        var (server, port) = await PeerProcess.StartAsync(Peers.Python, ["-c", """
            import asyncio, websockets
            async def handler(ws, path=None):
                async for m in ws:
                    pass
            async def main():
                async with websockets.serve(handler, "127.0.0.1", 0) as s:
                    print(s.sockets[0].getsockname()[1], flush=True)
                    await asyncio.Future()
            asyncio.run(main())
            """], TimeSpan.FromSeconds(20));
        using (server)
        {
            var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{port.Trim()}/"));

            var finding = TooBig(report);
            // websockets' max_size defaults to 2**20 bytes.
            AssertWithinOnePercent(finding, 1024 * 1024);
            Assert.Equal(1009, finding.Data["closeCode"]);
            Assert.Contains(finding.Evidence, e => e.Contains("max_size", StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public async Task MaxSize_ServeWithALimit_FoundExactly()
    {
        await using var serve = await ServeProcess.StartAsync(["--max-message-size", "300k"]);

        var report = await CheckRunner.RunAsync(Options(serve.Url.ToString()));

        var finding = TooBig(report);
        AssertWithinOnePercent(finding, 300 * 1024);
        Assert.Equal(1009, finding.Data["closeCode"]);
    }

    [SkippableFact]
    public async Task MaxSize_NoLimitBelowTheProbeLimit_NoFinding()
    {
        await using var serve = await ServeProcess.StartAsync(["--max-message-size", "64m"]);

        var report = await CheckRunner.RunAsync(Options(serve.Url.ToString()) with { MaxSizeLimit = 2L * 1024 * 1024 });

        Assert.DoesNotContain(report.Findings, f => f.Code == Codes.SessionMessageTooBig);
        Assert.Contains("messages up to 2 MiB accepted", report.Layers.Single(l => l.Layer == Layer.Session).Summary);
    }
}
