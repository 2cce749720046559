using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>What headless Chromium saw on a page (tests/peers/browser/open-page.js --xss): whether any smuggled script ran
/// (window.__xss set, a dialog opened) and the page's visible text.</summary>
public sealed record PageVisit(JsonElement? Xss, IReadOnlyList<string> Dialogs, string Text);

public static class Browser
{
    /// <param name="selector">A Playwright selector whose match means the page is done (<c>text=…</c>, <c>body</c>).</param>
    public static async Task<PageVisit> OpenAsync(string url, string selector)
    {
        var script = Path.Combine(Peers.NodeProject, "browser", "open-page.js");
        await using var node = LongRunningProcess.Start(Peers.Node, [script, url, selector, "60000", "--xss"]);
        var line = await node.Stdout.WaitForAsync(l => l.StartsWith('{'), TimeSpan.FromSeconds(120), "open-page's answer");
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
