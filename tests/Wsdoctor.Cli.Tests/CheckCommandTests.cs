using Wsdoctor.TestPeers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Wsdoctor.Lab.Servers;

namespace Wsdoctor.Cli.Tests;

/// <summary><c>wsdoctor check</c> end to end: the real executable against real loopback servers.</summary>
public sealed partial class CheckCommandTests
{
    [Fact]
    public async Task CheckJson_HealthyKestrelEcho_PrintsOkReportAndExits0()
    {
        await using var server = await KestrelEcho.StartAsync();
        var url = $"ws://127.0.0.1:{server.Port}/ws";

        var run = await WsdoctorProcess.RunAsync("check", url, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        // A healthy server has no finding; a loaded test machine may stretch the ping past session.slow's bound.
        var findings = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.All(findings, code => Assert.Equal("session.slow", code));
        Assert.Equal(findings.Count == 0 ? "ok" : "warn", root.GetProperty("verdict").GetString());
        Assert.Equal(url, root.GetProperty("target").GetString());
        Assert.True(findings.Count > 0 || root.GetProperty("rootCause").ValueKind == JsonValueKind.Null, run.Stdout);
        Assert.Equal(101, root.GetProperty("connection").GetProperty("httpStatus").GetInt32());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("timings").GetProperty("pingRttMs").ValueKind);
        var layers = root.GetProperty("layers").EnumerateArray().ToDictionary(l => l.GetProperty("layer").GetString()!, l => l.GetProperty("status").GetString());
        Assert.Equal("passed", layers["session"]);
        Assert.Equal("skipped", layers["tls"]);
    }

    [Fact]
    public async Task Check_RedirectedWithNoColor_PrintsOkWithoutEscapeCodes()
    {
        await using var server = await KestrelEcho.StartAsync();
        var url = $"ws://127.0.0.1:{server.Port}/ws";

        var run = await WsdoctorProcess.RunAsync(["check", url], new Dictionary<string, string> { ["NO_COLOR"] = "1" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith($"OK {url} — WebSocket opens, answers ping in ", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', run.Stdout);
    }

    [SkippableFact]
    public async Task Check_OnATerminal_IsColouredUnlessNoColorIsSet()
    {
        // Redirected output is never coloured, so NO_COLOR only matters on a terminal: script(1) provides one.
        Skip.IfNot(File.Exists("/usr/bin/script"), "script(1) from util-linux is needed for a pseudo-terminal");
        await using var server = await KestrelEcho.StartAsync();
        var url = $"ws://127.0.0.1:{server.Port}/ws";

        var coloured = await OnTerminalAsync(url, noColor: false);
        var plain = await OnTerminalAsync(url, noColor: true);

        Assert.True(coloured.ExitCode == 0, coloured.ToString());
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("\u001b[", WithoutRuntimeKeypadMode(coloured.Stdout), StringComparison.Ordinal);
        Assert.Contains($"OK {url} — WebSocket opens", plain.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', WithoutRuntimeKeypadMode(plain.Stdout));
    }

    [Fact]
    public async Task Check_PortNobodyListensOn_ReportsTcpRefusedAndExits1()
    {
        var port = FreeLoopbackPort();

        var text = await WsdoctorProcess.RunAsync("check", $"ws://127.0.0.1:{port}/");
        var json = await WsdoctorProcess.RunAsync("check", $"ws://127.0.0.1:{port}/", "--json");

        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.StartsWith($"FAIL tcp.refused — nothing listens on port {port}", text.StdoutLines[0], StringComparison.Ordinal);
        Assert.True(json.ExitCode == 1, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        var rootCause = document.RootElement.GetProperty("rootCause");
        Assert.Equal("tcp.refused", rootCause.GetProperty("code").GetString());
        Assert.Equal(port, rootCause.GetProperty("data").GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task Check_ChineseLocale_PrintsTheWholeReportInChinese_AndJsonStaysEnglish()
    {
        var port = FreeLoopbackPort();
        var chinese = WsdoctorProcess.Locale("zh_CN.UTF-8");

        var text = await WsdoctorProcess.RunAsync(["check", $"ws://127.0.0.1:{port}/"], chinese);
        var json = await WsdoctorProcess.RunAsync(["check", $"ws://127.0.0.1:{port}/", "--json"], chinese);

        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.StartsWith("FAIL tcp.refused — ", text.StdoutLines[0], StringComparison.Ordinal);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", text.StdoutLines[0]);
        Assert.Contains(text.StdoutLines, l => l.Contains("证据：", StringComparison.Ordinal));
        Assert.Contains(text.StdoutLines, l => l.Contains("修复：", StringComparison.Ordinal));
        Assert.Contains($"wsdoctor explain tcp.refused --lang zh-CN", text.Stdout, StringComparison.Ordinal);
        var english = EnglishProse.Find(text.Stdout);
        Assert.True(english.Count == 0, $"English left in the zh-CN report:\n{string.Join("\n", english.Select(o => o.Text))}\n{text.Stdout}");
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.StartsWith($"nothing listens on port {port}", document.RootElement.GetProperty("rootCause").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LangZhCn_HealthyServer_PrintsTheChineseVerdict()
    {
        await using var server = await KestrelEcho.StartAsync();
        var url = $"ws://127.0.0.1:{server.Port}/ws";

        var run = await WsdoctorProcess.RunAsync(["check", url, "--lang", "zh-CN"], WsdoctorProcess.Locale("C"));

        Assert.True(run.ExitCode == 0, run.ToString());
        // A loaded test machine may stretch the ping past session.slow's bound: a warning, in Chinese too.
        Assert.True(run.StdoutLines[0].StartsWith($"OK {url} — WebSocket 连接成功，", StringComparison.Ordinal)
                    || run.StdoutLines[0].StartsWith("WARN session.slow — ", StringComparison.Ordinal), run.Stdout);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", run.StdoutLines[0]);
        // Status lines stay as the server sent them ("101 Switching Protocols").
        var english = EnglishProse.Find(StatusLine().Replace(run.Stdout, ""));
        Assert.True(english.Count == 0, $"English left in the zh-CN report:\n{string.Join("\n", english.Select(o => o.Text))}\n{run.Stdout}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b[1-5][0-9]{2}(?: [A-Z][A-Za-z-]*)+")]
    private static partial System.Text.RegularExpressions.Regex StatusLine();

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task<CliRun> OnTerminalAsync(string url, bool noColor)
    {
        var command = $"'{WsdoctorProcess.DotnetHost}' '{WsdoctorProcess.DllPath}' check '{url}'";
        var environment = new Dictionary<string, string> { ["TERM"] = "xterm-256color" };
        if (noColor)
        {
            environment["NO_COLOR"] = "1";
        }

        // -q: no "Script started" banner; -e: exit with the command's exit code; -c: run it on the pseudo-terminal.
        return WsdoctorProcess.RunProcessAsync("/usr/bin/script", ["-qec", command, "/dev/null"], environment);
    }

    /// <summary>The .NET runtime itself switches a terminal to application keypad mode (terminfo keypad_xmit,
    /// "ESC[?1h ESC=") when a program uses the console on a terminal (dotnet/runtime, formerly corefx#32805). That is
    /// not colour and not wsdoctor's output.</summary>
    private static string WithoutRuntimeKeypadMode(string output) =>
        output.Replace("\u001b[?1h\u001b=", "", StringComparison.Ordinal).Replace("\u001b[?1l\u001b>", "", StringComparison.Ordinal);
}
