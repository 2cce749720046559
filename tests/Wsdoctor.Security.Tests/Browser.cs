using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>What headless Chromium saw on a page (tests/peers/browser/xss-probe.js): whether any smuggled script ran
/// (window.__xss set, a dialog opened) and the page's visible text.</summary>
public sealed record PageVisit(JsonElement? Xss, IReadOnlyList<string> Dialogs, string Text);

public static class Browser
{
    public static async Task<PageVisit> OpenAsync(string url, string waitForText)
    {
        var script = Path.Combine(Peers.NodeProject, "browser", "xss-probe.js");
        await using var node = LongRunningProcess.Start(Peers.Node, [script, url, waitForText, "60000"]);
        var line = await node.Stdout.WaitForAsync(l => l.StartsWith('{'), TimeSpan.FromSeconds(120), "xss-probe's answer");
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.False(root.TryGetProperty("error", out var error), $"Chromium: {error}\n{line}");
        var xss = root.GetProperty("xss");
        return new PageVisit(
            xss.ValueKind == JsonValueKind.Null ? null : xss.Clone(),
            [.. root.GetProperty("dialogs").EnumerateArray().Select(d => d.GetString()!)],
            root.GetProperty("text").GetString()!);
    }
}
