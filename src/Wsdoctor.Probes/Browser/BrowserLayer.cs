using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser;

/// <summary>The browser layer (last in the layer order): the rules a browser applies before, or instead of, the
/// connection that a command-line client makes — mixed content, the restricted ports, Local Network Access,
/// the page's Content-Security-Policy, and certificate errors that only --insecure let through. These rules do not
/// depend on the server answering, so they are judged even when an earlier layer failed.</summary>
internal static class BrowserLayer
{
    public static async Task RunAsync(DiagnosisContext ctx, Task<PageFetch>? pageFetch)
    {
        if (ctx.Target is null)
        {
            return;
        }

        if (!ctx.Options.BrowserLayer)
        {
            return;
        }

        var target = ctx.Target.Uri;
        var port = RestrictedPorts.Check(ctx.Target.Port);
        var page = ctx.Options.PageOrigin!;
        var pageUrl = ctx.Options.PageUrl?.ToString() ?? page.Serialized + "/";
        var notes = new List<Text>();
        var effective = target;
        PageFetch? fetched = null;
        CspVerdict? csp = null;
        if (pageFetch is not null)
        {
            fetched = await pageFetch.ConfigureAwait(false);
            if (fetched.Succeeded)
            {
                csp = CspEvaluation.Evaluate(fetched.Policies, page, target);
                effective = csp.EffectiveUrl;
            }
        }

        var mixed = MixedContent.Check(page, pageUrl, effective);
        if (mixed.Blocked)
        {
            ctx.Add(MixedContentFinding(page, effective, mixed));
        }

        if (port.BlockedAnywhere)
        {
            ctx.Add(UnsafePort(port));
        }

        if (csp is not null)
        {
            CspFindings(ctx, page, fetched!, csp, notes);
        }
        else if (fetched is { Succeeded: false } failed)
        {
            notes.Add(T($"page {failed.RequestedUrl} not read: {failed.Error}", $"未能读取页面 {failed.RequestedUrl}：{failed.Error!}"));
        }

        notes.Add(await LocalNetworkAccess.RunAsync(ctx, page, effective).ConfigureAwait(false));
        CertificateStricter(ctx);

        var head = T($"page {page}", $"页面 {page}") + (mixed.Blocked ? T(": mixed content", "：混合内容") : Text.Empty);
        var summary = Text.Join(T("; ", "；"), notes.Where(n => n.En.Length > 0).Prepend(head));
        ctx.Layer(Layer.Browser, ctx.StatusOf(Layer.Browser), null, summary);
    }

    private static Finding MixedContentFinding(PageOrigin page, Uri target, MixedContentVerdict mixed)
    {
        var secure = new UriBuilder(target) { Scheme = "wss", Port = target.Port == 80 ? -1 : target.Port }.Uri;
        return Finding.Create(Codes.BrowserMixedContent,
            T($"a page at {page} cannot open {target}: the browser blocks ws:// from https pages as mixed content", $"{page} 上的页面无法打开 {target}：浏览器会把 https 页面发起的 ws:// 连接当作混合内容拦截"),
            [T($"page origin: {page} (https)", $"页面源：{page}（https）"), T($"WebSocket URL: {target}", $"WebSocket URL：{target}"), mixed.Explanation,
             T($"Chromium console: {mixed.ConsoleText}", $"Chromium 控制台：{mixed.ConsoleText}"),
             T("Firefox refuses the same way (SecurityError). The request never leaves the browser, so wscat, curl or wsdoctor without --page-origin connect fine",
                "Firefox 同样会拒绝（SecurityError）。请求根本不会离开浏览器，所以 wscat、curl 或不带 --page-origin 的 wsdoctor 都能正常连接")],
            T($"Serve the WebSocket over TLS and open {secure} from the page: build the URL from location (`(location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws'`) and put the socket behind the site's TLS reverse proxy.",
                $"通过 TLS 提供 WebSocket，并在页面中打开 {secure}：根据 location 构造 URL（`(location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws'`），并把 WebSocket 放到站点的 TLS 反向代理后面。"),
            new Dictionary<string, object?> { ["pageOrigin"] = page.Serialized, ["url"] = target.ToString(), ["consoleText"] = mixed.ConsoleText, ["blockedBy"] = new[] { "chromium", "firefox" } });
    }

    private static Finding UnsafePort(PortVerdict port)
    {
        var blockedBy = new List<string>();
        if (port.BlockedByChromium)
        {
            blockedBy.Add("chromium");
        }

        if (port.BlockedByFirefox)
        {
            blockedBy.Add("firefox");
        }

        var service = port.Service is null ? Text.Empty : T($" ({port.Service})", $"（{port.Service}）");
        // Chinese puts no space after the full-width parenthesis, one after a bare number.
        var portZh = port.Service is null ? $"端口 {port.Port} " : $"端口 {port.Port}（{port.Service}）";
        static Text Listed(bool listed) => listed ? T("listed", "在列表中") : T("not listed", "不在列表中");
        var inChromium = Listed(port.BlockedByChromium);
        var inFetch = Listed(port.BlockedByFetchStandard);
        var evidence = new List<Text>
        {
            T($"port {port.Port}{service} is on the restricted port list of {port.Browsers}", $"{portZh}在受限端口列表中：{port.Browsers}"),
            T($"Chromium's kRestrictedPorts (net/base/port_util.cc): {inChromium}; the Fetch standard's bad ports (fetch.spec.whatwg.org/#bad-port, which Firefox applies): {inFetch}",
                $"Chromium 的 kRestrictedPorts（net/base/port_util.cc）：{inChromium}；Fetch 标准的 bad ports（fetch.spec.whatwg.org/#bad-port，Firefox 采用）：{inFetch}"),
        };
        if (port.BlockedByChromium)
        {
            evidence.Add(T("Chromium fails the connection with net::ERR_UNSAFE_PORT before sending anything; the page sees error and close 1006",
                "Chromium 在发送任何数据之前就以 net::ERR_UNSAFE_PORT 让连接失败；页面只会看到 error 事件和关闭码 1006"));
        }

        return Finding.Create(Codes.BrowserUnsafePort,
            T($"browsers refuse port {port.Port}{service}: it is on the restricted port list of {port.Browsers}", $"浏览器拒绝端口 {port.Port}{service}：它在受限端口列表中，受影响的浏览器：{port.Browsers}"),
            evidence,
            T($"Serve the WebSocket on a port browsers allow (443 behind the site's reverse proxy, or e.g. 8080). For a local test only, Chromium takes --explicitly-allowed-ports={port.Port} and Firefox the pref network.security.ports.banned.override={port.Port}.",
                $"把 WebSocket 放到浏览器允许的端口上（站点反向代理后面的 443，或 8080 之类的端口）。仅在本地测试时，Chromium 可以加 --explicitly-allowed-ports={port.Port}，Firefox 可以设置首选项 network.security.ports.banned.override={port.Port}。"),
            new Dictionary<string, object?> { ["port"] = port.Port, ["service"] = port.Service, ["blockedBy"] = blockedBy.ToArray() });
    }

    private static void CspFindings(DiagnosisContext ctx, PageOrigin page, PageFetch fetched, CspVerdict csp, List<Text> notes)
    {
        var redirects = fetched.Redirects.Count > 0 ? string.Join(", ", fetched.Redirects) : null;
        var status = redirects is null
            ? T($"fetched {fetched.FinalUrl} ({fetched.Status})", $"已获取 {fetched.FinalUrl}（{fetched.Status}）")
            : T($"fetched {fetched.FinalUrl} ({fetched.Status}) after {redirects}", $"已获取 {fetched.FinalUrl}（{fetched.Status}），经过 {redirects}");
        var upgraded = csp.Upgraded ? T($"upgrade-insecure-requests turns {ctx.Target.Uri} into {csp.EffectiveUrl} before any check", $"upgrade-insecure-requests 会在任何检查之前把 {ctx.Target.Uri} 变成 {csp.EffectiveUrl}") : null;
        if (!csp.Blocked)
        {
            var allowedBy = string.Join(", ", csp.Decisions.Where(d => d.Policy.Enforced && d.AllowedBy is not null).Select(d => $"{d.Directive} {d.AllowedBy}"));
            notes.Add(fetched.Policies.Count == 0 ? T("the page sends no Content-Security-Policy", "页面没有发送 Content-Security-Policy")
                : allowedBy.Length > 0 ? T($"CSP allows it ({allowedBy})", $"CSP 允许该连接（{allowedBy}）") : T("CSP has no connect-src or default-src", "CSP 中没有 connect-src 或 default-src"));
            if (csp.Upgraded)
            {
                notes.Add(upgraded!);
            }

            foreach (var reportOnly in csp.ReportOnlyViolations)
            {
                var policy = $"{reportOnly.Directive} {string.Join(' ', reportOnly.Sources)}";
                notes.Add(T($"the report-only policy '{policy}' would block it (reported, not enforced)", $"report-only 策略 '{policy}' 会拦截它（只报告，不强制执行）"));
            }

            return;
        }

        var blocking = csp.Blocking.ToArray();
        var first = blocking[0];
        var evidence = new List<Text> { status };
        if (upgraded is not null)
        {
            evidence.Add(upgraded);
        }

        foreach (var d in blocking)
        {
            evidence.Add(T($"{d.Policy.SourceName}: {d.Policy.Text}", $"{d.Policy.SourceLabel}：{d.Policy.Text}"));
            var sources = string.Join(' ', d.Sources);
            var fallback = d.Directive == "default-src" ? T(" (no connect-src, so default-src applies)", "（没有 connect-src，所以适用 default-src）") : Text.Empty;
            evidence.Add(T($"-> {d.Directive} {sources} does not allow {csp.EffectiveUrl}{fallback}", $"-> {d.Directive} {sources} 不允许 {csp.EffectiveUrl}{fallback}"));
        }

        evidence.Add(T($"Chromium console: {csp.ConsoleText}", $"Chromium 控制台：{csp.ConsoleText}"));
        var addition = CspAddition(csp.EffectiveUrl);
        var kept = string.Join(' ', first.Sources.Where(s => s != "'none'"));
        var snippets = Verbatim("\n  nginx:   add_header Content-Security-Policy \"... connect-src 'self' " + addition + "\" always;"
            + "\n  Express: helmet.contentSecurityPolicy({ directives: { connectSrc: [\"'self'\", \"" + addition + "\"] } })");
        var fix = T($"Add {addition} to connect-src in the {first.Policy.SourceName} (keep what is there): connect-src {kept} {addition}",
                $"在 {first.Policy.SourceLabel}的 connect-src 中加入 {addition}（保留原有内容）：connect-src {kept} {addition}")
            + snippets
            + (blocking.Length > 1 ? T("\nEvery enforced policy must allow it: change each one listed above.", "\n每条强制执行的策略都必须允许它：逐一修改上面列出的策略。") : Text.Empty);
        var firstSources = string.Join(' ', first.Sources);
        ctx.Add(Finding.Create(Codes.BrowserCspBlocks,
            T($"the page's Content-Security-Policy blocks {csp.EffectiveUrl}: {first.Directive} {firstSources}", $"页面的 Content-Security-Policy 拦截了 {csp.EffectiveUrl}：{first.Directive} {firstSources}"),
            evidence, fix,
            new Dictionary<string, object?>
            {
                ["pageUrl"] = fetched.FinalUrl?.ToString(),
                ["directive"] = first.Directive,
                ["sources"] = first.Sources.ToArray(),
                ["policySource"] = first.Policy.Source.ToString().ToLowerInvariant(),
                ["checkedUrl"] = csp.EffectiveUrl.ToString(),
                ["consoleText"] = csp.ConsoleText,
            }));
    }

    /// <summary>The narrowest source expression that allows the URL: scheme, host and a non-default port.</summary>
    private static string CspAddition(Uri url) =>
        url.IsDefaultPort ? $"{url.Scheme}://{url.Authority}" : $"{url.Scheme}://{url.Host}:{url.Port}";

    private static void CertificateStricter(DiagnosisContext ctx)
    {
        if (!ctx.Options.Insecure)
        {
            return;
        }

        var certificateErrors = ctx.Findings.Where(f => f.Layer == Layer.Tls && f.Severity == Severity.Error && BrowserCertificateErrors.For(f.Code) is not null).ToArray();
        if (certificateErrors.Length == 0)
        {
            return;
        }

        var evidence = new List<Text>
        {
            T("wsdoctor went past the certificate error only because of --insecure (-k), like Postman with SSL verification off, curl -k or wscat --no-check",
                "wsdoctor 之所以能跳过这个证书错误，只是因为用了 --insecure（-k），就像关闭了 SSL 验证的 Postman、curl -k 或 wscat --no-check"),
        };
        var chromium = new List<string>();
        var chromiumTexts = new List<Text>();
        var firefox = new List<string>();
        foreach (var finding in certificateErrors)
        {
            var errors = BrowserCertificateErrors.For(finding.Code)!;
            evidence.Add(T($"{finding.Code}: {finding.Message} -> Chromium {errors.Chromium}, Firefox {errors.Firefox}", $"{finding.Code}：{finding.Message} -> Chromium {errors.ChromiumText}，Firefox {errors.Firefox}"));
            chromium.Add(errors.Chromium);
            chromiumTexts.Add(errors.ChromiumText);
            firefox.Add(errors.Firefox);
        }

        evidence.Add(T("a browser has no \"proceed anyway\" for a WebSocket: the socket fails and the page sees only error and close 1006",
            "浏览器对 WebSocket 没有 \"proceed anyway\"（仍然继续）的选项：连接直接失败，页面只会看到 error 事件和关闭码 1006"));
        var refused = Text.Join(", ", chromiumTexts.Distinct());
        var certificateFix = certificateErrors[0].Fix;
        ctx.Add(Finding.Create(Codes.BrowserCertStricter,
            T($"the certificate works only with verification off: browsers refuse it ({refused})", $"这个证书只有在关闭验证时才能用：浏览器会拒绝它（{refused}）"),
            evidence,
            T($"Fix the certificate, not the client: {certificateFix}", $"该修的是证书，而不是客户端：{certificateFix}"),
            new Dictionary<string, object?> { ["tlsCodes"] = certificateErrors.Select(f => f.Code).ToArray(), ["chromium"] = chromium.Distinct().ToArray(), ["firefox"] = firefox.Distinct().ToArray() }));
    }
}
