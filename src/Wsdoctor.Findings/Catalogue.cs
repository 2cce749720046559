namespace Wsdoctor.Findings;

/// <summary>Every finding wsdoctor can report. Codes never change once released.</summary>
public static class Catalogue
{
    private static readonly CatalogueEntry[] Entries =
    [
        // url — before any packet is sent
        new(Codes.UrlMissingScheme, Layer.Url, Severity.Error, "M1", "URL has no ws:// or wss:// scheme",
            "Start the URL with ws:// (plain) or wss:// (TLS)."),
        new(Codes.UrlHttpScheme, Layer.Url, Severity.Error, "M1", "http:// or https:// used for a WebSocket URL",
            "Use ws:// instead of http:// and wss:// instead of https://."),
        new(Codes.UrlInvalid, Layer.Url, Severity.Error, "M1", "URL cannot be used for a WebSocket connection",
            "Correct the part of the URL named in the evidence (fragments '#...' are forbidden in WebSocket URLs)."),
        new(Codes.UrlDefaultPortMismatch, Layer.Url, Severity.Warning, "M3", "scheme and port look mixed up",
            "wss:// normally goes to port 443 and ws:// to port 80; check that scheme and port belong together."),
        new(Codes.UrlTokenInQuery, Layer.Url, Severity.Warning, "M1", "credential in the query string",
            "Query strings end up in proxy and access logs: prefer a cookie, a subprotocol token or first-message auth, and keep such tokens short-lived."),

        // dns
        new(Codes.DnsNotFound, Layer.Dns, Severity.Error, "M1", "host name does not resolve",
            "Check the spelling, the DNS record (dig HOST), and /etc/hosts."),
        new(Codes.DnsLocalhostFamily, Layer.Dns, Severity.Warning, "M1", "localhost answers on one address family only",
            "Bind the server to both 127.0.0.1 and ::1 (or to ::, dual-stack), or connect to 127.0.0.1 / [::1] explicitly."),
        new(Codes.DnsMultipleAddressesPartial, Layer.Dns, Severity.Warning, "M3", "some resolved addresses do not answer",
            "Remove the dead addresses from DNS or bring those servers back; clients that pick them fail."),

        // tcp
        new(Codes.TcpRefused, Layer.Tcp, Severity.Error, "M1", "connection refused",
            "Start the server, or use the port it really listens on."),
        new(Codes.TcpTimeout, Layer.Tcp, Severity.Error, "M1", "connection timed out",
            "A firewall or cloud security group drops the packets: open the port to your address."),
        new(Codes.TcpUnreachable, Layer.Tcp, Severity.Error, "M3", "host or network unreachable",
            "Check routing, VPN and the address itself."),

        // proxy
        new(Codes.ProxyEnvDetected, Layer.Proxy, Severity.Info, "M2", "connection goes through a proxy from the environment",
            "If the proxy should not be used for this host, add it to NO_PROXY."),
        new(Codes.ProxyConnectRefused, Layer.Proxy, Severity.Error, "M2", "proxy refused the CONNECT tunnel",
            "Ask for WebSocket/CONNECT to be allowed on the proxy; 407 means the proxy wants credentials (--proxy http://user:pass@host:port)."),

        // tls
        new(Codes.TlsPlaintextPort, Layer.Tls, Severity.Error, "M1", "wss:// used against a plain (non-TLS) port",
            "Use ws:// for this port, or the port where TLS is served."),
        new(Codes.TlsExpectedPlaintext, Layer.Tls, Severity.Error, "M1", "ws:// used against a TLS port",
            "Use wss:// for this port."),
        new(Codes.TlsNameMismatch, Layer.Tls, Severity.Error, "M1", "certificate does not cover the host name",
            "Reissue the certificate with the host name in its Subject Alternative Names, or connect with a name it covers."),
        new(Codes.TlsIpNotInSan, Layer.Tls, Severity.Error, "M1", "IP address not in the certificate",
            "Public CAs rarely issue IP certificates: give the server a DNS name and a certificate for it."),
        new(Codes.TlsExpired, Layer.Tls, Severity.Error, "M1", "certificate expired",
            "Renew the certificate (certbot renew) and reload the server; if it is not really expired, fix the clock."),
        new(Codes.TlsNotYetValid, Layer.Tls, Severity.Error, "M1", "certificate not valid yet",
            "The client's or the CA's clock is wrong, or the certificate was issued for the future: fix the clock (NTP)."),
        new(Codes.TlsExpiringSoon, Layer.Tls, Severity.Warning, "M1", "certificate expires soon",
            "Renew now (certbot renew) and check that automatic renewal runs."),
        new(Codes.TlsSelfSigned, Layer.Tls, Severity.Error, "M1", "self-signed certificate",
            "Development: trust a local CA (wsdoctor cert dev, mkcert) and pass --ca; production: use a certificate from a public CA."),
        new(Codes.TlsUntrustedRoot, Layer.Tls, Severity.Error, "M1", "certificate chain ends in an untrusted root",
            "Install the CA in the client's trust store, or use a public CA; test with --ca FILE."),
        new(Codes.TlsIncompleteChain, Layer.Tls, Severity.Error, "M1", "server does not send the intermediate certificates",
            "Serve the full chain (fullchain.pem, not cert.pem): nginx `ssl_certificate /etc/letsencrypt/live/HOST/fullchain.pem;`."),
        new(Codes.TlsHandshakeFailed, Layer.Tls, Severity.Error, "M1", "TLS handshake failed",
            "Align the TLS versions and cipher suites of client and server (TLS 1.2+ with modern ciphers)."),
        new(Codes.TlsClientCertRequired, Layer.Tls, Severity.Error, "M2", "server requires a client certificate",
            "Pass the client certificate with --cert FILE --key FILE."),
        new(Codes.TlsAlpnH2Only, Layer.Tls, Severity.Error, "M3", "server negotiates only HTTP/2",
            "Offer http/1.1 in the server's ALPN list for the WebSocket host, or enable RFC 8441 WebSockets over HTTP/2."),
        new(Codes.TlsWeak, Layer.Tls, Severity.Warning, "M3", "weak TLS configuration",
            "Serve TLS 1.2/1.3 only, SHA-256 signatures, RSA 2048+ or ECDSA keys."),
        new(Codes.TlsKeyMismatch, Layer.Tls, Severity.Error, "M2", "private key does not belong to the certificate",
            "Pair the leaf with its own key (certbot: privkey.pem of the same live/ directory); wsdoctor cert verify FILE --key KEY checks it."),
        new(Codes.TlsChainOrder, Layer.Tls, Severity.Warning, "M2", "certificate chain out of order or with extra certificates",
            "Leaf first, then each intermediate followed by the one that signed it; no unrelated certificates, no root (wsdoctor cert chain LEAF writes it)."),
        new(Codes.TlsCertificateChanged, Layer.Tls, Severity.Warning, "M2", "the server's certificate changed between connections",
            "A renewal or a restart with a new certificate needs nothing (but pinned clients break: pin the CA key, not the leaf); certificates that alternate or go back to an older one mean backends behind one name serve different certificates: deploy the same certificate and chain to all of them."),

        // http — the upgrade request/response
        new(Codes.HttpNotUpgraded, Layer.Http, Severity.Error, "M1", "server answered as plain HTTP (no 101)",
            "The path is served by a normal HTTP route, or a proxy drops the Upgrade header: check the path and forward Upgrade/Connection."),
        new(Codes.HttpBadRequest, Layer.Http, Severity.Error, "M1", "400 Bad Request to the upgrade",
            "Usually a reverse proxy that drops Upgrade/Connection or speaks HTTP/1.0 upstream: set `proxy_http_version 1.1;` and forward Upgrade/Connection (see explain http.bad-request)."),
        new(Codes.HttpUnauthorized, Layer.Http, Severity.Error, "M1", "401 Unauthorized",
            "Send valid credentials (--token, --cookie, -H); see the auth.* findings for what is wrong with the ones sent."),
        new(Codes.HttpForbiddenOrigin, Layer.Http, Severity.Error, "M1", "403 because of the Origin header",
            "Add the page's origin to the server's allowlist."),
        new(Codes.HttpForbidden, Layer.Http, Severity.Error, "M1", "403 Forbidden (not caused by Origin)",
            "Authentication, an ACL or a WAF refuses the request: check credentials and the server/WAF logs."),
        new(Codes.HttpNotFound, Layer.Http, Severity.Error, "M1", "404 Not Found",
            "Use the path the WebSocket endpoint is mounted on (watch /ws vs /ws/ and /socket.io/)."),
        new(Codes.HttpRedirect, Layer.Http, Severity.Error, "M1", "redirect instead of 101",
            "Browsers never follow redirects on a WebSocket upgrade: connect to the final URL directly."),
        new(Codes.HttpUpgradeRequired, Layer.Http, Severity.Error, "M1", "426 Upgrade Required",
            "Send the WebSocket version the server supports (13) and the Upgrade headers; update the client library."),
        new(Codes.HttpRateLimited, Layer.Http, Severity.Error, "M1", "rate limited or connection limit reached",
            "Wait for Retry-After, reduce the connection rate, or raise the server's limit."),
        new(Codes.HttpUpstreamError, Layer.Http, Severity.Error, "M1", "proxy could not reach the application",
            "The application behind the proxy is down or too slow: check it and the proxy's upstream settings."),
        new(Codes.HttpNoResponse, Layer.Http, Severity.Error, "M1", "no HTTP response to the upgrade request",
            "Check that the port belongs to the WebSocket server (not another service) and that the server is not hung."),
        new(Codes.HttpProxyDropsUpgrade, Layer.Http, Severity.Error, "M2", "reverse proxy does not forward the upgrade",
            "Forward the upgrade: nginx `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;`."),
        new(Codes.HttpHttp2Only, Layer.Http, Severity.Error, "M3", "server speaks HTTP/2 only",
            "RFC 6455 needs HTTP/1.1 on the connection: enable HTTP/1.1 for this endpoint."),
        new(Codes.HttpInvalidResponse, Layer.Http, Severity.Error, "M1", "response is not valid HTTP",
            "Something other than an HTTP server answers on this port, or the server is broken: check which program owns the port."),
        new(Codes.HttpUnexpectedStatus, Layer.Http, Severity.Error, "M1", "unexpected HTTP status to the upgrade",
            "The server refused the upgrade with the status shown: check its logs for this request."),

        // auth
        new(Codes.AuthTokenExpired, Layer.Http, Severity.Error, "M1", "token expired",
            "Refresh the token (log in again / use the refresh token) before connecting."),
        new(Codes.AuthTokenNotYetValid, Layer.Http, Severity.Error, "M1", "token not valid yet by the server's clock",
            "Clock skew between token issuer and server: sync clocks with NTP, or allow a small leeway for nbf/iat."),
        new(Codes.AuthClockSkew, Layer.Http, Severity.Warning, "M1", "local clock and server clock differ",
            "Fix time synchronisation (NTP: timedatectl set-ntp true / chrony) on the machine that is wrong."),
        new(Codes.AuthHeaderUnavailableInBrowser, Layer.Http, Severity.Warning, "M2", "Authorization header cannot be sent by browsers",
            "Browsers cannot set headers on WebSocket: use a cookie, a query parameter, a subprotocol token or first-message auth."),

        // ws — validity of the 101 response (RFC 6455 section 4)
        new(Codes.WsBadAccept, Layer.Ws, Severity.Error, "M1", "wrong Sec-WebSocket-Accept",
            "The server (or a proxy rewriting headers) computes Sec-WebSocket-Accept wrongly: it must be base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11))."),
        new(Codes.WsMissingUpgradeHeaders, Layer.Ws, Severity.Error, "M1", "101 without Upgrade/Connection headers",
            "The 101 must carry `Upgrade: websocket` and `Connection: Upgrade`; a proxy is probably rewriting them."),
        new(Codes.WsSubprotocolNotSelected, Layer.Ws, Severity.Error, "M1", "offered subprotocol not selected",
            "Configure the server to accept one of the offered subprotocols; browsers fail the connection otherwise."),
        new(Codes.WsSubprotocolUnexpected, Layer.Ws, Severity.Error, "M1", "server selected a subprotocol that was not offered",
            "Server bug: it must only select one of the protocols the client offered."),
        new(Codes.WsExtensionUnexpected, Layer.Ws, Severity.Error, "M1", "server enabled an extension that was not offered",
            "Server bug: it must only answer extensions the client offered (e.g. permessage-deflate)."),

        // session — after the connection is open
        new(Codes.SessionNoPong, Layer.Session, Severity.Error, "M1", "no Pong to a Ping",
            "The server or a proxy does not answer control frames: fix the server's ping handling."),
        new(Codes.SessionClosedByServer, Layer.Session, Severity.Error, "M1", "server closed the connection",
            "See the close code's explanation."),
        new(Codes.SessionAbnormalClose, Layer.Session, Severity.Error, "M1", "connection dropped without a Close frame (1006)",
            "The server crashed, or a proxy/load balancer cut the connection: check server logs and proxy timeouts."),
        new(Codes.SessionIdleTimeout, Layer.Session, Severity.Error, "M2", "connection cut after a period of silence",
            "Send heartbeats more often than half the idle timeout and/or raise the intermediary's timeout (nginx `proxy_read_timeout 3600s;`)."),
        new(Codes.SessionEchoMismatch, Layer.Session, Severity.Error, "M1", "expected reply not received",
            "The application did not answer as expected: check the message format and the server's handler."),
        new(Codes.SessionProtocolViolation, Layer.Session, Severity.Error, "M1", "server broke the WebSocket framing rules",
            "Server bug: fix or upgrade the server's WebSocket library."),
        new(Codes.SessionMessageTooBig, Layer.Session, Severity.Warning, "M2", "server rejects messages above a size",
            "Raise the server's message size limit or split messages."),
        new(Codes.SessionSlow, Layer.Session, Severity.Warning, "M1", "slow handshake or reply",
            "The server or a proxy is slow to answer: look at the timing waterfall to see which step."),
        new(Codes.SessionLifetimeLimit, Layer.Session, Severity.Error, "M2", "connection cut after a fixed lifetime, traffic or not",
            "Raise the maximum connection age of the intermediary (GCP backend service timeout, Caddy stream_timeout) or reconnect before it."),
        new(Codes.SessionFlowForgotten, Layer.Session, Severity.Error, "M2", "a stateful box forgot the connection during a silence",
            "Send heartbeats (WebSocket pings or TCP keepalive) more often than the NAT gateway's or load balancer's idle timeout."),

        // app — the protocol the server speaks on top of WebSocket; an error only when it explains the failure
        new(Codes.AppSocketIo, Layer.App, Severity.Error, "M4", "the server speaks Socket.IO (Engine.IO), not plain WebSocket",
            "Use socket.io-client (io(\"http://host:port\")), not new WebSocket; a raw client needs /socket.io/?EIO=4&transport=websocket and must speak Engine.IO packets."),
        new(Codes.AppSignalR, Layer.App, Severity.Error, "M4", "the endpoint is an ASP.NET Core SignalR hub",
            "Use @microsoft/signalr: new HubConnectionBuilder().withUrl(\"https://host/hub\").build(); a raw client must send the handshake {\"protocol\":\"json\",\"version\":1} followed by 0x1E first."),
        new(Codes.AppGraphql, Layer.App, Severity.Error, "M4", "GraphQL over WebSocket: client and server must agree on the subprotocol",
            "Offer the subprotocol the server speaks: graphql-transport-ws (graphql-ws's createClient) or, legacy, graphql-ws (subscriptions-transport-ws)."),
        new(Codes.AppMqtt, Layer.App, Severity.Error, "M4", "the endpoint is an MQTT broker over WebSocket",
            "Use an MQTT client such as mqtt.js (mqtt.connect(\"ws://host/mqtt\")), which offers the subprotocol mqtt and sends MQTT packets in binary frames."),
        new(Codes.AppStomp, Layer.App, Severity.Error, "M4", "the endpoint is a STOMP broker over WebSocket",
            "Use a STOMP client such as @stomp/stompjs (new Client({ brokerURL })) with the subprotocol v12.stomp, and send CONNECT first."),

        // browser
        new(Codes.BrowserMixedContent, Layer.Browser, Severity.Error, "M2", "https page cannot open ws://",
            "Use wss:// from pages served over https."),
        new(Codes.BrowserUnsafePort, Layer.Browser, Severity.Error, "M2", "port blocked by browsers",
            "Browsers refuse this port (net::ERR_UNSAFE_PORT): serve WebSocket on another port."),
        new(Codes.BrowserCertStricter, Layer.Browser, Severity.Error, "M2", "certificate accepted by lax tools, rejected by browsers",
            "Fix the certificate itself; tools that skip verification (Postman, -k) hide the problem."),
        new(Codes.BrowserCspBlocks, Layer.Browser, Severity.Error, "M3", "page's Content-Security-Policy blocks the URL",
            "Add the WebSocket URL (scheme, host and port) to the page's connect-src."),
        new(Codes.BrowserLocalNetworkAccess, Layer.Browser, Severity.Error, "M2", "WebSocket to a local address needs the user's Local Network Access permission",
            "Serve the page from a local origin while the server is local, or have users allow Local Network Access (LocalNetworkAccessAllowedForUrls / LoopbackNetworkAllowedForUrls in managed browsers)."),
        new(Codes.BrowserVerdict, Layer.Browser, Severity.Info, "M2", "what a real browser saw",
            "Compare the browser's own error with wsdoctor's verdict."),

        // config lint
        new(Codes.NginxHttpVersion, Layer.Lint, Severity.Error, "M2", "proxy_http_version 1.1 missing",
            "Add `proxy_http_version 1.1;` to the location."),
        new(Codes.NginxUpgradeHeaders, Layer.Lint, Severity.Error, "M2", "Upgrade/Connection not forwarded",
            "Add `proxy_set_header Upgrade $http_upgrade;` and `proxy_set_header Connection $connection_upgrade;` with the map block."),
        new(Codes.NginxReadTimeout, Layer.Lint, Severity.Warning, "M2", "proxy_read_timeout absent or short",
            "Raise `proxy_read_timeout` above the heartbeat interval, or add heartbeats."),
        new(Codes.NginxCertificateChain, Layer.Lint, Severity.Error, "M2", "ssl_certificate is a leaf-only file",
            "Point `ssl_certificate` at fullchain.pem."),
        new(Codes.NginxHostHeader, Layer.Lint, Severity.Warning, "M2", "Host not forwarded",
            "Add `proxy_set_header Host $host;`."),
        new(Codes.NginxInheritedHeaders, Layer.Lint, Severity.Warning, "M2", "location drops inherited proxy_set_header lines",
            "Repeat the server/http level proxy_set_header lines inside the location."),
        new(Codes.NginxConnectionMapMissing, Layer.Lint, Severity.Error, "M2", "$connection_upgrade used without its map",
            "Define `map $http_upgrade $connection_upgrade { default upgrade; '' close; }` in the http block."),
        new(Codes.NginxUpgradeVariable, Layer.Lint, Severity.Error, "M2", "Upgrade header set from the wrong variable",
            "Use `proxy_set_header Upgrade $http_upgrade;`."),
        new(Codes.NginxConnectionHardcoded, Layer.Lint, Severity.Warning, "M2", "Connection \"upgrade\" hard-coded",
            "Use `proxy_set_header Connection $connection_upgrade;` with the map, so plain requests keep keep-alive."),
        new(Codes.NginxLocationRedirect, Layer.Lint, Severity.Warning, "M2", "location with a trailing slash redirects the bare path",
            "Match the path clients use (`location = /ws` or `location /ws`): browsers never follow a 301 on an upgrade."),
        new(Codes.NginxShutdownTimeout, Layer.Lint, Severity.Info, "M2", "worker_shutdown_timeout closes WebSockets on reload",
            "Clients must reconnect after a reload; choose the value knowingly."),
        new(Codes.HaproxyTunnelTimeout, Layer.Lint, Severity.Warning, "M2", "no timeout tunnel",
            "Set `timeout tunnel 1h` in defaults or in the backend: upgraded connections otherwise die at timeout client/server."),
        new(Codes.HaproxyTunnelTimeoutZero, Layer.Lint, Severity.Warning, "M2", "timeout tunnel 0",
            "Give timeout tunnel a real value (e.g. 1h): 0 does not mean infinite, HAProxy falls back to timeout client/server."),
        new(Codes.HaproxyTunnelTimeoutIgnored, Layer.Lint, Severity.Warning, "M2", "timeout tunnel in a frontend is ignored",
            "Move `timeout tunnel` to defaults or to the backend."),
        new(Codes.HaproxyTimeoutBelowHeartbeat, Layer.Lint, Severity.Error, "M2", "tunnel timeout below the heartbeat interval",
            "Raise the effective tunnel timeout above the heartbeat interval, or ping more often."),
        new(Codes.HaproxyModeTcp, Layer.Lint, Severity.Info, "M2", "mode tcp: HAProxy does not see the WebSocket",
            "In mode tcp HAProxy passes bytes (timeout client/server apply, no Upgrade handling, no per-path routing); use mode http for WebSocket-aware routing."),
    ];

    private static readonly Dictionary<string, CatalogueEntry> ByCode =
        Entries.ToDictionary(e => e.Code, StringComparer.Ordinal);

    public static IReadOnlyList<CatalogueEntry> All => Entries;

    public static CatalogueEntry Get(string code) =>
        ByCode.TryGetValue(code, out var entry)
            ? entry
            : throw new ArgumentException($"unknown finding code '{code}'", nameof(code));

    public static bool TryGet(string code, out CatalogueEntry entry) =>
        ByCode.TryGetValue(code, out entry!);
}
