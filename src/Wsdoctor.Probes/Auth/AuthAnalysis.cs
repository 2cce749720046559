using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Auth;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Tls;

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
        var clockName = serverTime is null ? "local clock" : "server clock (Date header)";
        var clocks = serverTime is null
            ? $"local clock {CertificateAnalysis.Stamp(localAtReceipt)}; the server sent no Date header"
            : $"local clock {CertificateAnalysis.Stamp(localAtReceipt)}, server Date {CertificateAnalysis.Stamp(serverTime.Value)}";

        foreach (var (source, token) in Tokens(ctx.Options, ctx.Target.Uri))
        {
            if (!JwtInspector.TryDecode(token, out var jwt) || jwt is null)
            {
                continue;
            }

            var claims = $"JWT from {source}: alg {jwt.Algorithm ?? "?"}, exp {Stamp(jwt.ExpiresAt)}, nbf {Stamp(jwt.NotBefore)}, iat {Stamp(jwt.IssuedAt)}";
            var severity = refused ? Severity.Error : Severity.Warning;
            var accepted = refused ? "" : " (the server accepted it anyway)";
            if (jwt.ExpiresAt is { } exp && exp <= reference)
            {
                ctx.Add(Finding.Create(Codes.AuthTokenExpired,
                    $"the token from {source} expired {CertificateAnalysis.Ago(reference - exp)} ago by the {clockName}{accepted}",
                    [claims, clocks],
                    data: new Dictionary<string, object?> { ["source"] = source, ["expiresAt"] = exp, ["reference"] = reference, ["expiredSeconds"] = Math.Round((reference - exp).TotalSeconds) },
                    severity: severity));
                continue;
            }

            var start = jwt.NotBefore ?? jwt.IssuedAt;
            if (start is { } s && s > reference)
            {
                var claim = jwt.NotBefore is null ? "iat" : "nbf";
                ctx.Add(Finding.Create(Codes.AuthTokenNotYetValid,
                    $"the token from {source} is valid only from {Stamp(s)} ({claim}), {CertificateAnalysis.Ago(s - reference)} after the {clockName}{accepted}",
                    [claims, clocks, $"{claim} - {clockName} = {(s - reference).TotalSeconds:0} s"],
                    data: new Dictionary<string, object?> { ["source"] = source, ["claim"] = claim, ["validFrom"] = s, ["reference"] = reference, ["aheadSeconds"] = Math.Round((s - reference).TotalSeconds) },
                    severity: severity));
            }
        }

        if (serverTime is { } server)
        {
            var skew = localAtReceipt - server;
            // The Date header has one-second resolution; anything under the threshold is noise.
            if (skew.Duration() > SkewThreshold)
            {
                var direction = skew > TimeSpan.Zero ? "ahead of" : "behind";
                ctx.Add(Finding.Create(Codes.AuthClockSkew,
                    $"the local clock is {Math.Abs(skew.TotalSeconds):0} s {direction} the server's",
                    [clocks, $"difference: {skew.TotalSeconds:0} s (threshold {SkewThreshold.TotalSeconds:0} s)"],
                    data: new Dictionary<string, object?> { ["skewSeconds"] = Math.Round(skew.TotalSeconds), ["localTime"] = localAtReceipt, ["serverTime"] = server }));
            }
        }

        if (ctx.Options.Headers.Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            || (ctx.Options.Token is not null && ctx.Options.TokenIn.Kind == Probes.TokenPlacementKind.BearerHeader))
        {
            ctx.Add(Finding.Create(Codes.AuthHeaderUnavailableInBrowser,
                "credentials go in an Authorization header, which a browser's WebSocket cannot send",
                ["the upgrade request carries Authorization", "new WebSocket(url, protocols) has no way to set headers"]));
        }
    }

    private static IEnumerable<(string Source, string Token)> Tokens(CheckOptions options, Uri target)
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
            yield return ("--token", token);
        }

        foreach (var header in options.Headers)
        {
            if (header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                yield return ("the Authorization header", header.Value);
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
                yield return ($"query parameter {Uri.UnescapeDataString(parts[0])}", Uri.UnescapeDataString(parts[1]));
            }
        }
    }

    private static IEnumerable<(string, string)> CookieValues(string cookieHeader) =>
        cookieHeader.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Split('=', 2))
            .Where(p => p.Length == 2)
            .Select(p => ($"cookie {p[0]}", p[1]));

    private static string Stamp(DateTimeOffset? t) => t is null ? "-" : CertificateAnalysis.Stamp(t.Value);
}
