using Wsdoctor.TestPeers;
using System.Text.Json;

namespace Wsdoctor.Cli.Tests;

/// <summary>A malformed URL is a diagnosis, not a usage error: a url.* finding with the fix (the corrected URL where
/// there is one), exit 1, and no packet sent.</summary>
public sealed class UrlFindingTests
{
    public static TheoryData<string, string, string, string> Urls() => new()
    {
        { "example.com/ws", "url.missing-scheme", "    fix:      Use wss://example.com/ws (ws:// for plain connections, wss:// for TLS).", "FAIL url.missing-scheme — 'example.com/ws' has no scheme; did you mean wss://example.com/ws?" },
        { "http://x/", "url.http-scheme", "    fix:      Use ws://x/.", "FAIL url.http-scheme — http:// is not a WebSocket scheme; use ws://x/" },
        { "https://x/ws", "url.http-scheme", "    fix:      Use wss://x/ws.", "FAIL url.http-scheme — https:// is not a WebSocket scheme; use wss://x/ws" },
        { "ws://h:99999/", "url.invalid", "    fix:      Use a port number from 1 to 65535.", "FAIL url.invalid — port '99999' is not a number from 1 to 65535" },
        { "ws://h/#x", "url.invalid", "    fix:      Remove '#x' from the URL: ws://h/", "FAIL url.invalid — the URL has a fragment '#x', which WebSocket URLs forbid" },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Check_MalformedUrl_ReportsUrlFindingWithFix(string url, string code, string fixLine, string verdictLine)
    {
        var run = await WsdoctorProcess.RunAsync("check", url);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.Equal(verdictLine, run.StdoutLines[0]);
        Assert.Contains($"✗ {code} (root cause)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(fixLine, run.StdoutLines);
        Assert.Contains($"    more:     wsdoctor explain {code}", run.StdoutLines);
    }

    [Theory]
    [InlineData("example.com/ws", "url.missing-scheme", "wss://example.com/ws")]
    [InlineData("localhost:8080/ws", "url.missing-scheme", "ws://localhost:8080/ws")]
    [InlineData("http://x/", "url.http-scheme", "ws://x/")]
    [InlineData("ws://h/#x", "url.invalid", "ws://h/")]
    public async Task CheckJson_MalformedUrl_CarriesTheCorrectedUrlAndSendsNothing(string url, string code, string suggested)
    {
        var run = await WsdoctorProcess.RunAsync("check", url, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("fail", root.GetProperty("verdict").GetString());
        Assert.Equal(code, root.GetProperty("rootCause").GetProperty("code").GetString());
        Assert.Equal(suggested, root.GetProperty("rootCause").GetProperty("data").GetProperty("suggestedUrl").GetString());
        var statuses = root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["failed", "not-reached", "not-reached", "not-reached", "not-reached", "not-reached", "not-reached", "not-reached", "not-reached"], statuses);
    }
}
