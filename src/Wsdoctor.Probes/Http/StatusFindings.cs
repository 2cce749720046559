using System.Net;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.ReverseProxies;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Probes.Url;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Http;

/// <summary>Explains an upgrade answered with anything but 101.</summary>
internal static class StatusFindings
{
    private const int MaxRedirects = 5;

    public static async Task AddAsync(DiagnosisContext ctx, Route route, ExchangeResult result, TlsMaterial material)
    {
        var head = result.Head!;
        var status = head.StatusCode;
        var server = head.Get("Server");
        var statusLine = $"HTTP/{head.HttpVersion} {status} {head.Reason}".TrimEnd();
        var evidence = new List<Text> { T($"response: {statusLine}", $"响应：{statusLine}") };
        if (server is not null)
        {
            evidence.Add(Verbatim($"Server: {server}"));
        }

        var body = HttpProbe.BodyText(result.Body);
        var data = new Dictionary<string, object?> { ["status"] = status, ["server"] = server };
        var proxy = ctx.Intermediary;
        if (proxy is not null)
        {
            evidence.Add(T($"answered by {proxy.Display} ({proxy.Evidence})", $"应答方：{proxy.DisplayText}（{proxy.EvidenceText}）"));
            data["proxy"] = proxy.Id;
        }

        if (status is 400 or 403 && ClientCertificateRefusal.Recognise(ctx, status, result.Body, [.. evidence, HttpProbe.BodyLine(body)], data) is { } certificate)
        {
            ctx.Add(certificate);
            return;
        }

        if (ProxyRefusesUpgradeItself(proxy, status, result.Body) is { } refusal)
        {
            evidence.Add(HttpProbe.BodyLine(body));
            evidence.Add(refusal);
            ctx.Add(ProxyDropsUpgrade(proxy!, status, evidence, data));
            return;
        }

        switch (status)
        {
            case >= 200 and < 300:
                var contentType = head.Get("Content-Type");
                evidence.Add(T($"Content-Type: {contentType ?? "(none)"}; body: {body}", $"Content-Type: {(contentType is null ? None : Verbatim(contentType))}；响应体：{body}"));
                var served = proxy is null
                    ? T($"{status} {head.Reason} instead of 101: the request was served as plain HTTP", $"收到的是 {status} {head.Reason}，不是 101：服务端把请求当作普通 HTTP 处理了")
                    : T($"{status} {head.Reason} instead of 101: the request was served as plain HTTP by {proxy.Display}", $"收到的是 {status} {head.Reason}，不是 101：{proxy.DisplayText} 把请求当作普通 HTTP 处理了");
                ctx.Add(Finding.Create(Codes.HttpNotUpgraded,
                    served.Map(m => m.Replace("  ", " ", StringComparison.Ordinal)),
                    evidence,
                    proxy is null ? null
                        : T($"The path is not proxied to the WebSocket application, or {proxy.Name} drops the upgrade. ", $"该路径没有转发到 WebSocket 应用，或者 {proxy.NameText} 丢掉了升级请求。") + ProxyFixes.ForwardUpgrade(proxy),
                    data: data));
                break;
            case >= 300 and < 400:
                await RedirectAsync(ctx, head, evidence, data, material).ConfigureAwait(false);
                break;
            case 400:
                await BadRequestAsync(ctx, route, result, evidence, body, data).ConfigureAwait(false);
                break;
            case 401:
                if (head.Get("WWW-Authenticate") is { } challenge)
                {
                    evidence.Add(Verbatim($"WWW-Authenticate: {challenge}"));
                }

                evidence.Add(CredentialsSent(ctx));
                ctx.Add(Finding.Create(Codes.HttpUnauthorized, T("401 Unauthorized: the credentials are missing, wrong or expired", "401 Unauthorized：凭据缺失、错误或已过期"), evidence, data: data));
                break;
            case 403:
                await OriginProbe.RunAsync(ctx, route, evidence, body, data, material).ConfigureAwait(false);
                break;
            case 404:
                await NotFoundAsync(ctx, route, evidence, body, data, material).ConfigureAwait(false);
                break;
            case 426:
                ctx.Add(UpgradeRequired(head, proxy, evidence, data));
                break;
            case 429:
            case 503 when head.Get("Retry-After") is not null:
                var retry = head.Get("Retry-After");
                evidence.Add(T($"Retry-After: {retry ?? "(absent)"}", $"Retry-After: {(retry is null ? None : Verbatim(retry))}"));
                data["retryAfter"] = retry;
                ctx.Add(Finding.Create(Codes.HttpRateLimited,
                    retry is null
                        ? T($"{status}: the server limits connections", $"{status}：服务端限制了连接")
                        : T($"{status}: the server limits connections; retry after {retry}", $"{status}：服务端限制了连接；Retry-After 为 {retry}"),
                    evidence, data: data));
                break;
            case 502 or 503 or 504 or (>= 520 and <= 527) or 530:
                evidence.Add(HttpProbe.BodyLine(body));
                ctx.Add(Finding.Create(Codes.HttpUpstreamError, UpstreamMessage(status, proxy?.DisplayText ?? (server is null ? null : Verbatim(server))), evidence,
                    UpstreamFix(status, proxy), data));
                break;
            default:
                evidence.Add(HttpProbe.BodyLine(body));
                ctx.Add(Finding.Create(Codes.HttpUnexpectedStatus, T($"the upgrade was refused with {statusLine}", $"升级请求被拒绝：{statusLine}"), evidence, data: data));
                break;
        }
    }

    /// <summary>426 means "upgrade first". If the server would accept version 13, which we sent, it never saw our
    /// Upgrade headers: something in between (typically nginx without proxy_http_version 1.1 and the
    /// Upgrade/Connection lines — Node ws and Python websockets then answer 426) removed them.</summary>
    private static Finding UpgradeRequired(Protocol.Http.ResponseHead head, ProxyIdentity? identified, List<Text> evidence, Dictionary<string, object?> data)
    {
        var versions = head.Get("Sec-WebSocket-Version");
        evidence.Add(T($"request sent Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13; response Sec-WebSocket-Version: {versions ?? "(absent)"}",
            $"请求发送了 Upgrade: websocket、Connection: Upgrade、Sec-WebSocket-Version: 13；响应的 Sec-WebSocket-Version：{(versions is null ? None : Verbatim(versions))}"));
        if (head.Get("Via") is { } via)
        {
            evidence.Add(Verbatim($"Via: {via}"));
        }

        data["serverVersions"] = versions;
        var wantsOtherVersion = versions is not null && !versions.Split(',').Select(v => v.Trim()).Contains("13");
        if (wantsOtherVersion)
        {
            return Finding.Create(Codes.HttpUpgradeRequired, T($"426: the server wants WebSocket version {versions}, not 13", $"426：服务端要求 WebSocket 版本 {versions}，而不是 13"), evidence, data: data);
        }

        evidence.Add(T("the answer asks for an upgrade although the request carried one: the Upgrade/Connection headers did not reach the application",
            "请求里已经带了升级，响应却还在要求升级：Upgrade/Connection 请求头没有到达应用"));
        var proxy = identified ?? (head.Get("Via") is { } viaHeader ? new ProxyIdentity("unknown", viaHeader, null, $"Via: {viaHeader}") : null);
        if (proxy is not null)
        {
            return ProxyDropsUpgrade(proxy, head.StatusCode, evidence, data);
        }

        return Finding.Create(Codes.HttpUpgradeRequired,
            T("426 although the request asked for the upgrade: an intermediary probably removed the Upgrade header", "请求已要求升级，却仍得到 426：很可能是某个中间设备删掉了 Upgrade 请求头"),
            evidence, ProxyFixes.ForwardUpgrade(null), data);
    }

    private static Finding ProxyDropsUpgrade(ProxyIdentity proxy, int status, List<Text> evidence, Dictionary<string, object?> data)
    {
        data["proxy"] = proxy.Id;
        data["proxyName"] = proxy.Display;
        return Finding.Create(Codes.HttpProxyDropsUpgrade,
            T($"{status} through {proxy.Display}: the proxy does not forward the WebSocket upgrade", $"经过 {proxy.DisplayText} 得到 {status}：该代理没有转发 WebSocket 升级请求"), evidence,
            ProxyFixes.ForwardUpgrade(proxy), data);
    }

    /// <summary>Proxies that refuse the upgrade themselves, with a recognisable answer: Envoy without
    /// upgrade_configs websocket (403, empty body), Apache without the module for ws:// (500 AH01144).</summary>
    private static Text? ProxyRefusesUpgradeItself(ProxyIdentity? proxy, int status, byte[] body) => (proxy?.Id, status) switch
    {
        ("envoy", 403) when body.Length == 0 => T("Envoy answers a WebSocket upgrade with 403 and an empty body when its upgrade_configs lacks websocket",
            "Envoy 的 upgrade_configs 里没有 websocket 时，会用 403 和空响应体应答 WebSocket 升级请求"),
        // Apache's own 500 page (not the application's) to an upgrade: no loaded module handles the ws:// URL of the
        // ProxyPass. The error log names it: "AH01144: No protocol handler was valid for the URL".
        ("apache", 500) when Encoding.UTF8.GetString(body).Contains("The server encountered an internal error or", StringComparison.Ordinal)
            => T("Apache's own 500 page: for an upgrade this is AH01144 in error_log (\"No protocol handler was valid for the URL\"): no loaded module handles the ws:// URL of the ProxyPass",
                "Apache 自己的 500 错误页：对升级请求来说，这就是 error_log 中的 AH01144（\"No protocol handler was valid for the URL\"）：没有已加载的模块能处理 ProxyPass 里的 ws:// URL"),
        _ => null,
    };

    /// <summary>The application's own refusal text, passed through by the proxy, says it saw no upgrade
    /// (Python websockets: "invalid Connection header: close", or "did not receive a valid HTTP request" when nginx
    /// speaks its default HTTP/1.0 upstream; Node ws: "Invalid Upgrade header").</summary>
    private static bool BackendSawNoUpgrade(string body) =>
        body.Contains("did not receive a valid HTTP request", StringComparison.OrdinalIgnoreCase)
        || body.Contains("HTTP/1.0", StringComparison.Ordinal) ||
        body.Contains("Upgrade header", StringComparison.OrdinalIgnoreCase)
        || body.Contains("Connection header", StringComparison.OrdinalIgnoreCase)
        || body.Contains("not a websocket", StringComparison.OrdinalIgnoreCase)
        || body.Contains("upgrade required", StringComparison.OrdinalIgnoreCase)
        || body.Contains("Can \"Upgrade\" only to \"WebSocket\"", StringComparison.OrdinalIgnoreCase);

    private static Text CredentialsSent(DiagnosisContext ctx)
    {
        var sent = new List<Text>();
        if (ctx.Options.Token is not null)
        {
            sent.Add(Verbatim($"--token ({ctx.Options.TokenIn.Kind}{(ctx.Options.TokenIn.Name is { } n ? $" {n}" : "")})"));
        }

        if (ctx.Options.Cookie is not null || ctx.Options.Headers.Any(h => h.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)))
        {
            sent.Add(Verbatim("cookie"));
        }

        if (ctx.Options.Headers.Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            sent.Add(T("Authorization header", "Authorization 请求头"));
        }

        var list = Join(T(", ", "、"), sent);
        return sent.Count == 0
            ? T("credentials sent: none (use --token, --cookie or -H)", "已发送的凭据：无（用 --token、--cookie 或 -H 传入）")
            : T($"credentials sent: {list}", $"已发送的凭据：{list}");
    }

    private static async Task BadRequestAsync(DiagnosisContext ctx, Route route, ExchangeResult result, List<Text> evidence, Text body, Dictionary<string, object?> data)
    {
        evidence.Add(HttpProbe.BodyLine(body));
        var text = Encoding.UTF8.GetString(result.Body);
        if (!ctx.Target.IsSecure && (text.Contains("plain HTTP request was sent to HTTPS port", StringComparison.OrdinalIgnoreCase)
            || await SpeaksTlsAsync(ctx, route).ConfigureAwait(false)))
        {
            evidence.Add(T("the same port completes a TLS handshake: it is an HTTPS/WSS port", "同一端口能完成 TLS 握手：这是 HTTPS/WSS 端口"));
            HttpProbe.ExpectedPlaintext(ctx, result, evidence);
            return;
        }

        var proxy = ctx.Intermediary ?? (result.Head!.Get("Via") is { } via ? new ProxyIdentity("unknown", via, null, $"Via: {via}") : null);
        if (proxy is not null && BackendSawNoUpgrade(text))
        {
            evidence.Add(T("the application's own error, passed through the proxy, says the Upgrade/Connection headers did not arrive",
                "代理原样转发的是应用自己的错误，说明 Upgrade/Connection 请求头没有到达应用"));
            ctx.Add(ProxyDropsUpgrade(proxy, 400, evidence, data));
            return;
        }

        ctx.Add(Finding.Create(Codes.HttpBadRequest,
            proxy is not null
                ? T($"400 from {proxy.Display}: the upgrade probably did not reach the application intact", $"{proxy.DisplayText} 返回 400：升级请求很可能没有完整地到达应用")
                : T("400 Bad Request to the upgrade request", "升级请求得到 400 Bad Request"),
            evidence, proxy is null ? null : ProxyFixes.ForwardUpgrade(proxy), data));
    }

    private static async Task<bool> SpeaksTlsAsync(DiagnosisContext ctx, Route route)
    {
        if (ctx.Options.NoFollowUpProbes)
        {
            return false;
        }

        var (protocol, _) = await Dialer.TlsProbeAsync(route, ctx.Target.Host.Trim('[', ']'), System.Security.Authentication.SslProtocols.None,
            TlsFailure.FollowUpTimeout(ctx), ctx.Deadline).ConfigureAwait(false);
        return protocol is not null;
    }

    private static async Task NotFoundAsync(DiagnosisContext ctx, Route route, List<Text> evidence, Text body, Dictionary<string, object?> data, TlsMaterial material)
    {
        evidence.Add(HttpProbe.BodyLine(body));
        var path = ctx.Target.Uri.AbsolutePath;
        string? working = null;
        if (!ctx.Options.NoFollowUpProbes)
        {
            var alternatives = new List<string> { path.EndsWith('/') && path.Length > 1 ? path.TrimEnd('/') : path + "/" };
            if (!path.StartsWith("/socket.io", StringComparison.Ordinal))
            {
                alternatives.Add("/ws");
            }

            foreach (var alternative in alternatives.Where(a => a != path).Distinct())
            {
                var target = ctx.Target.WithPathAndQuery(alternative + ctx.Target.Uri.Query);
                var answer = await FollowUpRequest.SendAsync(ctx, route, target, ctx.Options.Origin, material).ConfigureAwait(false);
                var code = answer?.Head?.StatusCode;
                evidence.Add(T($"tried {alternative}: {(code is null ? "no answer" : code.ToString())}", $"尝试 {alternative}：{(code is null ? NoAnswer : Verbatim(code.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))}"));
                if (code == 101)
                {
                    working = alternative;
                    break;
                }
            }
        }

        data["path"] = path;
        data["workingPath"] = working;
        ctx.Add(Finding.Create(Codes.HttpNotFound,
            working is null
                ? T($"nothing is mounted at {path}", $"{path} 上没有挂载任何端点")
                : T($"nothing is mounted at {path}, but {working} answers 101", $"{path} 上没有挂载任何端点，但 {working} 返回 101"),
            evidence,
            working is null ? null : UsePath(working, ctx.Target.WithPathAndQuery(working + ctx.Target.Uri.Query).Uri.ToString()),
            data));
    }

    private static Text UsePath(string working, string url) => T($"Use the path {working}: {url}", $"改用路径 {working}：{url}");

    /// <summary>"(none)" / "(absent)": a header that was not there.</summary>
    private static Text None => T("(none)", "（无）");

    private static Text NoAnswer => T("no answer", "无应答");

    private static async Task RedirectAsync(DiagnosisContext ctx, Protocol.Http.ResponseHead head, List<Text> evidence, Dictionary<string, object?> data, TlsMaterial material)
    {
        var current = ctx.Target;
        var location = head.Get("Location");
        var hops = new List<string>();
        string? final = null;
        int? finalStatus = null;
        for (var hop = 0; hop < MaxRedirects && location is not null; hop++)
        {
            if (!TryResolve(current, location, out var next))
            {
                evidence.Add(T($"Location '{location}' cannot be turned into a ws:// or wss:// URL", $"Location '{location}' 无法转换成 ws:// 或 wss:// URL"));
                break;
            }

            hops.Add(next.Uri.ToString());
            final = next.Uri.ToString();
            if (ctx.Options.NoFollowUpProbes)
            {
                break;
            }

            var crossHost = !SameAuthority(ctx.Target, next);
            if (crossHost && ctx.Options.StayOnTargetHost)
            {
                evidence.Add(T("not followed: it leads to another host, and this probe opens connections to the target's host only",
                    "未跟随：它指向另一个主机，而这项探测只连接目标主机"));
                break;
            }

            // Like browsers' fetch and curl without --location-trusted: credentials go to the host they were given
            // for, never to the host a redirect names (it could be anyone's).
            var answer = crossHost
                ? await FollowUpRequest.SendAsync(ctx, null, next, ctx.Options.Origin, material with { ClientCertificate = null }, WithoutCredentials(ctx.Options)).ConfigureAwait(false)
                : await FollowUpRequest.SendAsync(ctx, null, next, ctx.Options.Origin, material).ConfigureAwait(false);
            finalStatus = answer?.Head?.StatusCode;
            if (finalStatus is not (>= 300 and < 400))
            {
                break;
            }

            current = next;
            location = answer!.Head!.Get("Location");
        }

        // Locations often carry tokens (login redirects): shown redacted like every other URL.
        string Show(string? url) => url is null ? "(absent)" : ctx.Options.ShowSecrets ? url : Protocol.Secrets.SecretRedactor.RedactUrl(url);
        evidence.Add(head.Get("Location") is null ? T($"Location: {Show(null)}", $"Location: {None}") : Verbatim($"Location: {Show(head.Get("Location"))}"));
        if (hops.Count > 0)
        {
            var chain = $"{Show(ctx.Target.Uri.ToString())} -> {string.Join(" -> ", hops.Select(Show))}";
            evidence.Add(T($"redirect chain: {chain}", $"重定向链：{chain}") +
                (finalStatus is null ? Empty : T($" (final answer {finalStatus})", $"（最终应答 {finalStatus}）")));
        }

        final = final is null ? null : Show(final);
        data["location"] = head.Get("Location") is null ? null : Show(head.Get("Location"));
        data["finalUrl"] = final;
        data["finalStatus"] = finalStatus;
        ctx.Add(Finding.Create(Codes.HttpRedirect,
            final is null
                ? T($"{head.StatusCode} redirect; browsers do not follow it", $"{head.StatusCode} 重定向；浏览器不会跟随这个重定向")
                : T($"{head.StatusCode} redirect to {final}; browsers do not follow it", $"{head.StatusCode} 重定向到 {final}；浏览器不会跟随这个重定向"),
            evidence,
            final is null ? null : T($"Connect to the final URL directly: {final}", $"直接连接最终的 URL：{final}"),
            data));
    }

    private static bool SameAuthority(TargetUrl a, TargetUrl b) =>
        a.IsSecure == b.IsSecure && a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

    private static CheckOptions WithoutCredentials(CheckOptions options) => options with
    {
        Token = null,
        Cookie = null,
        Headers = [.. options.Headers.Where(h => !Protocol.Secrets.SecretRedactor.IsSecretHeader(h.Name))],
        CertFile = null,
        KeyFile = null,
    };

    private static bool TryResolve(TargetUrl current, string location, out TargetUrl next)
    {
        next = current;
        var httpBase = new Uri((current.IsSecure ? "https" : "http") + current.Uri.ToString()[current.Uri.Scheme.Length..]);
        if (!Uri.TryCreate(httpBase, location, out var absolute))
        {
            return false;
        }

        var scheme = absolute.Scheme switch { "https" or "wss" => "wss", "http" or "ws" => "ws", _ => null };
        if (scheme is null)
        {
            return false;
        }

        next = new TargetUrl(new Uri(scheme + absolute.ToString()[absolute.Scheme.Length..]));
        return true;
    }

    private static Text UpstreamMessage(int status, Text? server)
    {
        var who = server ?? T("the proxy", "代理");
        return status switch
        {
            502 => T($"502 Bad Gateway from {who}: the application behind it is down or answered garbage", $"{who} 返回 502 Bad Gateway：它后面的应用挂了，或者返回了无法解析的内容"),
            503 => T($"503 Service Unavailable from {who}: no healthy application behind it", $"{who} 返回 503 Service Unavailable：它后面没有健康的应用"),
            504 => T($"504 Gateway Timeout from {who}: the application did not answer in time", $"{who} 返回 504 Gateway Timeout：应用没有及时应答"),
            520 => T("Cloudflare 520: the origin returned an empty or unknown response", "Cloudflare 520：源站返回了空响应或无法识别的响应"),
            521 => T("Cloudflare 521: the origin server is down (refused Cloudflare's connection)", "Cloudflare 521：源站服务器宕机了（拒绝了 Cloudflare 的连接）"),
            522 => T("Cloudflare 522: Cloudflare timed out connecting to the origin", "Cloudflare 522：Cloudflare 连接源站超时"),
            523 => T("Cloudflare 523: the origin is unreachable", "Cloudflare 523：源站不可达"),
            524 => T("Cloudflare 524: the origin accepted the connection but did not answer in time", "Cloudflare 524：源站接受了连接，但没有及时应答"),
            525 => T("Cloudflare 525: the TLS handshake between Cloudflare and the origin failed", "Cloudflare 525：Cloudflare 与源站之间的 TLS 握手失败"),
            526 => T("Cloudflare 526: the origin's certificate is invalid (Full (strict) mode)", "Cloudflare 526：源站的证书无效（Full (strict) 模式）"),
            527 => T("Cloudflare 527: Railgun connection error", "Cloudflare 527：Railgun 连接错误"),
            _ => T($"{status} from {who}: the upstream failed", $"{who} 返回 {status}：上游出错"),
        };
    }

    private static Text? UpstreamFix(int status, ProxyIdentity? proxy) => status switch
    {
        502 or 503 => T("Start/fix the application behind the proxy and check the proxy's upstream address", "启动或修复代理后面的应用，并检查代理配置的上游地址") + proxy?.Id switch
        {
            "haproxy" => T(" (HAProxy: the backend's servers are all down or failing their health checks: `echo 'show servers state' | socat stdio /run/haproxy/admin.sock`, and the log's \"no server available\").",
                "（HAProxy：backend 的服务器全部宕机或健康检查失败：`echo 'show servers state' | socat stdio /run/haproxy/admin.sock`，以及日志中的 \"no server available\"）。"),
            "apache" => T(" (Apache: error_log AH00957 connect to backend failed / AH01102 error reading status line).",
                "（Apache：error_log 中的 \"AH00957 connect to backend failed\" / \"AH01102 error reading status line\"）。"),
            "envoy" => T(" (Envoy: the cluster has no healthy endpoint: /clusters on the admin port).", "（Envoy：该 cluster 没有健康的端点：查看 admin 端口上的 /clusters）。"),
            "traefik" => T(" (Traefik: the router's service has no reachable server).", "（Traefik：路由对应的 service 没有可达的服务器）。"),
            "caddy" => T(" (Caddy: the reverse_proxy upstream refused or failed: caddy's log \"dial tcp ... connect: connection refused\").",
                "（Caddy：reverse_proxy 的上游拒绝了连接或出错：caddy 日志中的 \"dial tcp ... connect: connection refused\"）。"),
            _ => T(" (nginx error.log: connect() failed / upstream prematurely closed).", "（nginx error.log：connect() failed / upstream prematurely closed）。"),
        },
        504 or 524 => T("Make the application answer the upgrade faster, or raise the proxy's timeout (nginx proxy_connect_timeout / proxy_read_timeout).",
            "让应用更快地应答升级请求，或者调大代理的超时（nginx 的 proxy_connect_timeout / proxy_read_timeout）。"),
        521 or 522 or 523 => T("Start the origin server and allow Cloudflare's IP ranges in its firewall.", "启动源站服务器，并在它的防火墙中放行 Cloudflare 的 IP 段。"),
        525 or 526 => T("Install a valid certificate on the origin that covers the origin host name (or a Cloudflare Origin CA certificate).",
            "在源站安装一张覆盖源站主机名的有效证书（或 Cloudflare Origin CA 证书）。"),
        _ => null,
    };
}
