using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Protocol.Http;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Auth;

/// <summary>auth.header-unavailable-in-browser, made concrete: a browser's <c>new WebSocket(url, protocols)</c>
/// cannot send Authorization, so when the upgrade worked with the header, the same token is tried once more in
/// each place a browser can put it (no credentials at all, query, cookie, subprotocol). The answer says which of
/// them the server accepts, so the fix names a way that works.</summary>
internal static class BrowserAuthAlternatives
{
    private sealed record Alternative(Text Label, Text Code, CheckOptions Options);

    public static async Task RunAsync(DiagnosisContext ctx, TlsMaterial material)
    {
        var index = ctx.Findings.ToList().FindIndex(f => f.Code == Codes.AuthHeaderUnavailableInBrowser);
        if (index < 0 || ctx.Options.NoFollowUpProbes || ctx.Route is null || BearerToken(ctx.Options) is not { } token)
        {
            return;
        }

        var withoutHeader = ctx.Options with
        {
            Token = null,
            Headers = ctx.Options.Headers.Where(h => !h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).ToArray(),
        };
        var alternatives = new[]
        {
            new Alternative(T("no credentials at all", "完全不带凭据"), Empty, withoutHeader),
            new Alternative(T("query parameter ?token=", "查询参数 ?token="), Verbatim("new WebSocket(`" + Url(ctx, "token") + "`)"),
                withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Query, "token") }),
            new Alternative(T("query parameter ?access_token=", "查询参数 ?access_token="), Verbatim("new WebSocket(`" + Url(ctx, "access_token") + "`)"),
                withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Query, "access_token") }),
            new Alternative(Verbatim("cookie token="),
                T("a cookie set by the page's site (Set-Cookie: token=…; Secure; HttpOnly; SameSite=Strict) that the browser sends itself",
                    "由页面所在站点设置、浏览器自动发送的 cookie（Set-Cookie: token=…; Secure; HttpOnly; SameSite=Strict）"),
                withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Cookie, "token") }),
            new Alternative(T("subprotocol", "子协议"),
                T("new WebSocket(url, [token]) (the server must select it in Sec-WebSocket-Protocol)", "new WebSocket(url, [token])（服务端必须在 Sec-WebSocket-Protocol 中选中它）"),
                withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Subprotocol) }),
        };

        var results = await Task.WhenAll(alternatives.Select(a => FollowUpRequest.SendAsync(ctx, ctx.Route, ctx.Target, ctx.Options.Origin, material, a.Options))).ConfigureAwait(false);
        var lines = new List<Text>();
        var accepted = new List<Alternative>();
        for (var i = 0; i < alternatives.Length; i++)
        {
            var head = results[i]?.Head;
            var outcome = Outcome(head);
            lines.Add(T($"without Authorization, {alternatives[i].Label}: {outcome}", $"去掉 Authorization，{alternatives[i].Label}：{outcome}"));
            if (head?.StatusCode == 101 && i > 0)
            {
                accepted.Add(alternatives[i]);
            }
        }

        var original = ctx.Findings[index];
        var noneNeeded = results[0]?.Head?.StatusCode == 101;
        Text message, fix;
        if (noneNeeded)
        {
            message = T("credentials go in an Authorization header, which a browser cannot send; the server accepts the upgrade without it, so it must authenticate later (first message) or not at all",
                "凭据放在 Authorization 请求头里，而浏览器无法发送这个头；服务端不带它也接受升级，所以认证要么放在连接之后（首条消息），要么根本没有认证");
            fix = T("Nothing to change for the upgrade; if the application expects the token, send it as the first message after open.",
                "升级请求无需修改；如果应用需要令牌，就在连接打开后把它作为第一条消息发送。");
        }
        else if (accepted.Count > 0)
        {
            var places = Join(T(", ", "、"), accepted.Select(a => a.Label));
            message = T($"credentials go in an Authorization header, which a browser cannot send; the server also accepts the token as {places}",
                $"凭据放在 Authorization 请求头里，而浏览器无法发送这个头；服务端也接受以这些方式传递的令牌：{places}");
            fix = T("From a page, send the token as: ", "在页面中这样发送令牌：") + Join(T("; or ", "；或者 "), accepted.Select(a => a.Code)) + T(".", "。");
        }
        else
        {
            message = T("credentials go in an Authorization header, which a browser cannot send, and the server accepts the token nowhere else: a page cannot authenticate",
                "凭据放在 Authorization 请求头里，而浏览器无法发送这个头，服务端又不在其他位置接受令牌：页面无法完成认证");
            fix = T("Make the server accept the token where a browser can send it: a cookie of the page's site, a query parameter (short-lived), a subprotocol, or the first message after open.",
                "让服务端在浏览器能发送的位置接受令牌：页面所在站点的 cookie、查询参数（短期有效）、子协议，或连接打开后的第一条消息。");
        }

        ctx.Replace(index, Finding.Create(original.Code, message, [.. original.Evidence, .. lines], fix,
            new Dictionary<string, object?>
            {
                ["acceptedWithout"] = noneNeeded,
                ["acceptedAlternatives"] = accepted.Select(a => a.Label.En).ToArray(),
            },
            original.Severity));
    }

    private static Text Outcome(ResponseHead? head) =>
        head is null ? T("no answer", "无应答")
        : Verbatim($"{head.StatusCode} {head.Reason}".TrimEnd()) + (head.StatusCode == 101 ? T(" (accepted)", "（已接受）") : Empty);

    private static string Url(DiagnosisContext ctx, string name)
    {
        var uri = ctx.Target.Uri;
        var separator = uri.Query.Length > 0 ? "&" : "?";
        return $"{uri.GetLeftPart(UriPartial.Query)}{separator}{name}=${{token}}";
    }

    /// <summary>The bearer token that was sent in Authorization, from --token or -H 'Authorization: Bearer …'.</summary>
    private static string? BearerToken(CheckOptions options)
    {
        var header = options.Headers.LastOrDefault(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        if (header is not null)
        {
            return header.Value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header.Value[7..].Trim() : null;
        }

        return options.Token is not null && options.TokenIn.Kind == TokenPlacementKind.BearerHeader ? options.Token : null;
    }
}
