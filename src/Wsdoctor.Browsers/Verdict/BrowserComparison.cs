using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Verdict;

/// <summary>Sets the browser's verdict beside wsdoctor's: do they agree, and when they do not, why.</summary>
public static partial class BrowserComparison
{
    /// <summary>Browser error texts and the findings that explain them (Chromium net errors, Firefox NSS codes,
    /// Chromium's handshake messages).</summary>
    private static readonly (string Marker, string[] Codes)[] Explained =
    [
        ("ERR_CERT_AUTHORITY_INVALID", [Codes.TlsUntrustedRoot, Codes.TlsSelfSigned, Codes.TlsIncompleteChain, Codes.BrowserCertStricter]),
        ("SEC_ERROR_UNKNOWN_ISSUER", [Codes.TlsUntrustedRoot, Codes.TlsIncompleteChain, Codes.BrowserCertStricter]),
        ("SELF_SIGNED", [Codes.TlsSelfSigned, Codes.TlsUntrustedRoot, Codes.BrowserCertStricter]),
        ("ERR_CERT_COMMON_NAME_INVALID", [Codes.TlsNameMismatch, Codes.TlsIpNotInSan, Codes.BrowserCertStricter]),
        ("BAD_CERT_DOMAIN", [Codes.TlsNameMismatch, Codes.TlsIpNotInSan, Codes.BrowserCertStricter]),
        ("ERR_CERT_DATE_INVALID", [Codes.TlsExpired, Codes.TlsNotYetValid, Codes.BrowserCertStricter]),
        ("EXPIRED_CERTIFICATE", [Codes.TlsExpired, Codes.BrowserCertStricter]),
        ("NOT_YET_VALID", [Codes.TlsNotYetValid, Codes.BrowserCertStricter]),
        ("ERR_UNSAFE_PORT", [Codes.BrowserUnsafePort]),
        ("ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS", [Codes.BrowserLocalNetworkAccess]),
        ("Mixed Content", [Codes.BrowserMixedContent]),
        ("insecure WebSocket", [Codes.BrowserMixedContent]),
        ("Content Security Policy", [Codes.BrowserCspBlocks]),
        ("Content-Security-Policy", [Codes.BrowserCspBlocks]),
        ("NS_ERROR_CONTENT_BLOCKED", [Codes.BrowserCspBlocks]),
        ("The operation is insecure", [Codes.BrowserMixedContent]),
        ("NS_ERROR_CONNECTION_REFUSED", [Codes.TcpRefused, Codes.DnsLocalhostFamily]),
        ("NS_ERROR_UNKNOWN_HOST", [Codes.DnsNotFound]),
        ("NS_ERROR_NET_TIMEOUT", [Codes.TcpTimeout, Codes.HttpNoResponse]),
        ("NS_ERROR_PROXY_CONNECTION_REFUSED", [Codes.ProxyConnectRefused]),
        ("SSL_ERROR_RX_RECORD_TOO_LONG", [Codes.TlsPlaintextPort]),
        ("SSL_ERROR_NO_CYPHER_OVERLAP", [Codes.TlsHandshakeFailed, Codes.TlsWeak]),
        ("SSL_ERROR_PROTOCOL_VERSION_ALERT", [Codes.TlsHandshakeFailed, Codes.TlsWeak]),
        ("ERR_CONNECTION_REFUSED", [Codes.TcpRefused, Codes.DnsLocalhostFamily]),
        ("ERR_NAME_NOT_RESOLVED", [Codes.DnsNotFound]),
        ("ERR_CONNECTION_TIMED_OUT", [Codes.TcpTimeout]),
        ("ERR_ADDRESS_UNREACHABLE", [Codes.TcpUnreachable]),
        ("ERR_SSL_PROTOCOL_ERROR", [Codes.TlsPlaintextPort, Codes.TlsHandshakeFailed]),
        ("ERR_SSL_VERSION_OR_CIPHER_MISMATCH", [Codes.TlsHandshakeFailed, Codes.TlsWeak]),
        ("ERR_CERT_WEAK_SIGNATURE_ALGORITHM", [Codes.TlsWeak]),
        ("CLIENT_AUTH_CERT", [Codes.TlsClientCertRequired]),
        ("ERR_TUNNEL_CONNECTION_FAILED", [Codes.ProxyConnectRefused]),
        ("ERR_PROXY_CONNECTION_FAILED", [Codes.ProxyConnectRefused]),
        ("Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received", [Codes.WsSubprotocolNotSelected]),
        ("Sec-WebSocket-Accept", [Codes.WsBadAccept]),
        ("'Upgrade' header", [Codes.WsMissingUpgradeHeaders]),
        ("'Connection' header", [Codes.WsMissingUpgradeHeaders]),
        ("Sec-WebSocket-Protocol' header if not present", [Codes.WsSubprotocolUnexpected]),
        ("Sec-WebSocket-Extensions", [Codes.WsExtensionUnexpected]),
        ("Invalid status line", [Codes.HttpInvalidResponse, Codes.HttpNoResponse]),
        ("ERR_EMPTY_RESPONSE", [Codes.HttpNoResponse]),
        ("ERR_INVALID_HTTP_RESPONSE", [Codes.HttpInvalidResponse]),
        ("ERR_TIMED_OUT", [Codes.HttpNoResponse, Codes.TcpTimeout]),
        // Chromium's words for a 401 to the upgrade (it looked for credentials to answer the challenge with).
        ("HTTP Authentication failed", [Codes.HttpUnauthorized, Codes.AuthTokenExpired, Codes.AuthTokenNotYetValid]),
    ];

    [GeneratedRegex(@"Unexpected response code: (\d{3})")]
    private static partial Regex UnexpectedStatus();

    public static BrowserObservation Compare(BrowserObservation browser, CheckReport report, CheckOptions options)
    {
        // A browser-layer finding that names the browsers it applies to does not count against the others.
        var errors = report.Findings.Where(f => f.Severity == Severity.Error && f.Code != Codes.BrowserVerdict && AppliesTo(f, browser.Browser)).ToArray();
        var ignored = report.Findings.Where(f => f.Severity == Severity.Error && f.Code != Codes.BrowserVerdict && !AppliesTo(f, browser.Browser)).Select(f => f.Code).Distinct().ToArray();
        var all = report.Findings.Where(f => f.Code != Codes.BrowserVerdict).ToArray();
        var toolVerdict = errors.FirstOrDefault() is { } root ? T($"wsdoctor: {root.Code}", $"wsdoctor：{root.Code}") : T("wsdoctor: the connection works", "wsdoctor：连接正常");
        var name = browser.DisplayLabel;
        Text explanation;
        bool agrees;
        switch (browser.Outcome)
        {
            case BrowserOutcome.NotRun:
                return browser with { Agrees = null, Comparison = T($"{name} could not run the page, so there is nothing to compare: {browser.Error}", $"{name} 无法运行页面，没有可比较的结果：{browser.ErrorShown}") };

            case BrowserOutcome.Opened:
                (agrees, explanation) = OpenedComparison(name, errors, browser);
                if (agrees && ignored.Length > 0)
                {
                    var others = string.Join(", ", ignored);
                    explanation += T($" ({others} applies to other browsers, not to {name})", $"（{others} 只适用于其他浏览器，不适用于 {name}）");
                }

                break;

            default:
                (agrees, explanation) = FailedComparison(name, browser, all, errors, report, options);
                break;
        }

        return browser with { Agrees = agrees, Comparison = T($"{toolVerdict}; {explanation}", $"{toolVerdict}；{explanation}") };
    }

    private static (bool, Text) OpenedComparison(Text name, Finding[] errors, BrowserObservation browser)
    {
        var closedBadly = browser.CloseCode is { } code && code is not (1000 or 1005) ;
        if (errors.Length == 0)
        {
            return closedBadly
                ? (false, T($"{name} opened the WebSocket, but it then closed with {browser.CloseCode} {browser.CloseReason} while wsdoctor's session ended normally",
                    $"{name} 打开了 WebSocket，但随后以 {browser.CloseCode} {browser.CloseReason} 关闭，而 wsdoctor 的会话是正常结束的"))
                : (true, T($"{name} opened it too: they agree", $"{name} 也打开了：两者一致"));
        }

        if (errors.All(e => e.Code == Codes.TlsIncompleteChain))
        {
            return (false, T($"{name} opened it because it completes the chain itself: it downloads the missing intermediate from the certificate's AIA URL. Clients that do not (Firefox, Node.js, Python, Go, curl, Java) fail: serve the full chain",
                $"{name} 能打开，是因为它会自己补全证书链：从证书的 AIA URL 下载缺失的中间证书。不这样做的客户端（Firefox、Node.js、Python、Go、curl、Java）会失败：请提供完整的证书链"));
        }

        var codes = string.Join(", ", errors.Select(e => e.Code).Distinct());
        if (errors.All(e => e.Layer == Layer.Session))
        {
            return (false, T($"{name} opened it; wsdoctor's failure ({codes}) comes from what its session probe did afterwards (ping, --send/--expect), which the page does not do",
                $"{name} 打开了；wsdoctor 的失败（{codes}）来自它的会话探测在连接之后做的事（ping、--send/--expect），而页面不会这样做"));
        }

        if (errors.Any(e => e.Code == Codes.BrowserLocalNetworkAccess))
        {
            return (false, T($"{name} opened it although wsdoctor expects a Local Network Access prompt: this browser build does not enforce Local Network Access for WebSockets, or the permission was already granted",
                $"尽管 wsdoctor 预计会出现 Local Network Access 提示，{name} 还是打开了：这个浏览器版本没有对 WebSocket 强制执行 Local Network Access，或者权限已经授予"));
        }

        return (false, T($"{name} opened it, but wsdoctor reports {codes}: they disagree; the browser's handshake below shows what it sent",
            $"{name} 打开了，但 wsdoctor 报告了 {codes}：两者不一致；下面浏览器的握手信息显示了它发送的内容"));
    }

    private static (bool, Text) FailedComparison(Text name, BrowserObservation browser, Finding[] all, Finding[] errors, CheckReport report, CheckOptions options)
    {
        var error = browser.Error ?? "";
        var expected = Explained.Where(e => error.Contains(e.Marker, StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Codes).ToHashSet(StringComparer.Ordinal);
        var match = all.FirstOrDefault(f => expected.Contains(f.Code));
        if (match is not null)
        {
            return (true, T($"{name} fails for the same reason ({match.Code}): they agree", $"{name} 因同样的原因失败（{match.Code}）：两者一致"));
        }

        // Firefox says only "can't establish a connection" when it refuses by itself (a bad port): no handshake
        // request left the browser, and the browser layer predicted the block for this browser.
        var predicted = all.FirstOrDefault(f => f.Layer == Layer.Browser && f.Severity == Severity.Error
            && f.Data.TryGetValue("blockedBy", out var by) && by is string[] browsers && browsers.Contains(browser.Browser));
        if (predicted is not null && browser.RequestHeaders is null && browser.ResponseStatus is null)
        {
            return (true, T($"{name} refuses before sending anything, as {predicted.Code} predicts: they agree", $"正如 {predicted.Code} 所预测的，{name} 在发送任何数据之前就拒绝了：两者一致"));
        }

        // A page (the probe page in the user's browser) never sees why a WebSocket failed: only close 1006.
        if (error.Length == 0 && errors.FirstOrDefault() is { } cause)
        {
            var closeCode = browser.CloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1006";
            return (true, T($"{name} reports only close {closeCode} (browsers keep the reason from pages); wsdoctor's {cause.Code} is what it runs into",
                $"{name} 只报告了关闭码 {closeCode}（浏览器不会把原因告诉页面）；它遇到的正是 wsdoctor 发现的 {cause.Code}"));
        }

        var statusMatch = UnexpectedStatus().Match(error);
        int? status = statusMatch.Success ? int.Parse(statusMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : error.Contains("HTTP Authentication failed", StringComparison.Ordinal) ? 401
            : browser.ResponseStatus is { } s && s != 101 ? s : null;
        if (status is { } code && report.Connection.HttpStatus == code && errors.Any(e => e.Layer is Layer.Http))
        {
            return (true, T($"{name} got {code} too: they agree", $"{name} 也收到了 {code}：两者一致"));
        }

        if (status is { } refused && refused is 401 or 403 && report.Connection.HttpStatus == 101 && SentHeadersABrowserCannot(options) is { Count: > 0 } headers)
        {
            var sent = string.Join(", ", headers);
            return (false, T($"{name} got {refused} because a page cannot send what wsdoctor sent: {sent} (see auth.header-unavailable-in-browser); send the credential where a browser can (cookie, query, subprotocol, first message)",
                $"{name} 收到 {refused}，因为页面无法发送 wsdoctor 发送的内容：{sent}（见 auth.header-unavailable-in-browser）；请把凭据放在浏览器能发送的地方（cookie、查询参数、子协议、首条消息）"));
        }

        if (status is { } other && report.Connection.HttpStatus == 101)
        {
            return (false, T($"the server answered {name} {other} but wsdoctor 101: the requests differ (the browser's request headers are below: Origin, User-Agent, Cookie, Sec-WebSocket-Extensions); the server treats one of them differently",
                $"服务端给 {name} 的回应是 {other}，给 wsdoctor 的却是 101：两者的请求不同（浏览器的请求头见下方：Origin、User-Agent、Cookie、Sec-WebSocket-Extensions）；服务端对其中某一项的处理不同"));
        }

        if (browser.Outcome == BrowserOutcome.TimedOut)
        {
            return (false, T($"{name} neither opened nor failed in time; a prompt nobody answers (Local Network Access) or a proxy the browser uses can hold a WebSocket like that",
                $"{name} 在限定时间内既没有打开也没有失败；无人回应的提示（Local Network Access）或浏览器使用的代理都可能这样挂住 WebSocket"));
        }

        if (report.RootCause is null)
        {
            var failure = error.Length > 0 ? browser.ErrorShown : T($"close {browser.CloseCode}", $"关闭码 {browser.CloseCode}");
            return (false, T($"{name} fails ({failure}) where wsdoctor connects: a rule of the browser that wsdoctor does not know yet; the browser's own error is the evidence",
                $"wsdoctor 能连接，{name} 却失败了（{failure}）：这是 wsdoctor 还不了解的浏览器规则；浏览器自己的报错就是证据"));
        }

        return (false, T($"{name} fails with '{error}', which does not match wsdoctor's {report.RootCause.Code}: fix that first, then check again",
            $"{name} 失败，报错为 '{browser.ErrorShown}'，与 wsdoctor 发现的 {report.RootCause.Code} 不符：先修复它，再重新检查"));
    }

    private static bool AppliesTo(Finding finding, string browser) =>
        !finding.Data.TryGetValue("blockedBy", out var by) || by is not string[] browsers || browsers.Contains(browser);

    /// <summary>Headers in the request that a page's WebSocket cannot send.</summary>
    private static List<string> SentHeadersABrowserCannot(CheckOptions options)
    {
        var names = options.Headers.Select(h => h.Name)
            .Where(n => !n.Equals("Origin", StringComparison.OrdinalIgnoreCase) && !n.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase) && !n.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (options.Token is not null && options.TokenIn.Kind is TokenPlacementKind.BearerHeader)
        {
            names.Add("Authorization");
        }
        else if (options.Token is not null && options.TokenIn.Kind is TokenPlacementKind.Header)
        {
            names.Add(options.TokenIn.Name!);
        }

        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
