using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser;

/// <summary>How a real browser's attempt ended, from the page's point of view plus what the browser logged.</summary>
public enum BrowserOutcome
{
    /// <summary>The WebSocket opened (the open event fired).</summary>
    Opened,

    /// <summary>The browser refused before sending anything (mixed content, restricted port, CSP, Local Network Access).</summary>
    Blocked,

    /// <summary>The connection or the handshake failed (error and close 1006).</summary>
    Failed,

    /// <summary>Nothing happened within the time limit (e.g. a permission prompt no one answers).</summary>
    TimedOut,

    /// <summary>The browser could not run the page at all (it crashed, the page did not load): no verdict.</summary>
    NotRun,
}

/// <summary>What one real browser saw when a page at the page origin ran <c>new WebSocket(url, protocols)</c>: the
/// browser's own words (net error, console text), the close code, and the handshake as the browser sent and saw it.
/// Filled by the browser drivers (Wsdoctor.Browsers) and by <c>wsdoctor probe</c>; reported as browser.verdict.</summary>
public sealed record BrowserObservation
{
    /// <summary>The engine family: chromium, firefox, safari or other; browser-specific rules are matched on it.</summary>
    public required string Browser { get; init; }

    /// <summary>True when this is the user's own browser (wsdoctor probe), not a headless one wsdoctor started.</summary>
    public bool UsersBrowser { get; init; }

    /// <summary>Product and version, e.g. "Chromium 156.0.8078.114", or the user agent for probe.</summary>
    public required string Version { get; init; }

    public required string PageOrigin { get; init; }

    public required string Url { get; init; }

    public required BrowserOutcome Outcome { get; init; }

    /// <summary>The browser's own error: net::ERR_…, the console's WebSocket message, a constructor exception.</summary>
    public string? Error { get; init; }

    /// <summary><see cref="Error"/> in every output language, when it is wsdoctor's own words (the page timed out or
    /// returned nothing) rather than the browser's; null when <see cref="Error"/> is the browser's text.</summary>
    public Text? ErrorText { get; init; }

    /// <summary>The error as the texts show it: wsdoctor's words translated, the browser's verbatim.</summary>
    public Text ErrorShown => ErrorText ?? Verbatim(Error ?? "");

    /// <summary>Every console and log line the browser wrote while the page ran (secrets redacted).</summary>
    public IReadOnlyList<string> Console { get; init; } = [];

    public int? CloseCode { get; init; }

    public string? CloseReason { get; init; }

    public bool? WasClean { get; init; }

    /// <summary>The subprotocol the browser reports as selected (ws.protocol).</summary>
    public string? Subprotocol { get; init; }

    /// <summary>Handshake request headers as the browser sent them (when the browser reports them), redacted.</summary>
    public IReadOnlyDictionary<string, string>? RequestHeaders { get; init; }

    /// <summary>Status of the handshake response as the browser saw it; null when none came back.</summary>
    public int? ResponseStatus { get; init; }

    public IReadOnlyDictionary<string, string>? ResponseHeaders { get; init; }

    /// <summary>From the constructor call to open (or to the failure), ms.</summary>
    public double? ElapsedMs { get; init; }

    /// <summary>The whole browser run: start, page, WebSocket, shutdown, ms.</summary>
    public double? TotalMs { get; init; }

    /// <summary>Whether the browser and wsdoctor's own diagnosis agree, and why not when they do not.</summary>
    public bool? Agrees { get; init; }

    public Text? Comparison { get; init; }

    /// <summary>One line: "opened", "blocked: net::ERR_UNSAFE_PORT", ...</summary>
    public Text OutcomeText => Outcome switch
    {
        BrowserOutcome.Opened => CloseCode is { } c && c is not (1000 or 1005) ? T($"opened, then closed {c}", $"已打开，随后以 {c} 关闭") : T("opened", "已打开"),
        BrowserOutcome.Blocked => T($"blocked: {ErrorShown}", $"被拦截：{ErrorShown}"),
        BrowserOutcome.Failed => Error is null && ErrorText is null ? T($"failed: error, close {CloseCode}", $"失败：error 事件，关闭码 {CloseCode}") : T($"failed: {ErrorShown}", $"失败：{ErrorShown}"),
        BrowserOutcome.TimedOut => T($"no result: {ErrorShown}", $"没有结果：{ErrorShown}"),
        _ => T($"not run: {ErrorShown}", $"未运行：{ErrorShown}"),
    };

    /// <summary>"Chromium", "Firefox", "your browser".</summary>
    public string DisplayName => DisplayLabel;

    /// <summary><see cref="DisplayName"/> in every output language.</summary>
    public Text DisplayLabel => UsersBrowser ? T("your browser", "你的浏览器") : Browser switch
    {
        "chromium" => Verbatim("Chromium"),
        "firefox" => Verbatim("Firefox"),
        _ => T("your browser", "你的浏览器"),
    };
}
