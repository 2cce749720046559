using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Probes.Auth;

/// <summary>auth.header-unavailable-in-browser, made concrete: a browser's <c>new WebSocket(url, protocols)</c>
/// cannot send Authorization, so when the upgrade worked with the header, the same token is tried once more in
/// each place a browser can put it (no credentials at all, query, cookie, subprotocol). The answer says which of
/// them the server accepts, so the fix names a way that works.</summary>
internal static class BrowserAuthAlternatives
{
    private sealed record Alternative(string Label, string Code, CheckOptions Options);

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
            new Alternative("no credentials at all", "", withoutHeader),
            new Alternative("query parameter ?token=", "new WebSocket(`" + Url(ctx, "token") + "`)", withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Query, "token") }),
            new Alternative("query parameter ?access_token=", "new WebSocket(`" + Url(ctx, "access_token") + "`)", withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Query, "access_token") }),
            new Alternative("cookie token=", "a cookie set by the page's site (Set-Cookie: token=…; Secure; HttpOnly; SameSite=Strict) that the browser sends itself", withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Cookie, "token") }),
            new Alternative("subprotocol", "new WebSocket(url, [token]) (the server must select it in Sec-WebSocket-Protocol)", withoutHeader with { Token = token, TokenIn = new TokenPlacement(TokenPlacementKind.Subprotocol) }),
        };

        var results = await Task.WhenAll(alternatives.Select(a => FollowUpRequest.SendAsync(ctx, ctx.Route, ctx.Target, ctx.Options.Origin, material, a.Options))).ConfigureAwait(false);
        var lines = new List<string>();
        var accepted = new List<Alternative>();
        for (var i = 0; i < alternatives.Length; i++)
        {
            var head = results[i]?.Head;
            lines.Add($"without Authorization, {alternatives[i].Label}: {Outcome(head)}");
            if (head?.StatusCode == 101 && i > 0)
            {
                accepted.Add(alternatives[i]);
            }
        }

        var original = ctx.Findings[index];
        var noneNeeded = results[0]?.Head?.StatusCode == 101;
        string message, fix;
        if (noneNeeded)
        {
            message = "credentials go in an Authorization header, which a browser cannot send; the server accepts the upgrade without it, so it must authenticate later (first message) or not at all";
            fix = "Nothing to change for the upgrade; if the application expects the token, send it as the first message after open.";
        }
        else if (accepted.Count > 0)
        {
            message = $"credentials go in an Authorization header, which a browser cannot send; the server also accepts the token as {string.Join(", ", accepted.Select(a => a.Label))}";
            fix = "From a page, send the token as: " + string.Join("; or ", accepted.Select(a => a.Code)) + ".";
        }
        else
        {
            message = "credentials go in an Authorization header, which a browser cannot send, and the server accepts the token nowhere else: a page cannot authenticate";
            fix = "Make the server accept the token where a browser can send it: a cookie of the page's site, a query parameter (short-lived), a subprotocol, or the first message after open.";
        }

        ctx.Replace(index, Finding.Create(original.Code, Text.Untranslated(message), [.. original.Evidence, .. lines.Select(Text.Untranslated)], Text.Untranslated(fix),
            new Dictionary<string, object?>
            {
                ["acceptedWithout"] = noneNeeded,
                ["acceptedAlternatives"] = accepted.Select(a => a.Label).ToArray(),
            },
            original.Severity));
    }

    private static string Outcome(ResponseHead? head) =>
        head is null ? "no answer" : $"{head.StatusCode} {head.Reason}".TrimEnd() + (head.StatusCode == 101 ? " (accepted)" : "");

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
