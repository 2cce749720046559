using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Auth;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Auth;

/// <summary>The auth findings: JWTs in what we sent, judged against the server's clock (its Date header),
/// because the server decides with its clock, not ours. Tokens are decoded only, never verified, and the
/// signature is never printed.</summary>
internal static class AuthAnalysis
{
    public static readonly TimeSpan SkewThreshold = TimeSpan.FromSeconds(30);

    public static void Run(DiagnosisContext ctx, ResponseHead head, DateTimeOffset localAtReceipt)
    {
        DateTimeOffset? serverTime = DateTimeOffset.TryParseExact(head.Get("Date"), "r", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        var refused = head.StatusCode is 401 or 403;
        var reference = serverTime ?? localAtReceipt;
        var clockName = serverTime is null ? T("local clock", "本地时钟") : T("server clock (Date header)", "服务端时钟（Date 响应头）");
        var local = CertificateAnalysis.Stamp(localAtReceipt);
        var clocks = serverTime is null
            ? T($"local clock {local}; the server sent no Date header", $"本地时钟 {local}；服务端没有发送 Date 响应头")
            : T($"local clock {local}, server Date {CertificateAnalysis.Stamp(serverTime.Value)}", $"本地时钟 {local}，服务端 Date {CertificateAnalysis.Stamp(serverTime.Value)}");

        foreach (var (source, token) in Tokens(ctx.Options, ctx.Target.Uri))
        {
            if (!JwtInspector.TryDecode(token, out var jwt) || jwt is null)
            {
                continue;
            }

            var claims = T($"JWT from {source}: alg {jwt.Algorithm ?? "?"}, exp {Stamp(jwt.ExpiresAt)}, nbf {Stamp(jwt.NotBefore)}, iat {Stamp(jwt.IssuedAt)}",
                $"来自 {source} 的 JWT：alg {jwt.Algorithm ?? "?"}，exp {Stamp(jwt.ExpiresAt)}，nbf {Stamp(jwt.NotBefore)}，iat {Stamp(jwt.IssuedAt)}");
            if (jwt.ExpiresAt is { } exp && exp <= reference)
            {
                var ago = Ago(reference - exp);
                var expired = T($"the token from {source} expired {ago} ago by the {clockName}", $"按{clockName}，来自 {source} 的令牌已过期 {ago}");
                Add(ctx, refused, expired, Finding.Create(Codes.AuthTokenExpired,
                    refused ? expired : expired + Accepted,
                    [claims, clocks],
                    data: new Dictionary<string, object?> { ["source"] = source.En, ["expiresAt"] = exp, ["reference"] = reference, ["expiredSeconds"] = Math.Round((reference - exp).TotalSeconds) },
                    severity: refused ? Severity.Error : Severity.Warning));
                continue;
            }

            var start = jwt.NotBefore ?? jwt.IssuedAt;
            if (start is { } s && s > reference)
            {
                var claim = jwt.NotBefore is null ? "iat" : "nbf";
                var ahead = Ago(s - reference);
                var early = T($"the token from {source} is valid only from {Stamp(s)} ({claim}), {ahead} after the {clockName}",
                    $"来自 {source} 的令牌从 {Stamp(s)}（{claim}）起才生效，比{clockName}的当前时间晚 {ahead}");
                Add(ctx, refused, early, Finding.Create(Codes.AuthTokenNotYetValid,
                    refused ? early : early + Accepted,
                    [claims, clocks, T($"{claim} - {clockName} = {(s - reference).TotalSeconds:0} s", $"{claim} - {clockName} = {(s - reference).TotalSeconds:0} s")],
                    data: new Dictionary<string, object?> { ["source"] = source.En, ["claim"] = claim, ["validFrom"] = s, ["reference"] = reference, ["aheadSeconds"] = Math.Round((s - reference).TotalSeconds) },
                    severity: refused ? Severity.Error : Severity.Warning));
            }
        }

        if (serverTime is { } server)
        {
            var skew = localAtReceipt - server;
            // The Date header has one-second resolution; anything under the threshold is noise.
            if (skew.Duration() > SkewThreshold)
            {
                var seconds = Math.Abs(skew.TotalSeconds);
                ctx.Add(Finding.Create(Codes.AuthClockSkew,
                    skew > TimeSpan.Zero
                        ? T($"the local clock is {seconds:0} s ahead of the server's", $"本地时钟比服务端快 {seconds:0} s")
                        : T($"the local clock is {seconds:0} s behind the server's", $"本地时钟比服务端慢 {seconds:0} s"),
                    [clocks, T($"difference: {skew.TotalSeconds:0} s (threshold {SkewThreshold.TotalSeconds:0} s)", $"相差 {skew.TotalSeconds:0} s（阈值 {SkewThreshold.TotalSeconds:0} s）")],
                    data: new Dictionary<string, object?> { ["skewSeconds"] = Math.Round(skew.TotalSeconds), ["localTime"] = localAtReceipt, ["serverTime"] = server }));
            }
        }

        if (ctx.Options.Headers.Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            || (ctx.Options.Token is not null && ctx.Options.TokenIn.Kind == Probes.TokenPlacementKind.BearerHeader))
        {
            ctx.Add(Finding.Create(Codes.AuthHeaderUnavailableInBrowser,
                T("credentials go in an Authorization header, which a browser's WebSocket cannot send", "凭据放在 Authorization 请求头里，而浏览器的 WebSocket 发不了这个请求头"),
                [T("the upgrade request carries Authorization", "升级请求带有 Authorization"),
                 T("new WebSocket(url, protocols) has no way to set headers", "new WebSocket(url, protocols) 无法设置请求头")]));
        }
    }

    /// <summary>" (the server accepted it anyway)": the remark on a token finding that is only a warning.</summary>
    private static Text Accepted => T(" (the server accepted it anyway)", "（但服务端仍然接受了它）");

    /// <summary>A token finding: an error when the server refused, else a warning that a later symptom may
    /// escalate (<see cref="DiagnosisContext.Escalate"/>), and then it reads <paramref name="asError"/>, without the remark.</summary>
    private static void Add(DiagnosisContext ctx, bool refused, Text asError, Finding finding)
    {
        if (refused)
        {
            ctx.Add(finding);
        }
        else
        {
            ctx.Add(finding, asError);
        }
    }

    /// <summary>How long, in the largest unit that gives at least 2 (as <see cref="CertificateAnalysis.Ago"/>).</summary>
    private static Text Ago(TimeSpan span) =>
        span.TotalDays >= 2 ? T($"{span.TotalDays:0} days", $"{span.TotalDays:0} 天")
        : span.TotalHours >= 2 ? T($"{span.TotalHours:0} hours", $"{span.TotalHours:0} 小时")
        : span.TotalMinutes >= 2 ? T($"{span.TotalMinutes:0} minutes", $"{span.TotalMinutes:0} 分钟")
        : T($"{span.TotalSeconds:0} seconds", $"{span.TotalSeconds:0} 秒");

    private static IEnumerable<(Text Source, string Token)> Tokens(CheckOptions options, Uri target)
    {
        // Only what was really sent: a -H with the same name replaced --token / --cookie in the request.
        bool Overridden(string name) => options.Headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        var tokenHeader = options.TokenIn.Kind switch
        {
            TokenPlacementKind.BearerHeader => "Authorization",
            TokenPlacementKind.Header => options.TokenIn.Name,
            TokenPlacementKind.Cookie => "Cookie",
            TokenPlacementKind.Subprotocol => "Sec-WebSocket-Protocol",
            _ => null,
        };
        if (options.Token is { } token && (tokenHeader is null || !Overridden(tokenHeader)))
        {
            yield return (Verbatim("--token"), token);
        }

        foreach (var header in options.Headers)
        {
            if (header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                yield return (T("the Authorization header", "Authorization 请求头"), header.Value);
            }
            else if (header.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var c in CookieValues(header.Value))
                {
                    yield return c;
                }
            }
        }

        if (options.Cookie is { } cookie && !Overridden("Cookie"))
        {
            foreach (var c in CookieValues(cookie))
            {
                yield return c;
            }
        }

        foreach (var pair in target.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2)
            {
                var name = Uri.UnescapeDataString(parts[0]);
                yield return (T($"query parameter {name}", $"查询参数 {name}"), Uri.UnescapeDataString(parts[1]));
            }
        }
    }

    private static IEnumerable<(Text, string)> CookieValues(string cookieHeader) =>
        cookieHeader.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Split('=', 2))
            .Where(p => p.Length == 2)
            .Select(p => (Verbatim($"cookie {p[0]}"), p[1]));

    private static string Stamp(DateTimeOffset? t) => t is null ? "-" : CertificateAnalysis.Stamp(t.Value);
}
