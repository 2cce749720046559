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

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Run_CommandLineMistake_OneErrorLineAndExit2(string[] args, string expected)
    {
        var run = await WsdoctorProcess.RunAsync(args);

        var line = run.AssertUsageError(expected);
        Assert.Equal("", run.Stdout);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w`]+(\.[\w`<>]+)+\(", line);
    }
}
