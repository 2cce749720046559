using System.Text.RegularExpressions;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests;

/// <summary>The lines cert dev, watch and probe print under zh_CN: Chinese, with no English prose once the paths,
/// commands and URLs they name are taken out.</summary>
public sealed partial class ZhCnOutputTests
{
    [Fact]
    public async Task CertDev_UnderZhCn_EveryLineChinese()
    {
        var root = Directory.CreateTempSubdirectory("wsdoctor-zh-cert-");
        try
        {
            var args = new[] { "cert", "dev", "--dir", Path.Combine(root.FullName, "ca"), "--out-dir", root.FullName };
            var run = await WsdoctorProcess.RunAsync(args, WithHome(root.FullName, "zh_CN.UTF-8"));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains(run.StdoutLines, l => l.StartsWith("已创建开发 CA ", StringComparison.Ordinal));
            Assert.Contains(run.StdoutLines, l => l.StartsWith("已为 localhost, 127.0.0.1, ::1 签发证书", StringComparison.Ordinal));
            Assert.Contains(run.StdoutLines, l => l.StartsWith("没有改动任何信任库", StringComparison.Ordinal));
            AssertChinese(run.StdoutLines, root.FullName);

            // Run again: the CA is reused, and the line says so in Chinese.
            var again = await WsdoctorProcess.RunAsync(args, WithHome(root.FullName, "zh_CN.UTF-8"));
            Assert.StartsWith("使用开发 CA ", again.StdoutLines[0], StringComparison.Ordinal);
            AssertChinese(again.StdoutLines, root.FullName);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Watch_UnderZhCn_StartLineAndSummaryChinese()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        var url = serve.Url.ToString();

        var run = await WsdoctorProcess.RunAsync(["watch", url, "--for", "2s", "--ping-interval", "1s"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith($"正在观察 {url}，持续 2s，每 1s 发送一次 ping", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.StartsWith($"OK {url}：观察了 ", StringComparison.Ordinal));
        AssertChinese(run.StdoutLines, url);
    }

    [Fact]
    public async Task Probe_UnderZhCn_LinkLinesAndTimeoutChinese()
    {
        var run = await WsdoctorProcess.RunAsync(["probe", "ws://127.0.0.1:9/", "--no-qr", "--wait", "1s"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("probe: 在出问题的浏览器中打开这个页面", run.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains("probe: 正在等待页面报告结果（按 Ctrl-C 停止）", run.StderrLines);
        Assert.Matches(@"^wsdoctor: 1s 内没有浏览器打开 http://127\.0\.0\.1:\d+/$", run.StderrLines[^1]);
        AssertChinese(run.StderrLines.Where(l => !l.StartsWith("  http://", StringComparison.Ordinal)), "");
    }

    [Fact]
    public async Task Probe_AddressInUseUnderZhCn_ChineseError()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;

        var run = await WsdoctorProcess.RunAsync(["probe", "ws://127.0.0.1:9/", "--listen", $"127.0.0.1:{port}", "--wait", "1s"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"wsdoctor: 错误：无法在 127.0.0.1:{port} 上监听：", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_UnderZhCn_BannerAndCloseLinesChinese()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        var url = serve.Url.ToString();

        var run = await WsdoctorProcess.RunAsync(["connect", url, "-x", "hi", "-w", "0.5s"], WsdoctorProcess.Locale("zh_CN.UTF-8"));
        var en = await WsdoctorProcess.RunAsync(["connect", url, "-x", "hi", "-w", "0.5s"], WsdoctorProcess.Locale("C.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StdoutLines.Concat(run.StderrLines).ToList();
        Assert.Contains(lines, l => l.StartsWith($"已连接到 {url}（101 Switching Protocols，用时 ", StringComparison.Ordinal));
        Assert.Contains("  子协议：    （无）", lines);
        Assert.Contains("已关闭：服务端以 1000 确认", lines);
        AssertChinese(lines.Where(l => l != "hi"), url);
        Assert.Contains(en.StdoutLines.Concat(en.StderrLines), l => l == "closed: the server confirmed with 1000");
    }

    [Fact]
    public async Task Connect_UnderZhCn_OpenFailureAndProtocolBannerChinese()
    {
        var port = Peers.FreePort();
        var refused = await WsdoctorProcess.RunAsync(["connect", $"ws://127.0.0.1:{port}/"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(refused.ExitCode == 1, refused.ToString());
        var lines = refused.StdoutLines.Concat(refused.StderrLines).ToList();
        Assert.Contains($"无法打开 WebSocket：无法连接：127.0.0.1:{port}: ConnectionRefused", lines);
        AssertChinese(lines, $"127.0.0.1:{port}");

        // serve echoes MQTT's CONNECT instead of answering CONNACK: the banner names the protocol and its input, the
        // handshake times out, nothing is sent, and the run fails.
        await using var serve = await ServeProcess.StartAsync([]);
        var url = serve.Url.ToString();
        var mqtt = await WsdoctorProcess.RunAsync(["connect", url, "--protocol", "mqtt", "-x", "t, hi", "-w", "0.5s", "--timeout", "1s"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(mqtt.ExitCode == 1, mqtt.ToString());

        // The messages (stdout) are the protocol's packets in its own notation; every status line (stderr) is Chinese.
        Assert.Contains("connect (MQTT 3.1.1, clean session)", mqtt.StdoutLines);
        lines = [.. mqtt.StderrLines];
        Assert.Contains("  输入：      按“主题, 负载”的格式输入要发布的消息", lines);
        Assert.Contains("! MQTT 握手没有在 1 s 内完成（--timeout）；什么也没有发送", lines);
        AssertChinese(lines.Where(l => !l.StartsWith("  应用协议：", StringComparison.Ordinal)), url);
    }

    private static Dictionary<string, string> WithHome(string home, string lang)
    {
        var environment = WsdoctorProcess.Locale(lang);
        environment["HOME"] = home;
        environment["XDG_DATA_HOME"] = Path.Combine(home, "data");
        return environment;
    }

    /// <summary>Each line has Chinese, and no English prose once the given value, paths and commands are blanked.</summary>
    private static void AssertChinese(IEnumerable<string> lines, string value)
    {
        foreach (var line in lines.Where(l => l.Trim().Length > 0))
        {
            var prose = value.Length > 0 ? line.Replace(value, " ", StringComparison.Ordinal) : line;
            prose = Commands().Replace(Paths().Replace(prose, " "), " ");
            if (prose.Trim().Length == 0)
            {
                continue;
            }

            Assert.True(EnglishProse.Cjk().IsMatch(prose), $"no Chinese in: {line}");
            Assert.True(EnglishProse.Find(prose).Count == 0, $"English prose in: {line}");
        }
    }

    [GeneratedRegex(@"/[^\s（），：；]+")]
    private static partial Regex Paths();

    [GeneratedRegex(@"wsdoctor (serve|cert dev|explain [\w.-]+)|(?<!\w)--?[\w-]+")]
    private static partial Regex Commands();
}
