using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>A credential given to wsdoctor (in the URL's query, as --token, in a cookie, in a secret header) appears in
/// none of its outputs — text, JSON, JSONL, JUnit, the HdrHistogram log, conform's report files, the exporter's answers
/// and logs, the probe page, serve's log — unless --show-secrets says so. Each command runs twice where it can: against
/// a server that accepts (the success path) and one that refuses (the failure path, where the diagnosis quotes the
/// request head), and the controls with --show-secrets prove the secret would reach the output if not redacted.</summary>
public sealed class SecretRedactionTests
{
    private readonly Secrets secrets = new();

    [Fact]
    public async Task Check_JsonAndVerboseText_RedactEverySecret()
    {
        await using var serves = await ServePair.StartAsync();
        foreach (var serve in serves.Both)
        {
            var url = secrets.Url(serve.Url);
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["check", url, .. secrets.Options, "--send", "hello", "--json"]), "check --json");
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["check", url, .. secrets.Options, "--send", "hello", "-v"]), "check -v");
        }

        var shown = await WsdoctorProcess.RunAsync(["check", secrets.Url(serves.Refusing.Url), .. secrets.Options, "--json", "--verbose", "--show-secrets"]);
        Assert.Contains(secrets.Query, shown.Stdout, StringComparison.Ordinal);
        Assert.Contains(secrets.Bearer, shown.Stdout, StringComparison.Ordinal);
        await AssertServeLogsClean(serves.Open, serves.Refusing);
    }

    [Fact]
    public async Task Check_JunitSarifAndTargets_RedactEverySecret()
    {
        await using var serves = await ServePair.StartAsync();
        using var dir = new TempDirectory();
        foreach (var serve in serves.Both)
        {
            var url = secrets.Url(serve.Url);
            foreach (var format in new[] { "junit", "sarif" })
            {
                secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["check", url, .. secrets.Options, "--format", format]), $"check --format {format}");
            }
        }

        // The same secrets on the lines of a --targets file, quoted as a shell would.
        var line = string.Join(' ', secrets.Options.Select(o => $"\"{o}\""));
        var targets = Path.Combine(dir.Path, "targets.txt");
        await File.WriteAllTextAsync(targets, string.Concat(serves.Both.Select(s => $"\"{secrets.Url(s.Url)}\" {line}\n")));
        foreach (var format in new[] { "text", "json", "junit", "sarif" })
        {
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["check", "--targets", targets, "--format", format, "--verbose"]), $"check --targets --format {format}");
        }

        var shown = await WsdoctorProcess.RunAsync(["check", "--targets", targets, "--format", "junit", "--show-secrets"]);
        Assert.Contains(secrets.Query, shown.Stdout, StringComparison.Ordinal);
        Assert.Contains(secrets.Bearer, shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_TextJsonAndJunit_RedactEverySecret()
    {
        await using var serves = await ServePair.StartAsync();
        using var dir = new TempDirectory();
        foreach (var serve in serves.Both)
        {
            var file = Path.Combine(dir.Path, "s.yaml");
            await File.WriteAllTextAsync(file, $"""
                name: secrets
                target:
                  url: "{secrets.Url(serve.Url)}"
                  token: "{secrets.Bearer}"
                  cookie: "session={secrets.Cookie}"
                  headers:
                    X-Api-Key: "{secrets.ApiKey}"
                  timeout: 2s
                scenarios:
                  - name: echo that never comes
                    steps:
                      - send: hello
                      - expect: not-the-echo
                """);
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["test", file]), "test (text)");
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["test", file, "--format", "json", "--output", Path.Combine(dir.Path, "report.json")]), "test --format json");
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(["test", file, "--format", "junit", "--output", Path.Combine(dir.Path, "report.xml")]), "test --format junit");
            secrets.AssertNowhere(await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.json")), "test's JSON report");
            secrets.AssertNowhere(await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.xml")), "test's JUnit report");
        }

        var shown = await WsdoctorProcess.RunAsync(["test", Path.Combine(dir.Path, "s.yaml"), "--format", "json", "--show-secrets"]);
        Assert.Contains(secrets.Query, shown.Stdout, StringComparison.Ordinal);
        await AssertServeLogsClean(serves.Open, serves.Refusing);
    }

    [Fact]
    public async Task Bench_TextJsonAndHdrLog_RedactEverySecret()
    {
        await using var serves = await ServePair.StartAsync();
        using var dir = new TempDirectory();
        foreach (var serve in serves.Both)
        {
            var url = secrets.Url(serve.Url);
            string[] common = ["bench", url, .. secrets.Options, "--connections", "2", "--duration", "1s", "--warmup", "0", "--quiet"];
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(common), "bench (text)");
            var hdr = Path.Combine(dir.Path, "latency.hlog");
            var json = Path.Combine(dir.Path, "bench.json");
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync([.. common, "--json", "--output", json, "--hdr-log", hdr]), "bench --json");
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, "bench.json")), "bench wrote no JSON report");
        secrets.AssertNowhereIn(dir.Path, "bench's files");
        await AssertServeLogsClean(serves.Open, serves.Refusing);
    }

    [Fact]
    public async Task Watch_TextAndJsonl_RedactEverySecret()
    {
        await using var serves = await ServePair.StartAsync();
        foreach (var serve in serves.Both)
        {
            string[] watch = ["watch", secrets.Url(serve.Url), .. secrets.Options, "--for", "3s", "--ping-interval", "1s", "--reconnect-max-delay", "1s"];
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(watch), "watch (text)");
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync([.. watch, "--jsonl"]), "watch --jsonl");
        }

        var shown = await WsdoctorProcess.RunAsync(["watch", secrets.Url(serves.Open.Url), "--for", "2s", "--show-secrets"]);
        Assert.Contains(secrets.Query, shown.ToString(), StringComparison.Ordinal);
        await AssertServeLogsClean(serves.Open, serves.Refusing);
    }

    [Fact]
    public async Task Connect_TextAndJsonl_RedactEverySecret()
    {
        await using var serves = await ServePair.StartAsync();
        foreach (var serve in serves.Both)
        {
            string[] connect = ["connect", secrets.Url(serve.Url), .. secrets.Options, "-x", "hello", "--wait", "1s"];
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync(connect), "connect (text)");
            secrets.AssertNowhere(await WsdoctorProcess.RunAsync([.. connect, "--jsonl"]), "connect --jsonl");
        }

        var shown = await WsdoctorProcess.RunAsync(["connect", secrets.Url(serves.Open.Url), "-x", "hello", "--wait", "1s", "--show-secrets"]);
        Assert.Contains(secrets.Query, shown.ToString(), StringComparison.Ordinal);
        await AssertServeLogsClean(serves.Open, serves.Refusing);
    }

    [Fact]
    public async Task ConformServer_ReportsAndOutput_RedactTheUrlsToken()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        using var dir = new TempDirectory();
        var hidden = Path.Combine(dir.Path, "hidden");
        var run = await WsdoctorProcess.RunAsync(["conform", "server", secrets.Url(serve.Url), "--cases", "1.1.1,0.*", "--report-dir", hidden]);
        Assert.True(File.Exists(Path.Combine(hidden, "index.html")), run.ToString());
        secrets.AssertNowhere(run, "conform server");
        secrets.AssertNowhereIn(hidden, "conform's reports");

        var shownDir = Path.Combine(dir.Path, "shown");
        await WsdoctorProcess.RunAsync(["conform", "server", secrets.Url(serve.Url), "--cases", "1.1.1", "--report-dir", shownDir, "--show-secrets"]);
        Assert.Contains(Directory.EnumerateFiles(shownDir, "*_case_1_1_1.json").Select(File.ReadAllText), text => text.Contains(secrets.Query, StringComparison.Ordinal));
        await AssertServeLogsClean(serve);
    }

    [Fact]
    public async Task Exporter_ProbeAnswerMetricsAndLog_RedactEverySecret()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        using var dir = new TempDirectory();
        var cookieFile = Path.Combine(dir.Path, "cookie");
        await File.WriteAllTextAsync(cookieFile, $"session={secrets.Cookie}\n");
        var config = Path.Combine(dir.Path, "exporter.yaml");
        await File.WriteAllTextAsync(config, $"""
            modules:
              auth:
                token: {"{"} env: SWEEP_TOKEN {"}"}
                cookie: {"{"} file: {cookieFile} {"}"}
                send: hello
                expect: hello
            """);
        await using var exporter = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "exporter", "--listen", "127.0.0.1:0", "--config", config, "--allow-target", "127.0.0.1"],
            new Dictionary<string, string> { ["SWEEP_TOKEN"] = secrets.Bearer });
        var listen = await exporter.Stderr.WaitForAsync(l => l.Contains("event=listen", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "exporter listening");
        var probe = new Uri(ServeProcess.Field(listen, "url")!);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var answer = await http.GetStringAsync($"{probe}?module=auth&target={Uri.EscapeDataString(secrets.Url(serve.Url))}");
        var metrics = await http.GetStringAsync(new Uri(probe, "/metrics"));
        await exporter.Stderr.WaitForAsync(l => l.Contains("event=probe", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the probe's log line");

        Assert.Contains("probe_success 1", answer, StringComparison.Ordinal);
        secrets.AssertNowhere(answer, "/probe");
        secrets.AssertNowhere(metrics, "/metrics");
        secrets.AssertNowhere(string.Join('\n', exporter.Stderr.Lines), "the exporter's log");
        await AssertServeLogsClean(serve);
    }

    [SkippableFact]
    public async Task Probe_PageTerminalAndJson_RedactEverySecret()
    {
        Peers.RequireNodeModule("playwright-core");
        Peers.Require(Peers.Chromium);
        await using var serve = await ServeProcess.StartAsync([]);
        await using var probe = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "probe", secrets.Url(serve.Url), .. secrets.Options, "--no-qr", "--json"]);
        var link = (await probe.Stderr.WaitForAsync(l => l.StartsWith("  http://", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the probe link")).Trim();

        var page = await Browser.OpenAsync(link, "text=The terminal shows the full report");
        await probe.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("token=[redacted", page.Text, StringComparison.Ordinal);
        secrets.AssertNowhere(page.Text, "the probe page");
        secrets.AssertNowhere(string.Join('\n', probe.Stdout.Lines), "probe --json");
        secrets.AssertNowhere(string.Join('\n', probe.Stderr.Lines), "probe's terminal");
        await AssertServeLogsClean(serve);
    }

    /// <summary>serve saw every secret the clients sent; its log must show none of them.</summary>
    private async Task AssertServeLogsClean(params ServeProcess[] serves)
    {
        foreach (var serve in serves)
        {
            Assert.Equal(0, await serve.StopAsync());
            var log = string.Join('\n', serve.Process.Stderr.Lines);
            secrets.AssertNowhere(log, "serve's log");
        }
    }
}

/// <summary>Two serves: one that accepts anyone (the success path) and one that wants another token (the failure
/// path, where the diagnosis quotes the request head).</summary>
internal sealed class ServePair(ServeProcess open, ServeProcess refusing) : IAsyncDisposable
{
    public ServeProcess Open { get; } = open;

    public ServeProcess Refusing { get; } = refusing;

    public IEnumerable<ServeProcess> Both => [Open, Refusing];

    public static async Task<ServePair> StartAsync()
    {
        var open = await ServeProcess.StartAsync([]);
        try
        {
            return new ServePair(open, await ServeProcess.StartAsync(["--token", "another-token"]));
        }
        catch
        {
            await open.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Open.DisposeAsync();
        await Refusing.DisposeAsync();
    }
}

/// <summary>A directory for one test, removed after it.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wsdoctor-security-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}

