using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Native.Tests;

/// <summary>The Native AOT binary against real loopback peers: the lab end to end, and a smoke set of commands whose
/// output is compared with the JIT build's (wsdoctor.dll) where it does not depend on time or ports.</summary>
[Collection(NativeCollection.Name)]
public sealed class NativeCommandTests(NativeBinary native) : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("wsdoctor-native-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task Lab_Json_EveryScenarioDiagnosedCorrectly()
    {
        var list = await WsdoctorProcess.RunAsync("lab", "--list");
        Assert.True(list.ExitCode == 0, list.ToString());

        // Every scenario's full check report goes through the source-generated JSON, each finding's data included.
        var run = await Builds.RunAsync(native.Executable, ["lab", "--json"], TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        var failed = root.GetProperty("scenarios").EnumerateArray().Where(s => !s.GetProperty("passed").GetBoolean())
            .Select(s => $"{s.GetProperty("name").GetString()}: {s.GetProperty("problem").GetString()}").ToArray();
        Assert.Empty(failed);
        Assert.Equal(list.StdoutLines.Length, root.GetProperty("passed").GetInt32());
        Assert.Equal(list.StdoutLines.Select(l => l.Split(' ')[0]), root.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Contains(root.GetProperty("scenarios").EnumerateArray(),
            s => s.GetProperty("report").ValueKind == JsonValueKind.Object && s.GetProperty("report").GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("data").EnumerateObject().Any()));
    }

    [Fact]
    public async Task Check_HealthyServe_Exits0WithAnOkReport()
    {
        await using var serve = await ServeProcess.StartAsync(native.Executable, [], []);

        var run = await native.RunAsync("check", serve.Url.ToString(), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("ok", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("rootCause").ValueKind);
        Assert.Contains(json.RootElement.GetProperty("layers").EnumerateArray(), l => l.GetProperty("layer").GetString() == "ws" && l.GetProperty("status").GetString() == "passed");
    }

    [Fact]
    public async Task Check_RefusedPort_Exits1WithTcpRefused()
    {
        var url = $"ws://127.0.0.1:{Peers.FreePort()}/";

        var json = await native.RunAsync("check", url, "--json");
        var text = await native.RunAsync("check", url);

        Assert.True(json.ExitCode == 1, json.ToString());
        using var report = JsonDocument.Parse(json.Stdout);
        Assert.Equal("tcp.refused", report.RootElement.GetProperty("rootCause").GetProperty("code").GetString());
        Assert.Equal("fail", report.RootElement.GetProperty("verdict").GetString());
        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Contains("tcp.refused", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_PrintsWhatTheJitBuildPrints()
    {
        var aot = await native.RunAsync("explain", "tls.incomplete-chain");
        var jit = await WsdoctorProcess.RunAsync("explain", "tls.incomplete-chain");

        Assert.True(aot.ExitCode == 0, aot.ToString());
        Assert.Contains("tls.incomplete-chain", aot.Stdout, StringComparison.Ordinal);
        Assert.True(aot.StdoutLines.Length > 10, aot.ToString());
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    /// <summary>The native binary has no satellite resources (invariant globalization), yet its Chinese help has
    /// the same Chinese headings as the JIT build's.</summary>
    [Fact]
    public async Task Help_UnderZhCn_TheSameChineseHelpAsTheJitBuild()
    {
        var aot = await native.RunAsync(["check", "--help"], WsdoctorProcess.Locale("zh_CN.UTF-8"));
        var jit = await WsdoctorProcess.RunAsync(["check", "--help"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(aot.ExitCode == 0, aot.ToString());
        Assert.Contains("用法：", aot.StdoutLines);
        Assert.Contains("选项：", aot.StdoutLines);
        Assert.DoesNotContain("Usage:", aot.StdoutLines);
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    [Fact]
    public async Task Explain_UnknownCode_Exits2WithOneLine()
    {
        var run = await native.RunAsync("explain", "no.such-code");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.StartsWith("wsdoctor: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeThenConnect_EchoesWhatExecuteSends()
    {
        await using var serve = await ServeProcess.StartAsync(native.Executable, [], []);

        var plain = await native.RunAsync("connect", serve.Url.ToString(), "-x", "hello", "-x", "héllo wörld", "-w", "1s");
        var jsonl = await native.RunAsync("connect", serve.Url.ToString(), "--jsonl", "-x", "hi", "-w", "1s");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(["hello", "héllo wörld"], plain.StdoutLines);
        Assert.True(jsonl.ExitCode == 0, jsonl.ToString());
        var records = jsonl.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Contains(records, r => r.GetProperty("dir").GetString() == "in" && r.GetProperty("opcode").GetString() == "text" && r.GetProperty("data").GetString() == "hi");
    }

    [Fact]
    public async Task LintNginx_FindsTheMissingUpgrade_AsTheJitBuildDoes()
    {
        var file = Path.Combine(scratch, "site.conf");
        await File.WriteAllTextAsync(file, """
            events {}
            http {
                server {
                    listen 80;
                    location /ws {
                        proxy_pass http://127.0.0.1:8080;
                    }
                }
            }

            """);

        var aot = await native.RunAsync("lint", "nginx", file, "--json");
        var jit = await WsdoctorProcess.RunAsync("lint", "nginx", file, "--json");

        Assert.True(aot.ExitCode == 1, aot.ToString());
        using var json = JsonDocument.Parse(aot.Stdout);
        Assert.NotEmpty(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(jit.ExitCode, aot.ExitCode);
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    [Fact]
    public async Task CertDev_IssuesALeaf_ThatServeUsesAndCheckTrusts()
    {
        var environment = new Dictionary<string, string> { ["HOME"] = Path.Combine(scratch, "home"), ["XDG_DATA_HOME"] = Path.Combine(scratch, "data") };
        var outDir = Path.Combine(scratch, "out");

        var dev = await native.RunAsync(["cert", "dev", "localhost", "127.0.0.1", "--out-dir", outDir, "--json"], environment);

        Assert.True(dev.ExitCode == 0, dev.ToString());
        using var json = JsonDocument.Parse(dev.Stdout);
        Assert.Equal("ok", json.RootElement.GetProperty("verdict").GetString());
        var ca = json.RootElement.GetProperty("ca").GetProperty("path").GetString()!;
        var issued = json.RootElement.GetProperty("issued");
        await using var serve = await ServeProcess.StartAsync(native.Executable, [],
            ["--tls-cert", issued.GetProperty("certificate").GetString()!, "--tls-key", issued.GetProperty("key").GetString()!], environment);
        Assert.StartsWith("wss://", serve.Url.ToString(), StringComparison.Ordinal);

        var trusted = await native.RunAsync(["check", serve.Url.ToString(), "--ca", ca, "--json"], environment);
        var untrusted = await native.RunAsync(["check", serve.Url.ToString(), "--json"], environment);

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.True(untrusted.ExitCode == 1, untrusted.ToString());
        using var refused = JsonDocument.Parse(untrusted.Stdout);
        Assert.StartsWith("tls.", refused.RootElement.GetProperty("rootCause").GetProperty("code").GetString(), StringComparison.Ordinal);
    }
}
