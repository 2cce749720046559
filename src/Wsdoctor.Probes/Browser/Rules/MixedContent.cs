using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser.Rules;

/// <summary>The outcome of the mixed-content rule for one page and one WebSocket URL.</summary>
public sealed record MixedContentVerdict(bool Blocked, Text Explanation, string? ConsoleText);

/// <summary>W3C Mixed Content: a page served over https may not open an insecure (ws://) WebSocket unless the URL
/// is potentially trustworthy (localhost, *.localhost, 127.0.0.0/8, ::1). Browsers restrict mixed content only for
/// pages whose own scheme is https (Chromium: SchemeRegistry::ShouldTreatURLSchemeAsRestrictingMixedContent), so an
/// http://localhost page may open anything.</summary>
public static class MixedContent
{
    public static MixedContentVerdict Check(PageOrigin page, string pageUrl, Uri target)
    {
        if (!page.IsHttps)
        {
            return new MixedContentVerdict(false, T($"the page is served over http ({page}), so the browser does not restrict mixed content", $"页面通过 http 提供（{page}），浏览器不会限制混合内容"), null);
        }

        if (target.Scheme == "wss")
        {
            return new MixedContentVerdict(false, T("wss:// from an https page is not mixed content", "从 https 页面连接 wss:// 不属于混合内容"), null);
        }

        var host = target.HostNameType == UriHostNameType.IPv6 ? target.Host : target.IdnHost;
        if (Trustworthiness.Reason(target.Scheme, host) is { } reason)
        {
            return new MixedContentVerdict(false, T($"ws:// from an https page, but {reason}: browsers treat it as potentially trustworthy, not as mixed content", $"虽然是从 https 页面连接 ws://，但 {reason}：浏览器把它视为潜在可信（potentially trustworthy）的地址，而不是混合内容"), null);
        }

        // Chromium's console text (blink MixedContentChecker), quoted so users can match what DevTools shows.
        var console = $"Mixed Content: The page at '{pageUrl}' was loaded over HTTPS, but attempted to connect to the insecure WebSocket endpoint '{target}'. This request has been blocked; this endpoint must be available over WSS.";
        return new MixedContentVerdict(true, T($"an https page ({page}) may not open ws://{target.Authority}: {host} is not a localhost name or a loopback address", $"https 页面（{page}）不能打开 ws://{target.Authority}：{host} 既不是 localhost 名称，也不是回环地址"), console);
    }
}
