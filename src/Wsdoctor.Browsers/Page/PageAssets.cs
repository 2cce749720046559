using System.Net;
using System.Reflection;
using System.Text;
using Wsdoctor.Probes.Browser.Csp;

namespace Wsdoctor.Browsers.Page;

/// <summary>The page a browser run loads and the script that opens the WebSocket, embedded in the assembly.</summary>
public static class PageAssets
{
    /// <summary>The runner: a JavaScript function (url, protocols, observeMs, timeoutMs) returning a promise of a
    /// JSON string (see Page/runner.js).</summary>
    public static string Runner { get; } = Load("runner.js").Trim().TrimEnd(';');

    /// <summary>A script expression that runs the runner with these arguments.</summary>
    public static string RunnerCall(BrowserRequest request) =>
        $"({Runner})({JsLiteral.String(request.Url.ToString())}, {JsLiteral.Array(request.Protocols).ToJsonString()}, {(int)request.ObserveWindow.TotalMilliseconds}, {(int)request.Timeout.TotalMilliseconds})";

    /// <summary>The page for a driven browser: no script of its own (the driver evaluates the runner, which the page's
    /// script-src does not govern), the page's &lt;meta&gt; policies in its head.</summary>
    public static string VerdictPage(IEnumerable<ContentSecurityPolicy> policies)
    {
        var html = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">\n");
        foreach (var policy in policies.Where(p => p.Source == PolicySource.MetaTag))
        {
            html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(WebUtility.HtmlEncode(policy.Text)).Append("\">\n");
        }

        html.Append("<title>wsdoctor browser check</title></head><body><p>wsdoctor opens a WebSocket from this page.</p></body></html>\n");
        return html.ToString();
    }

    /// <summary>Response headers for the page: one per header policy, as the real page sent them.</summary>
    public static IReadOnlyList<(string Name, string Value)> VerdictPageHeaders(IEnumerable<ContentSecurityPolicy> policies)
    {
        var headers = new List<(string, string)> { ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store") };
        foreach (var policy in policies)
        {
            if (policy.Source == PolicySource.Header)
            {
                headers.Add(("Content-Security-Policy", policy.Text));
            }
            else if (policy.Source == PolicySource.ReportOnlyHeader)
            {
                headers.Add(("Content-Security-Policy-Report-Only", policy.Text));
            }
        }

        return headers;
    }

    /// <summary>What the driver answers a request of the page with: the page at <see cref="BrowserRequest.PageUrl"/>, and
    /// an empty icon for anything else (headless browsers ask for /favicon.ico), so nothing of the page's own origin
    /// ever goes to the network.</summary>
    public static (IReadOnlyList<(string Name, string Value)> Headers, byte[] Body) Respond(BrowserRequest request, string? url)
    {
        var isPage = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var requested)
            && requested.GetLeftPart(UriPartial.Query) == request.PageUrl.GetLeftPart(UriPartial.Query);
        return isPage
            ? (VerdictPageHeaders(request.Policies), Encoding.UTF8.GetBytes(VerdictPage(request.Policies)))
            : ([("Content-Type", "image/x-icon")], []);
    }

    /// <summary>Whether a URL a browser reports (ws(s):// from Chromium, http(s):// from Firefox's BiDi) is the
    /// WebSocket's: same host, port and path.</summary>
    public static bool IsSocket(string? reported, Uri url) =>
        reported is not null && Uri.TryCreate(reported, UriKind.Absolute, out var u) && u.Host == url.Host && u.Port == url.Port && u.AbsolutePath == url.AbsolutePath;

    public static string Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("page/" + name)
            ?? throw new InvalidOperationException($"embedded page asset {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
