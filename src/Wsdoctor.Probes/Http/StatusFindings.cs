using System.Net;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.ReverseProxies;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Probes.Url;

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
        var evidence = new List<string> { $"response: {statusLine}" };
        if (server is not null)
        {
            evidence.Add($"Server: {server}");
        }

        var body = HttpProbe.BodySnippet(result.Body);
        var data = new Dictionary<string, object?> { ["status"] = status, ["server"] = server };
        var proxy = ctx.Intermediary;
        if (proxy is not null)
        {
            evidence.Add($"answered by {proxy.Display} ({proxy.Evidence})");
            data["proxy"] = proxy.Id;
        }

        if (status is 400 or 403 && ClientCertificateRefusal.Recognise(ctx, status, result.Body, [.. evidence, $"body: {body}"], data) is { } certificate)
        {
            ctx.Add(certificate);
            return;
        }

        if (ProxyRefusesUpgradeItself(proxy, status, result.Body) is { } refusal)
        {
            evidence.Add($"body: {body}");
            evidence.Add(refusal);
            ctx.Add(ProxyDropsUpgrade(proxy!, status, evidence, data));
            return;
        }

        switch (status)
        {
            case >= 200 and < 300:
                evidence.Add($"Content-Type: {head.Get("Content-Type") ?? "(none)"}; body: {body}");
                ctx.Add(Finding.Create(Codes.HttpNotUpgraded,
                    $"{status} {head.Reason} instead of 101: the request was served as plain HTTP{(proxy is null ? "" : $" by {proxy.Display}")}".Replace("  ", " ", StringComparison.Ordinal),
                    evidence, proxy is null ? null : $"The path is not proxied to the WebSocket application, or {proxy.Name} drops the upgrade. {ProxyFixes.ForwardUpgrade(proxy)}", data: data));
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
                    evidence.Add($"WWW-Authenticate: {challenge}");
                }

                evidence.Add(CredentialsSent(ctx));
                ctx.Add(Finding.Create(Codes.HttpUnauthorized, "401 Unauthorized: the credentials are missing, wrong or expired", evidence, data: data));
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
                evidence.Add($"Retry-After: {retry ?? "(absent)"}");
                data["retryAfter"] = retry;
                ctx.Add(Finding.Create(Codes.HttpRateLimited,
                    $"{status}: the server limits connections{(retry is null ? "" : $"; retry after {retry}")}", evidence, data: data));
                break;
            case 502 or 503 or 504 or (>= 520 and <= 527) or 530:
                evidence.Add($"body: {body}");
                ctx.Add(Finding.Create(Codes.HttpUpstreamError, UpstreamMessage(status, proxy?.Display ?? server), evidence,
                    UpstreamFix(status, proxy), data));
                break;
            default:
                evidence.Add($"body: {body}");
                ctx.Add(Finding.Create(Codes.HttpUnexpectedStatus, $"the upgrade was refused with {statusLine}", evidence, data: data));
                break;
        }
    }

    /// <summary>426 means "upgrade first". If the server would accept version 13, which we sent, it never saw our
    /// Upgrade headers: something in between (typically nginx without proxy_http_version 1.1 and the
    /// Upgrade/Connection lines — Node ws and Python websockets then answer 426) removed them.</summary>
    private static Finding UpgradeRequired(Protocol.Http.ResponseHead head, ProxyIdentity? identified, List<string> evidence, Dictionary<string, object?> data)
    {
        var versions = head.Get("Sec-WebSocket-Version");
        evidence.Add($"request sent Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13; response Sec-WebSocket-Version: {versions ?? "(absent)"}");
        if (head.Get("Via") is { } via)
        {
            evidence.Add($"Via: {via}");
        }

        data["serverVersions"] = versions;
        var wantsOtherVersion = versions is not null && !versions.Split(',').Select(v => v.Trim()).Contains("13");
        if (wantsOtherVersion)
        {
            return Finding.Create(Codes.HttpUpgradeRequired, $"426: the server wants WebSocket version {versions}, not 13", evidence, data: data);
        }

        evidence.Add("the answer asks for an upgrade although the request carried one: the Upgrade/Connection headers did not reach the application");
        var proxy = identified ?? (head.Get("Via") is { } viaHeader ? new ProxyIdentity("unknown", viaHeader, null, $"Via: {viaHeader}") : null);
        if (proxy is not null)
        {
            return ProxyDropsUpgrade(proxy, head.StatusCode, evidence, data);
        }

        return Finding.Create(Codes.HttpUpgradeRequired, "426 although the request asked for the upgrade: an intermediary probably removed the Upgrade header",
            evidence, ProxyFixes.ForwardUpgrade(null), data);
    }

    private static Finding ProxyDropsUpgrade(ProxyIdentity proxy, int status, List<string> evidence, Dictionary<string, object?> data)
    {
        data["proxy"] = proxy.Id;
        data["proxyName"] = proxy.Display;
        return Finding.Create(Codes.HttpProxyDropsUpgrade, $"{status} through {proxy.Display}: the proxy does not forward the WebSocket upgrade", evidence,
            ProxyFixes.ForwardUpgrade(proxy), data);
    }

    /// <summary>Proxies that refuse the upgrade themselves, with a recognisable answer: Envoy without
    /// upgrade_configs websocket (403, empty body), Apache without the module for ws:// (500 AH01144).</summary>
    private static string? ProxyRefusesUpgradeItself(ProxyIdentity? proxy, int status, byte[] body) => (proxy?.Id, status) switch
    {
        ("envoy", 403) when body.Length == 0 => "Envoy answers a WebSocket upgrade with 403 and an empty body when its upgrade_configs lacks websocket",
        // Apache's own 500 page (not the application's) to an upgrade: no loaded module handles the ws:// URL of the
        // ProxyPass. The error log names it: "AH01144: No protocol handler was valid for the URL".
        ("apache", 500) when Encoding.UTF8.GetString(body).Contains("The server encountered an internal error or", StringComparison.Ordinal)
            => "Apache's own 500 page: for an upgrade this is AH01144 in error_log (\"No protocol handler was valid for the URL\"): no loaded module handles the ws:// URL of the ProxyPass",
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

    private static string CredentialsSent(DiagnosisContext ctx)
    {
        var sent = new List<string>();
        if (ctx.Options.Token is not null)
        {
            sent.Add($"--token ({ctx.Options.TokenIn.Kind}{(ctx.Options.TokenIn.Name is { } n ? $" {n}" : "")})");
        }

        if (ctx.Options.Cookie is not null || ctx.Options.Headers.Any(h => h.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)))
        {
            sent.Add("cookie");
        }

        if (ctx.Options.Headers.Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            sent.Add("Authorization header");
        }

        return sent.Count == 0 ? "credentials sent: none (use --token, --cookie or -H)" : $"credentials sent: {string.Join(", ", sent)}";
    }

    private static async Task BadRequestAsync(DiagnosisContext ctx, Route route, ExchangeResult result, List<string> evidence, string body, Dictionary<string, object?> data)
    {
        evidence.Add($"body: {body}");
        var text = Encoding.UTF8.GetString(result.Body);
        if (!ctx.Target.IsSecure && (text.Contains("plain HTTP request was sent to HTTPS port", StringComparison.OrdinalIgnoreCase)
            || await SpeaksTlsAsync(ctx, route).ConfigureAwait(false)))
        {
            evidence.Add("the same port completes a TLS handshake: it is an HTTPS/WSS port");
            HttpProbe.ExpectedPlaintext(ctx, result, evidence);
            return;
        }

        var proxy = ctx.Intermediary ?? (result.Head!.Get("Via") is { } via ? new ProxyIdentity("unknown", via, null, $"Via: {via}") : null);
        if (proxy is not null && BackendSawNoUpgrade(text))
        {
            evidence.Add("the application's own error, passed through the proxy, says the Upgrade/Connection headers did not arrive");
            ctx.Add(ProxyDropsUpgrade(proxy, 400, evidence, data));
            return;
        }

        ctx.Add(Finding.Create(Codes.HttpBadRequest,
            proxy is not null ? $"400 from {proxy.Display}: the upgrade probably did not reach the application intact" : "400 Bad Request to the upgrade request",
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

    private static async Task NotFoundAsync(DiagnosisContext ctx, Route route, List<string> evidence, string body, Dictionary<string, object?> data, TlsMaterial material)
    {
        evidence.Add($"body: {body}");
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
                evidence.Add($"tried {alternative}: {(code is null ? "no answer" : code.ToString())}");
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
            working is null ? $"nothing is mounted at {path}" : $"nothing is mounted at {path}, but {working} answers 101",
            evidence,
            working is null ? null : $"Use the path {working}: {ctx.Target.WithPathAndQuery(working + ctx.Target.Uri.Query).Uri}",
            data));
    }

    private static async Task RedirectAsync(DiagnosisContext ctx, Protocol.Http.ResponseHead head, List<string> evidence, Dictionary<string, object?> data, TlsMaterial material)
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
                evidence.Add($"Location '{location}' cannot be turned into a ws:// or wss:// URL");
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
                evidence.Add("not followed: it leads to another host, and this probe opens connections to the target's host only");
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
        evidence.Add($"Location: {Show(head.Get("Location"))}");
        if (hops.Count > 0)
        {
            evidence.Add($"redirect chain: {Show(ctx.Target.Uri.ToString())} -> {string.Join(" -> ", hops.Select(Show))}" +
                (finalStatus is null ? "" : $" (final answer {finalStatus})"));
        }

        final = final is null ? null : Show(final);
        data["location"] = head.Get("Location") is null ? null : Show(head.Get("Location"));
        data["finalUrl"] = final;
        data["finalStatus"] = finalStatus;
        ctx.Add(Finding.Create(Codes.HttpRedirect,
            final is null ? $"{head.StatusCode} redirect; browsers do not follow it" : $"{head.StatusCode} redirect to {final}; browsers do not follow it",
            evidence,
            final is null ? null : $"Connect to the final URL directly: {final}",
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

    private static string UpstreamMessage(int status, string? server)
    {
        var who = server is null ? "the proxy" : server;
        return status switch
        {
            502 => $"502 Bad Gateway from {who}: the application behind it is down or answered garbage",
            503 => $"503 Service Unavailable from {who}: no healthy application behind it",
            504 => $"504 Gateway Timeout from {who}: the application did not answer in time",
            520 => "Cloudflare 520: the origin returned an empty or unknown response",
            521 => "Cloudflare 521: the origin server is down (refused Cloudflare's connection)",
            522 => "Cloudflare 522: Cloudflare timed out connecting to the origin",
            523 => "Cloudflare 523: the origin is unreachable",
            524 => "Cloudflare 524: the origin accepted the connection but did not answer in time",
            525 => "Cloudflare 525: the TLS handshake between Cloudflare and the origin failed",
            526 => "Cloudflare 526: the origin's certificate is invalid (Full (strict) mode)",
            527 => "Cloudflare 527: Railgun connection error",
            _ => $"{status} from {who}: the upstream failed",
        };
    }

    private static string? UpstreamFix(int status, ProxyIdentity? proxy) => status switch
    {
        502 or 503 => "Start/fix the application behind the proxy and check the proxy's upstream address" + proxy?.Id switch
        {
            "haproxy" => " (HAProxy: the backend's servers are all down or failing their health checks: `echo 'show servers state' | socat stdio /run/haproxy/admin.sock`, and the log's \"no server available\").",
            "apache" => " (Apache: error_log AH00957 connect to backend failed / AH01102 error reading status line).",
            "envoy" => " (Envoy: the cluster has no healthy endpoint: /clusters on the admin port).",
            "traefik" => " (Traefik: the router's service has no reachable server).",
            "caddy" => " (Caddy: the reverse_proxy upstream refused or failed: caddy's log \"dial tcp ... connect: connection refused\").",
            _ => " (nginx error.log: connect() failed / upstream prematurely closed).",
        },
        504 or 524 => "Make the application answer the upgrade faster, or raise the proxy's timeout (nginx proxy_connect_timeout / proxy_read_timeout).",
        521 or 522 or 523 => "Start the origin server and allow Cloudflare's IP ranges in its firewall.",
        525 or 526 => "Install a valid certificate on the origin that covers the origin host name (or a Cloudflare Origin CA certificate).",
        _ => null,
    };
}
