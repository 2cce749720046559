using Wsdoctor.TestPeers;
namespace Wsdoctor.Cli.Tests;

/// <summary>The error contract of CliHost: a command-line mistake is exactly one line on stderr starting
/// "wsdoctor: error:", exit code 2, nothing on stdout, never a help dump or a stack trace.</summary>
public sealed class UsageErrorTests
{
    // Port 9 (discard) on loopback: if a case wrongly went on to check, it would fail fast, never hang.
    private const string Url = "ws://127.0.0.1:9/";

    public static TheoryData<string[], string> Mistakes() => new()
    {
        { [], "no command given; commands: check, " },
        { ["--bogus"], "unknown command or option '--bogus'; commands: check, " },
        { ["chek", Url], "unknown command or option 'chek'" },
        { ["check"], "check needs a URL or --targets FILE" },
        { ["check", Url, "--frobnicate"], "'--frobnicate'" },
        { ["check", Url, "--timeout", "abc"], "--timeout takes a duration such as 5, 1.5s, 500ms or 2m (got 'abc')" },
        { ["check", Url, "-H", "nocolon"], "-H takes 'Name: value' (got 'nocolon')" },
        { ["check", Url, "--token-in", "bogus"], "--token-in must be bearer, subprotocol, query:NAME, cookie:NAME or header:NAME (got 'bogus')" },
        { ["check", Url, "--ca", "/nonexistent/wsdoctor-ca.pem"], "--ca: file not found: /nonexistent/wsdoctor-ca.pem" },
        { ["check", Url, "--send", "hi", "--expect", "("], "--expect is not a valid regular expression" },
        { ["check", Url, "--expect", "^hi$"], "--expect needs --send" },
        { ["check", Url, "-4", "-6"], "-4 and -6 exclude each other" },
        { ["check", Url, "--proxy", "socks5://127.0.0.1:1080"], "--proxy: only HTTP CONNECT proxies (http://) are supported, not socks5://" },
        { ["check", Url, "--proxy", "http://u:hunter2@127.0.0.1:3128/path"], "--proxy: a proxy URL has no path or query ('http://u:***@127.0.0.1:3128/path')" },
        { ["check", Url, "--proxy", "http://127.0.0.1:3128", "--no-proxy"], "--proxy and --no-proxy exclude each other" },
        { ["explain", "no.such-code"], "unknown finding code 'no.such-code' (see: wsdoctor explain --list)" },
        { ["explain", "tls.name-mismach"], "unknown finding code 'tls.name-mismach'; did you mean tls.name-mismatch? (see: wsdoctor explain --list)" },
        { ["lab", "--scenario", "nope"], "unknown lab scenario 'nope' (see: wsdoctor lab --list)" },
    };

    /// <summary>Mistakes of the other commands, each with a word its English line has; under zh-CN the line is Chinese.</summary>
    public static TheoryData<string[], string> OtherMistakes() => new()
    {
        { ["connect", Url, "--max-messages", "0"], "--max-messages must be at least 1" },
        { ["connect", Url, "--protocol", "bogus"], "--protocol must be one of socketio, signalr, graphql, graphql-ws, graphql-transport-ws, subscriptions-transport-ws, mqtt, stomp, none, not 'bogus'" },
        { ["connect", Url, "--token-in", "cookie:"], "--token-in must be bearer, subprotocol, query:NAME, cookie:NAME or header:NAME (got 'cookie:')" },
        { ["bench", Url, "--text", "--binary"], "--text and --binary exclude each other" },
        { ["snippet", "nginx", "--upstream", "nowhere"], "--upstream takes HOST:PORT (got 'nowhere')" },
        { ["snippet", "haproxy", "--path", "ws"], "--path takes a URL path starting with / (got 'ws')" },
        { ["serve", "--max-connections", "0"], "--max-connections and --send-queue must be at least 1" },
        { ["watch", Url, "--ping-timeout", "5s"], "--ping-timeout needs --ping-interval" },
        { ["test", "/nonexistent/wsdoctor-scenario.yaml"], "/nonexistent/wsdoctor-scenario.yaml: no such file" },
        { ["test", BadScenarioFile()], ":3:5: unknown key 'sned' in a step; did you mean 'send'?" },
        { ["cert", "dev", "--install", "--uninstall"], "--install and --uninstall exclude each other" },
        { ["exporter", "--config", "/nonexistent/wsdoctor-exporter.yaml"], "/nonexistent/wsdoctor-exporter.yaml: no such file" },
        { ["--lang", "fr", "check", Url], "--lang must be en or zh-CN (got 'fr')" },
    };

    /// <summary>A scenario file with a typo in a step, written where the test process can find it again.</summary>
    private static string BadScenarioFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wsdoctor-usage-bad-scenario-{Environment.ProcessId}.yaml");
        const string yaml = "target: { url: \"ws://127.0.0.1:9/\" }\nsteps:\n  - sned: hi\n";
        if (!File.Exists(path) || File.ReadAllText(path) != yaml)
        {
            File.WriteAllText(path, yaml);
        }

        return path;
    }

    public static TheoryData<string[]> AllMistakes()
    {
        var all = new TheoryData<string[]>();
        foreach (var row in Mistakes().Concat(OtherMistakes()))
        {
            all.Add((string[])row[0]);
        }

        return all;
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    [MemberData(nameof(OtherMistakes))]
    public async Task Run_CommandLineMistake_OneErrorLineAndExit2(string[] args, string expected)
    {
        var run = await WsdoctorProcess.RunAsync(args);

        var line = run.AssertUsageError(expected);
        Assert.Equal("", run.Stdout);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w`]+(\.[\w`<>]+)+\(", line);
    }

    [Theory]
    [MemberData(nameof(AllMistakes))]
    public async Task Run_CommandLineMistakeUnderZhCn_OneChineseErrorLineAndExit2(string[] args)
    {
        var english = await WsdoctorProcess.RunAsync(args, WsdoctorProcess.Locale("C.UTF-8"));
        var run = await WsdoctorProcess.RunAsync(args, WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("wsdoctor: 错误：", line, StringComparison.Ordinal);
        var message = line["wsdoctor: 错误：".Length..];
        Assert.Matches(EnglishProse.Cjk(), message);
        Assert.Empty(EnglishProse.Find(message));
        Assert.NotEqual(Assert.Single(english.StderrLines)["wsdoctor: error: ".Length..], message);
    }
}
