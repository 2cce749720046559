using System.Diagnostics;
using System.Text.Json;
using HdrHistogram;
using Wsdoctor.Load.Latency;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Bench;

/// <summary>bench beyond the defaults: shards merged, wss:// with --ca, a real proxy, a terminal, Ctrl-C, --hdr-log.</summary>
public sealed class BenchScaleTests
{
    private static Dictionary<string, string> NoProxy => BenchCommandTests.NoProxy;

    [Fact]
    public async Task Shards_ThreeProcessesMerged_AddUpExactlyAndMatchASingleRun()
    {
        await using var serve = await ServeProcess.StartAsync(["--max-connections", "1000"]);
        var url = serve.Url.ToString();
        var dir = Directory.CreateTempSubdirectory("wsdoctor-shards-");
        string[] common = [url, "-c", "6", "--rate", "300", "-d", "2", "--warmup", "0.3s", "-q", "--json"];
        try
        {
            // The three shards run side by side against one server, as the pods of the Indexed Job do.
            var shards = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
                WsdoctorProcess.RunAsync(["bench", .. common, "--shard", $"{i}/3", "-O", Path.Combine(dir.FullName, $"shard-{i}.json")], NoProxy)));
            foreach (var shard in shards)
            {
                Assert.True(shard.ExitCode == 0, shard.ToString());
            }

            var files = Enumerable.Range(0, 3).Select(i => Path.Combine(dir.FullName, $"shard-{i}.json")).ToArray();
            var merged = await WsdoctorProcess.RunAsync(["bench", "merge", .. files, "--json"], NoProxy);
            var single = await WsdoctorProcess.RunAsync(["bench", .. common], NoProxy);

            Assert.True(merged.ExitCode == 0, merged.ToString());
            Assert.True(single.ExitCode == 0, single.ToString());
            using var m = JsonDocument.Parse(merged.Stdout);
            var parts = files.Select(f => JsonDocument.Parse(File.ReadAllText(f))).ToList();
            var root = m.RootElement;
            // Each shard ran its share: 2 of the 6 connections and 100 of the 300 msg/s.
            Assert.All(parts, p => Assert.Equal(2, p.RootElement.GetProperty("connections").GetProperty("requested").GetInt32()));
            Assert.All(parts, p => Assert.Equal(100, p.RootElement.GetProperty("openLoop").GetProperty("requestedRate").GetDouble(), 6));
            Assert.Equal(["0/3", "1/3", "2/3"], root.GetProperty("mergedShards").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(6, root.GetProperty("connections").GetProperty("requested").GetInt32());
            Assert.Equal(300, root.GetProperty("openLoop").GetProperty("requestedRate").GetDouble(), 6);
            Assert.Equal(parts.Sum(p => p.RootElement.GetProperty("messages").GetProperty("count").GetInt64()), root.GetProperty("messages").GetProperty("count").GetInt64());

            // The merged histogram is exactly the histogram of all the shards' messages.
            var union = Histograms.Create();
            foreach (var p in parts)
            {
                union.Add(Histograms.Decode(p.RootElement.GetProperty("latency").GetProperty("histogram").GetString()!));
            }

            var mergedHistogram = Histograms.Decode(root.GetProperty("latency").GetProperty("histogram").GetString()!);
            Assert.Equal(union.TotalCount, mergedHistogram.TotalCount);
            Assert.Equal(union.GetValueAtPercentile(99) / 1000.0, root.GetProperty("latency").GetProperty("microseconds").GetProperty("p99").GetDouble(), 3);
            Assert.All(union.RecordedValues(), v => Assert.Equal(v.CountAtValueIteratedTo, mergedHistogram.GetCountAtValue(v.ValueIteratedTo)));

            // And the whole equals one process running the same test (rate-paced, so the counts agree closely).
            using var s = JsonDocument.Parse(single.Stdout);
            var mergedRate = root.GetProperty("messages").GetProperty("perSecond").GetDouble();
            var singleRate = s.RootElement.GetProperty("messages").GetProperty("perSecond").GetDouble();
            // Both are paced at 300/s; each may fall behind on a loaded machine, so each is held to the requested rate
            // (±15 %) rather than to the other run's shortfall.
            Assert.InRange(mergedRate, 255, 345);
            Assert.InRange(singleRate, 255, 345);
            Assert.Equal(0, root.GetProperty("errorCount").GetInt64());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Merge_DuplicateShardOrWholeRun_IsAUsageError()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        var dir = Directory.CreateTempSubdirectory("wsdoctor-merge-");
        try
        {
            // 2 s each: a run that exchanged no message exits 1, and on a loaded CI machine half a second could pass
            // before the first reply.
            var shard = Path.Combine(dir.FullName, "a.json");
            var whole = Path.Combine(dir.FullName, "b.json");
            Assert.Equal(0, (await WsdoctorProcess.RunAsync(["bench", serve.Url.ToString(), "-c", "2", "-d", "2s", "--warmup", "0", "-q", "--shard", "0/2", "-O", shard], NoProxy)).ExitCode);
            Assert.Equal(0, (await WsdoctorProcess.RunAsync(["bench", serve.Url.ToString(), "-c", "1", "-d", "2s", "--warmup", "0", "-q", "-O", whole], NoProxy)).ExitCode);

            var duplicate = await WsdoctorProcess.RunAsync("bench", "merge", shard, shard);
            var notShard = await WsdoctorProcess.RunAsync("bench", "merge", shard, whole);
            var partial = await WsdoctorProcess.RunAsync("bench", "merge", shard, "--json");

            Assert.True(duplicate.ExitCode == 2, duplicate.ToString());
            Assert.Equal("wsdoctor: error: shard 0/2 is given more than once", duplicate.StderrLines.Single());
            Assert.True(notShard.ExitCode == 2, notShard.ToString());
            Assert.Contains("every report must be a shard", notShard.Stderr, StringComparison.Ordinal);
            Assert.True(partial.ExitCode == 0, partial.ToString());
            Assert.Contains("warning: 1 of 2 shards merged", partial.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Wss_WithTheDevCa_OpensThroughTheOpener_AndWithoutItIsUntrustedRoot()
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-bench-tls-");
        try
        {
            await using var serve = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", dir.FullName]);
            var url = serve.Urls.First(u => u.Scheme == "wss").ToString();
            var ca = Path.Combine(dir.FullName, "ca.pem");

            var trusted = await WsdoctorProcess.RunAsync(["bench", url, "--ca", ca, "-c", "2", "-d", "1", "--warmup", "0", "-q", "--json"], NoProxy);
            var untrusted = await WsdoctorProcess.RunAsync(["bench", url, "-c", "1", "-d", "1", "--warmup", "0", "-q", "--json"], NoProxy);

            Assert.True(trusted.ExitCode == 0, trusted.ToString());
            using var json = JsonDocument.Parse(trusted.Stdout);
            Assert.Equal("opener", json.RootElement.GetProperty("settings").GetProperty("openPath").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("errorCount").GetInt64());
            Assert.True(json.RootElement.GetProperty("messages").GetProperty("count").GetInt64() > 50);
            Assert.True(untrusted.ExitCode == 1, untrusted.ToString());
            Assert.Contains(BenchCommandTests.Errors(untrusted), e => e.Code == "tls.untrusted-root" && e.Stage == "connect");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task Proxy_Tinyproxy_CarriesEveryConnection()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        using var proxy = await Tinyproxy.StartAsync([serve.Url.Port]);

        var run = await WsdoctorProcess.RunAsync(["bench", serve.Url.ToString(), "--proxy", proxy.Url, "-c", "3", "-d", "1", "--warmup", "0", "-q", "--json", "-H", "X-Bench: 1", "--token", "s3cr3t-token"], NoProxy);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("opener", json.RootElement.GetProperty("settings").GetProperty("openPath").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("connections").GetProperty("opened").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("errorCount").GetInt64());
        Assert.Contains($"CONNECT", proxy.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-token", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Progress_OnATerminal_IsOneTableRedrawnInPlace_AndPlainLinesOtherwise()
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "script(1) from util-linux is needed for a pseudo-terminal");
        await using var serve = await ServeProcess.StartAsync([]);
        var url = serve.Url.ToString();
        var command = $"'{WsdoctorProcess.DotnetHost}' '{WsdoctorProcess.DllPath}' bench '{url}' -c 2 -d 3 --warmup 0";

        var terminal = await WsdoctorProcess.RunProcessAsync("/usr/bin/script", ["-qec", command, "/dev/null"], new Dictionary<string, string>(NoProxy) { ["TERM"] = "xterm-256color" });
        var piped = await WsdoctorProcess.RunAsync(["bench", url, "-c", "2", "-d", "3", "--warmup", "0"], NoProxy);

        Assert.True(terminal.ExitCode == 0, terminal.ToString());
        // The table's border and header, drawn more than once, each redraw going back up over the last (ESC[nA ESC[J).
        Assert.Contains("msg/s", terminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("╭", terminal.Stdout, StringComparison.Ordinal);
        Assert.Matches("\u001b\\[\\d+A\u001b\\[J", terminal.Stdout);
        Assert.True(terminal.Stdout.Split("╭").Length - 1 >= 2, terminal.Stdout);
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.DoesNotContain('\u001b', piped.Stderr);
        var lines = piped.StderrLines.Where(l => l.StartsWith("bench: ", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 2, piped.Stderr);
        Assert.All(lines, l => Assert.Matches(@"msg/s  p50 .+  p99 .+  open +\d+  held +\d+  errors \d+$", l));
    }

    [Fact]
    public async Task CtrlC_PrintsThePartialReportAndExits130()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        await using var bench = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "bench", serve.Url.ToString(), "-c", "2", "-d", "60", "--warmup", "0"], NoProxy);
        await bench.Stderr.WaitForAsync(l => l.Contains(" measuring ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a measuring progress line");
        var watch = Stopwatch.StartNew();

        bench.Signal(LongRunningProcess.SigInt);
        var exit = await bench.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, exit);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed} to stop");
        var stdout = string.Join('\n', bench.Stdout.Lines);
        Assert.Contains("interrupted: the report covers the run until Ctrl-C", stdout, StringComparison.Ordinal);
        Assert.Matches(@"latency +p50 ", stdout);
    }

    [Fact]
    public async Task HdrLog_IsAnIntervalLogHdrHistogramReadsBack_WithEveryMeasuredMessage()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        var log = Path.Combine(Path.GetTempPath(), $"wsdoctor-{Guid.NewGuid():N}.hlog");
        try
        {
            var run = await WsdoctorProcess.RunAsync(["bench", serve.Url.ToString(), "-c", "2", "-d", "2.5s", "--warmup", "0.5s", "-q", "--json", "--hdr-log", log], NoProxy);

            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(run.Stdout);
            var text = await File.ReadAllTextAsync(log);
            Assert.StartsWith("#[", text, StringComparison.Ordinal);
            Assert.Contains("#[Histogram log format version 1.3]", text, StringComparison.Ordinal);
            Assert.Contains("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"", text, StringComparison.Ordinal);
            using var stream = File.OpenRead(log);
            using var reader = new HistogramLogReader(stream);
            var intervals = reader.ReadHistograms().ToList();
            Assert.True(intervals.Count >= 3, text);
            Assert.All(intervals, h => Assert.Equal("latency", h.Tag));
            Assert.Equal(json.RootElement.GetProperty("messages").GetProperty("count").GetInt64(), intervals.Sum(h => h.TotalCount));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
