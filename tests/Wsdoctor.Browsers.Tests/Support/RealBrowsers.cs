using System.Text.Json.Nodes;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Browsers.Tests.Support;

/// <summary>Debian's Chromium and Firefox ESR (scripts/deps.sh installs them, and libnss3-tools for --ca). A missing
/// browser fails the test under CI=true and skips it elsewhere, like every real peer.</summary>
public static class RealBrowsers
{
    public const string Chromium = "/usr/bin/chromium";

    public const string Firefox = "/usr/bin/firefox-esr";

    public const string Certutil = "/usr/bin/certutil";

    public static void Require(string browser)
    {
        foreach (var name in browser == "all" ? ["chromium", "firefox"] : new[] { browser })
        {
            Peers.Require(name == "firefox" ? Firefox : Chromium);
        }
    }

    /// <summary>Runs <c>wsdoctor check ARGS --browser BROWSER --json</c> and returns the report.</summary>
    public static async Task<JsonObject> CheckAsync(string browser, params string[] args)
    {
        Require(browser);
        var run = await WsdoctorProcess.RunAsync(["check", .. args, "--browser", browser, "--json"], new Dictionary<string, string>());
        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        var report = JsonNode.Parse(run.Stdout) as JsonObject;
        Assert.True(report is not null, run.ToString());
        return report!;
    }

    public static JsonObject Observation(JsonObject report, string browser) =>
        report["browsers"]!.AsArray().OfType<JsonObject>().SingleOrDefault(b => (string?)b["browser"] == browser)
        ?? throw new Xunit.Sdk.XunitException($"no {browser} verdict in\n{report.ToJsonString()}");

    public static JsonObject? Finding(JsonObject report, string code) =>
        report["findings"]!.AsArray().OfType<JsonObject>().FirstOrDefault(f => (string?)f["code"] == code);

    public static string[] Codes(JsonObject report) =>
        report["findings"]!.AsArray().OfType<JsonObject>().Select(f => (string)f["code"]!).ToArray();

    /// <summary>The report, for assertion messages.</summary>
    public static string Show(JsonObject report) =>
        $"root cause {report["rootCause"]?["code"]}; findings {string.Join(", ", Codes(report))}\n"
        + string.Join('\n', report["browsers"]!.AsArray().OfType<JsonObject>().Select(b => $"{b["browser"]}: {b["outcome"]} {b["error"]} agrees={b["agrees"]} — {b["comparison"]}\n  console: {b["console"]?.ToJsonString()}"));
}
