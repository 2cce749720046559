using System.Globalization;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

internal static class HttpScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return Status("http-200-html", Codes.HttpNotUpgraded, T("an HTML page instead of the upgrade", "返回一个 HTML 页面，而不是升级"),
            RawHttp.Response(200, "OK", "<!doctype html><html><body>Welcome to the app</body></html>", "Server: nginx/1.24.0", "Content-Type: text/html"),
            _ => Expect.Mentions(Codes.HttpNotUpgraded, "Welcome to the app"));
        yield return Status("http-400-proxy", Codes.HttpBadRequest, T("reverse proxy answering 400 to the upgrade", "反向代理对升级请求返回 400"),
            RawHttp.Response(400, "Bad Request", "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad Request</h1></center><hr><center>nginx</center></body></html>", "Server: nginx/1.24.0", "Content-Type: text/html"),
            _ => Expect.DataEquals(Codes.HttpBadRequest, "server", "nginx/1.24.0"));
        yield return Status("http-401", Codes.HttpUnauthorized, T("401 with a Bearer challenge, no credentials sent", "401，带 Bearer 质询，客户端没有发送凭据"),
            RawHttp.Response(401, "Unauthorized", "missing token", "WWW-Authenticate: Bearer realm=\"chat\""),
            _ => Expect.Mentions(Codes.HttpUnauthorized, "WWW-Authenticate: Bearer realm=\"chat\""));
        yield return new("auth-token-expired", Codes.AuthTokenExpired, T("401 to a JWT that expired an hour ago", "对一小时前已过期的 JWT 返回 401"),
            (env, _) =>
            {
                var server = RawServer.Start(Answer(RawHttp.Response(401, "Unauthorized", "token expired", "WWW-Authenticate: Bearer error=\"invalid_token\"")));
                var now = DateTimeOffset.UtcNow;
                var token = Jwt(("sub", "lab"), ("iat", now.AddHours(-2)), ("exp", now.AddHours(-1)));
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { Token = token },
                    Expect.All(Expect.DataBetween(Codes.AuthTokenExpired, "expiredSeconds", 3500, 3700), Expect.NowhereIn(token)), server));
            });
        yield return new("auth-server-clock-behind", Codes.AuthTokenNotYetValid, T("401: the server's clock is 10 minutes behind, so a fresh token is not valid yet", "401：服务端时钟慢了 10 分钟，刚签发的令牌在它看来还没生效"),
            (env, _) =>
            {
                // One clock for the token and the server's Date: the lab's start time (env.Now) can be long past by now.
                var now = DateTimeOffset.UtcNow;
                var serverDate = now.AddMinutes(-10).ToString("r", CultureInfo.InvariantCulture);
                var server = RawServer.Start(Answer(RawHttp.Response(401, "Unauthorized", "token not yet valid", $"Date: {serverDate}")));
                var token = Jwt(("sub", "lab"), ("iat", now.AddSeconds(-5)), ("nbf", now.AddSeconds(-5)), ("exp", now.AddHours(1)));
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { Token = token, TokenIn = new Probes.TokenPlacement(Probes.TokenPlacementKind.Query, "token") },
                    Expect.All(Expect.DataBetween(Codes.AuthTokenNotYetValid, "aheadSeconds", 560, 640), Expect.DataBetween(Codes.AuthClockSkew, "skewSeconds", 560, 640)), server));
            });
        yield return new("auth-clock-skew", Codes.AuthClockSkew, T("healthy upgrade, but the server's Date is 5 minutes ahead", "升级正常，但服务端的 Date 快了 5 分钟"),
            (env, _) =>
            {
                var server = RawServer.Start(async (s, ct) =>
                {
                    var request = await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                    if (request is null)
                    {
                        return;
                    }

                    var date = DateTimeOffset.UtcNow.AddMinutes(5).ToString("r", CultureInfo.InvariantCulture);
                    await RawHttp.WriteAsync(s, RawHttp.SwitchingProtocols(request, false, $"Date: {date}"), ct).ConfigureAwait(false);
                    await FrameLoop.RunAsync(s, ct).ConfigureAwait(false);
                });
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws"),
                    Expect.DataBetween(Codes.AuthClockSkew, "skewSeconds", -330, -270), server));
            });
        yield return new("http-403-origin", Codes.HttpForbiddenOrigin, T("Kestrel with an Origin allowlist; the page origin is not on it", "Kestrel 配置了 Origin 允许列表，页面的 Origin 不在其中"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(allowedOrigins: ["http://localhost:3000"], ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { Origin = "https://evil.example.com" },
                    Expect.All(Expect.DataContains(Codes.HttpForbiddenOrigin, "acceptedOrigins", "http://localhost:3000"),
                        Expect.DataContains(Codes.HttpForbiddenOrigin, "rejectedOrigins", "https://evil.example.com")), server);
            });
        yield return Status("http-403-waf", Codes.HttpForbidden, T("403 whatever the Origin (a WAF or ACL)", "不管 Origin 是什么都返回 403（WAF 或 ACL）"),
            RawHttp.Response(403, "Forbidden", "Request blocked by WAF", "Server: awselb/2.0"),
            _ => Expect.Mentions(Codes.HttpForbidden, "does not depend on Origin"));
        yield return new("http-404-path", Codes.HttpNotFound, T("endpoint mounted on /ws, client uses /socket", "端点挂在 /ws 上，客户端却用了 /socket"),
            (env, _) =>
            {
                var server = RawServer.Start(ByPath(new()
                {
                    ["/ws"] = (s, r, ct) => Upgraded(s, r, ct),
                }, RawHttp.Response(404, "Not Found", "Cannot GET /socket", "X-Powered-By: Express")));
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/socket"),
                    Expect.DataEquals(Codes.HttpNotFound, "workingPath", "/ws"), server));
            });
        yield return new("http-301", Codes.HttpRedirect, T("301 to another path that does upgrade", "301 重定向到另一个能升级的路径"),
            (env, _) =>
            {
                var server = RawServer.Start(ByPath(new()
                {
                    ["/ws"] = (s, r, ct) => Upgraded(s, r, ct),
                }, RawHttp.Response(301, "Moved Permanently", "", "Location: /ws")));
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/old"),
                    Expect.All(Expect.DataEquals(Codes.HttpRedirect, "finalUrl", $"ws://127.0.0.1:{server.Port}/ws"), Expect.DataEquals(Codes.HttpRedirect, "finalStatus", 101)), server));
            });
        yield return Status("http-426", Codes.HttpUpgradeRequired, T("426 asking for another WebSocket version", "426，要求使用另一个 WebSocket 版本"),
            RawHttp.Response(426, "Upgrade Required", "", "Sec-WebSocket-Version: 8"),
            _ => Expect.DataEquals(Codes.HttpUpgradeRequired, "serverVersions", "8"));
        yield return Status("http-429", Codes.HttpRateLimited, T("429 with Retry-After", "429，带 Retry-After"),
            RawHttp.Response(429, "Too Many Requests", "slow down", "Retry-After: 30"),
            _ => Expect.DataEquals(Codes.HttpRateLimited, "retryAfter", "30"));
        yield return Status("http-503-limit", Codes.HttpRateLimited, T("503 with Retry-After: connection limit reached", "503，带 Retry-After：达到了连接数上限"),
            RawHttp.Response(503, "Service Unavailable", "too many connections", "Retry-After: 5"),
            _ => Expect.DataEquals(Codes.HttpRateLimited, "retryAfter", "5"));
        yield return Status("http-502-nginx", Codes.HttpUpstreamError, T("nginx 502: the app behind it is down", "nginx 502：后面的应用挂了"),
            RawHttp.Response(502, "Bad Gateway", "<html><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></html>", "Server: nginx/1.24.0"),
            _ => Expect.DataEquals(Codes.HttpUpstreamError, "status", 502));
        yield return Status("http-504-nginx", Codes.HttpUpstreamError, T("nginx 504: the app did not answer in time", "nginx 504：后面的应用没有及时响应"),
            RawHttp.Response(504, "Gateway Time-out", "<html>504 Gateway Time-out</html>", "Server: nginx"),
            _ => Expect.DataEquals(Codes.HttpUpstreamError, "status", 504));
        yield return Status("http-522-cloudflare", Codes.HttpUpstreamError, T("Cloudflare 522: origin connection timed out", "Cloudflare 522：连接源站超时"),
            RawHttp.Response(522, "", "error code: 522", "Server: cloudflare"),
            _ => Expect.Mentions(Codes.HttpUpstreamError, "Cloudflare 522"));
        yield return Status("http-500", Codes.HttpUnexpectedStatus, T("500 from the application", "应用返回 500"),
            RawHttp.Response(500, "Internal Server Error", "NullReferenceException in ChatHub", "Server: Kestrel"),
            _ => Expect.DataEquals(Codes.HttpUnexpectedStatus, "status", 500));
        yield return new("http-silent", Codes.HttpNoResponse, T("accepts the connection and never answers", "接受连接，但从不响应"),
            (env, _) => Server(env, async (s, ct) =>
            {
                await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }, Expect.DataEquals(Codes.HttpNoResponse, "bytesReceived", 0)));
        yield return new("http-hangup", Codes.HttpNoResponse, T("reads the request and closes without a byte", "读完请求后一个字节也不回就关闭连接"),
            (env, _) => Server(env, async (s, ct) => await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false),
                Expect.Mentions(Codes.HttpNoResponse, "closed the connection")));
        yield return new("http-drip", Codes.HttpNoResponse, T("answers one byte every 250 ms", "每 250 ms 才回一个字节"),
            (env, _) => Server(env, async (s, ct) =>
            {
                await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                foreach (var b in "HTTP/1.1 101 Switching Protocols\r\n"u8.ToArray())
                {
                    await RawHttp.WriteAsync(s, [b], ct).ConfigureAwait(false);
                    await Task.Delay(250, ct).ConfigureAwait(false);
                }
            }, Expect.Mentions(Codes.HttpNoResponse, "incomplete")));
        yield return new("http-1mb-head", Codes.HttpInvalidResponse, T("a 1 MB response head", "1 MB 大小的响应头"),
            (env, _) => Server(env, async (s, ct) =>
            {
                await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                var head = new StringBuilder("HTTP/1.1 200 OK\r\n");
                for (var i = 0; head.Length < 1024 * 1024; i++)
                {
                    head.Append(CultureInfo.InvariantCulture, $"X-Filler-{i}: {new string('a', 100)}\r\n");
                }

                await RawHttp.WriteAsync(s, head.Append("\r\n").ToString(), ct).ConfigureAwait(false);
            }, Expect.Mentions(Codes.HttpInvalidResponse, "64 KiB")));
        yield return new("http-endless-header", Codes.HttpInvalidResponse, T("a header line that never ends", "一行永远不结束的响应头"),
            (env, _) => Server(env, async (s, ct) =>
            {
                await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                await RawHttp.WriteAsync(s, "HTTP/1.1 101 Switching Protocols\r\nX-Endless: ", ct).ConfigureAwait(false);
                var chunk = Encoding.ASCII.GetBytes(new string('z', 8192));
                for (var i = 0; i < 256; i++)
                {
                    await RawHttp.WriteAsync(s, chunk, ct).ConfigureAwait(false);
                }
            }, Expect.Mentions(Codes.HttpInvalidResponse, "64 KiB")));
        yield return new("http-ssh-port", Codes.HttpInvalidResponse, T("the port belongs to another service (an SSH banner)", "端口属于另一个服务（返回 SSH banner）"),
            (env, _) => Server(env, (s, ct) => RawHttp.WriteAsync(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", ct),
                Expect.Mentions(Codes.HttpInvalidResponse, "SSH-2.0-OpenSSH")));
        yield return new("http-garbage", Codes.HttpInvalidResponse, T("random binary bytes", "随机的二进制字节"),
            (env, _) => Server(env, async (s, ct) =>
            {
                await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                var garbage = new byte[512];
                new Random(6455).NextBytes(garbage);
                garbage[0] = 0x8f;
                await RawHttp.WriteAsync(s, garbage, ct).ConfigureAwait(false);
            }, Expect.Mentions(Codes.HttpInvalidResponse, "8F ")));
        yield return new("http2-only", Codes.HttpHttp2Only, T("an HTTP/2-only (h2c) server answers with a SETTINGS frame", "只支持 HTTP/2（h2c）的服务端回了一个 SETTINGS 帧"),
            (env, _) => Server(env, async (s, ct) =>
            {
                await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                // SETTINGS frame: length 6, type 4, flags 0, stream 0; SETTINGS_MAX_CONCURRENT_STREAMS = 100.
                await RawHttp.WriteAsync(s, [0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100], ct).ConfigureAwait(false);
            }, Expect.Nothing));
    }

    private static LabScenario Status(string name, string code, Text description, string response, Func<LabEnvironment, Func<Probes.Diagnosis.CheckReport, Text?>> verify) =>
        new(name, code, description, (env, _) => Server(env, Answer(response), verify(env)));

    private static Task<LabInstance> Server(LabEnvironment env, Func<Stream, CancellationToken, Task> handler, Func<Probes.Diagnosis.CheckReport, Text?> verify)
    {
        var server = RawServer.Start(handler);
        return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws"), verify, server));
    }

    private static Func<Stream, CancellationToken, Task> Answer(string response) => async (s, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false) is not null)
        {
            await RawHttp.WriteAsync(s, response, ct).ConfigureAwait(false);
        }
    };

    private static Func<Stream, CancellationToken, Task> ByPath(Dictionary<string, Func<Stream, Protocol.Http.RequestHead, CancellationToken, Task>> routes, string otherwise) =>
        async (s, ct) =>
        {
            var request = await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            var path = request.Target.Split('?')[0];
            if (routes.TryGetValue(path, out var route))
            {
                await route(s, request, ct).ConfigureAwait(false);
            }
            else
            {
                await RawHttp.WriteAsync(s, otherwise, ct).ConfigureAwait(false);
            }
        };

    private static async Task Upgraded(Stream s, Protocol.Http.RequestHead request, CancellationToken ct)
    {
        await RawHttp.WriteAsync(s, RawHttp.SwitchingProtocols(request), ct).ConfigureAwait(false);
        await FrameLoop.RunAsync(s, ct).ConfigureAwait(false);
    }

    /// <summary>An unsigned-looking JWT (the signature part is filler: wsdoctor never verifies it).</summary>
    public static string Jwt(params (string Claim, object Value)[] claims)
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var payload = string.Join(",", claims.Select(c => c.Value is DateTimeOffset t
            ? $"\"{c.Claim}\":{t.ToUnixTimeSeconds()}"
            : $"\"{c.Claim}\":\"{c.Value}\""));
        return $"{B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{B64("{" + payload + "}")}.bGFiLXNpZ25hdHVyZS1ub3QtY2hlY2tlZA";
    }
}
