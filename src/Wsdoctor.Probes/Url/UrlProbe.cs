using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Probes.Url;

/// <summary>The url layer: everything that can be said before a packet is sent.</summary>
public static partial class UrlProbe
{
    public static (TargetUrl? Target, IReadOnlyList<Finding> Findings) Analyze(string input)
    {
        var findings = new List<Finding>();
        var text = input.Trim();
        if (text.Length == 0)
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, "the URL is empty", ["URL: (empty)"],
                "Give a URL such as ws://localhost:8080/ws or wss://example.com/ws."));
            return (null, findings);
        }

        // A scheme is a token before "://" at the very start (RFC 3986 3.1), not a "://" inside the query.
        var schemeMatch = SchemePattern().Match(text);
        var schemeEnd = schemeMatch.Success ? schemeMatch.Length - 3 : -1;
        if (schemeEnd < 0)
        {
            // "ws:/host", "ws//host", "wss:host": a mistyped scheme rather than a missing one.
            var typo = SchemeTypoPattern().Match(text);
            var rest = typo.Success ? text[typo.Length..] : text;
            var scheme0 = typo.Success
                ? typo.Groups[1].Value.ToLowerInvariant() switch { "http" => "ws", "https" => "wss", var ws => ws }
                : LooksLikeLocal(text) ? "ws" : "wss";
            var suggestion = $"{scheme0}://{rest}";
            findings.Add(Finding.Create(Codes.UrlMissingScheme,
                $"'{Redact(text)}' has no scheme; did you mean {Redact(suggestion)}?",
                [$"URL: {Redact(text)}", "WebSocket URLs must start with ws:// or wss:// (RFC 6455 3)"],
                $"Use {Redact(suggestion)} (ws:// for plain connections, wss:// for TLS).",
                Data(("suggestedUrl", Redact(suggestion)))));
            return (null, findings);
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is "http" or "https")
        {
            var suggestion = (scheme == "https" ? "wss" : "ws") + text[schemeEnd..];
            findings.Add(Finding.Create(Codes.UrlHttpScheme,
                $"{scheme}:// is not a WebSocket scheme; use {Redact(suggestion)}",
                [$"URL: {Redact(text)}", $"scheme '{scheme}' given; WebSocket clients such as Node ws and websocat reject it"],
                $"Use {Redact(suggestion)}.",
                Data(("suggestedUrl", Redact(suggestion)))));
            return (null, findings);
        }

        if (scheme is not ("ws" or "wss"))
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, $"unsupported scheme '{scheme}'",
                [$"URL: {Redact(text)}", "only ws:// and wss:// are WebSocket schemes"],
                "Use ws:// or wss://."));
            return (null, findings);
        }

        var hash = text.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            // The fragment can hold an OAuth access token (#access_token=...): show it redacted.
            var redacted = Redact(text);
            var fragment = redacted.IndexOf('#', StringComparison.Ordinal) is var h and >= 0 ? redacted[h..] : "#…";
            findings.Add(Finding.Create(Codes.UrlInvalid, $"the URL has a fragment '{fragment}', which WebSocket URLs forbid",
                [$"URL: {redacted}", $"fragment at character {hash + 1}: '{fragment}' (RFC 6455 3: fragment identifiers MUST NOT be used)"],
                $"Remove '{fragment}' from the URL: {Redact(text[..hash])}",
                Data(("suggestedUrl", Redact(text[..hash])))));
            return (null, findings);
        }

        if (PortProblem(text, schemeEnd + 3) is { } portError)
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, portError,
                [$"URL: {Redact(text)}", portError], "Use a port number from 1 to 65535."));
            return (null, findings);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || !IdnHosts.HasIdnForm(uri))
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, "the URL cannot be parsed",
                [$"URL: {Redact(text)}", "host or path contains characters that are not allowed"],
                "Check the host name and escape spaces and special characters in the path (%20)."));
            return (null, findings);
        }

        var target = new TargetUrl(uri);
        AddQueryTokenWarning(target, findings);
        AddPortMismatchWarning(target, text, findings);
        return (target, findings);
    }

    private static bool LooksLikeLocal(string text)
    {
        var host = text.StartsWith('[') ? text[..(text.IndexOf(']', StringComparison.Ordinal) + 1)] : text.Split('/', ':', '?')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.StartsWith("127.", StringComparison.Ordinal)
            || host is "[::1]" or "0.0.0.0";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial System.Text.RegularExpressions.Regex SchemePattern();

    [System.Text.RegularExpressions.GeneratedRegex("^(wss?|https?):?/*(?=[^/])", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SchemeTypoPattern();

    private static string? PortProblem(string text, int authorityStart)
    {
        var end = text.IndexOfAny(['/', '?'], authorityStart);
        var authority = end < 0 ? text[authorityStart..] : text[authorityStart..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        var bracket = authority.LastIndexOf(']');
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || colon < bracket)
        {
            return null;
        }

        var port = authority[(colon + 1)..];
        if (port.Length == 0)
        {
            return "the port after ':' is empty";
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 65535
            ? null
            : $"port '{port}' is not a number from 1 to 65535";
    }

    private static void AddQueryTokenWarning(TargetUrl target, List<Finding> findings)
    {
        var query = target.Uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return;
        }

        var names = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Uri.UnescapeDataString(p.Split('=', 2)[0]))
            .Where(SecretRedactor.IsSecretQueryName)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        if (names.Length == 0)
        {
            return;
        }

        findings.Add(Finding.Create(Codes.UrlTokenInQuery,
            $"query parameter {string.Join(", ", names)} carries a credential",
            [$"URL: {Redact(target.Uri.OriginalString)}", $"secret-looking query parameter(s): {string.Join(", ", names)}",
             "query strings are written to proxy, CDN and server access logs"],
            data: Data(("parameters", names))));
    }

    private static void AddPortMismatchWarning(TargetUrl target, string text, List<Finding> findings)
    {
        var mismatch = (target.IsSecure && target.Port == 80) || (!target.IsSecure && target.Port == 443);
        if (mismatch)
        {
            var other = target.IsSecure ? "ws" : "wss";
            findings.Add(Finding.Create(Codes.UrlDefaultPortMismatch,
                $"{target.Uri.Scheme}:// to port {target.Port} is almost always a scheme/port mix-up",
                [$"URL: {Redact(text)}", $"port {target.Port} is the default port of {other}://"],
                $"Use {other}:// for port {target.Port}, or the {target.Uri.Scheme}:// port."));
        }
    }

    private static string Redact(string url) => SecretRedactor.RedactUrl(url);

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] items) =>
        items.ToDictionary(i => i.Key, i => i.Value);
}
