using System.Text.Json.Nodes;

namespace Wsdoctor.Browsers;

/// <summary>What a driver collected while the page ran, before it is judged: the runner's JSON, the browser's log
/// and console lines, and (Chromium) the WebSocket's network events.</summary>
public sealed class BrowserRun
{
    public required string Browser { get; init; }

    public required string Version { get; init; }

    /// <summary>The runner's result (Page/runner.js), or null when it never returned.</summary>
    public JsonObject? Page { get; set; }

    /// <summary>Why the page could not be run at all (page load failed, the browser crashed).</summary>
    public string? DriverFailure { get; set; }

    public List<string> Log { get; } = [];

    /// <summary>Network.webSocketFrameError / fetchError texts, e.g. "Error in connection establishment: net::ERR_…".</summary>
    public List<string> NetworkErrors { get; } = [];

    public Dictionary<string, string>? RequestHeaders { get; set; }

    public int? ResponseStatus { get; set; }

    public Dictionary<string, string>? ResponseHeaders { get; set; }
}
