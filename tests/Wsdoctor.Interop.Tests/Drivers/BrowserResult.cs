using System.Text.Json.Nodes;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>What the page's WebSocket object reported (open/sent/message/error/close events) and what Chromium
/// printed to the page console, for one <see cref="BrowserCommand"/>.</summary>
public sealed record BrowserResult(string PageOrigin, IReadOnlyList<JsonObject> Events, IReadOnlyList<string> Console, string Transcript)
{
    public IEnumerable<JsonObject> All(string name) => Events.Where(e => (string?)e["event"] == name);

    public JsonObject? Find(string name) => All(name).FirstOrDefault();

    public bool Opened => Find("open") is not null;

    public JsonObject Close => Find("close") ?? throw new Xunit.Sdk.XunitException($"no close event\n{this}");

    public int CloseCode => (int)Close["code"]!;

    public IReadOnlyList<(string Kind, long Length, string Sha256, string? Text)> Messages(string name = "message") =>
        All(name).Select(e => ((string)e["kind"]!, (long)e["length"]!, (string)e["sha256"]!, (string?)e["text"])).ToList();

    public override string ToString() => Transcript;
}

/// <summary>One WebSocket opened by a page in Chromium; see tests/peers/browser/chromium-driver.js.</summary>
public sealed record BrowserCommand(Uri Url)
{
    public IReadOnlyList<string>? Protocols { get; init; }

    /// <summary>The page the WebSocket is created from; default: the driver's own page (another origin).</summary>
    public Uri? PageUrl { get; init; }

    public IReadOnlyList<BrowserSend>? Send { get; init; }

    /// <summary>Messages to wait for before closing (or returning).</summary>
    public int? Receive { get; init; }

    public BrowserClose? Close { get; init; }

    /// <summary>How long the page waits for the connection to end (default 20 s in the driver).</summary>
    public int? TimeoutMs { get; init; }
}

public sealed record BrowserSend(string? Text = null, int? Binary = null, int? Repeat = null);

public sealed record BrowserClose(int Code, string Reason);
