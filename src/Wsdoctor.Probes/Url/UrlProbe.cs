using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Probes.Url;

/// <summary>The url layer: everything that can be said before a packet is sent.</summary>
public static class UrlProbe
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

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            var suggestion = (LooksLikeLocal(text) ? "ws://" : "wss://") + text;
            findings.Add(Finding.Create(Codes.UrlMissingScheme,
                $"'{Redact(text)}' has no scheme; did you mean {Redact(suggestion)}?",
                [$"URL: {Redact(text)}", "WebSocket URLs must start with ws:// or wss:// (RFC 6455 3)"],
                $"Use {Redact(suggestion)} (ws:// for plain connections, wss:// for TLS).",
                Data(("suggestedUrl", suggestion))));
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
                Data(("suggestedUrl", suggestion))));
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
            findings.Add(Finding.Create(Codes.UrlInvalid, $"the URL has a fragment '{text[hash..]}', which WebSocket URLs forbid",
                [$"URL: {Redact(text)}", $"fragment at character {hash + 1}: '{text[hash..]}' (RFC 6455 3: fragment identifiers MUST NOT be used)"],
                $"Remove '{text[hash..]}' from the URL: {Redact(text[..hash])}",
                Data(("suggestedUrl", text[..hash]))));
            return (null, findings);
        }

        if (PortProblem(text, schemeEnd + 3) is { } portError)
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, portError,
                [$"URL: {Redact(text)}", portError], "Use a port number from 1 to 65535."));
            return (null, findings);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
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

    private static bool LooksLikeLocal(string text) =>
        text.StartsWith("localhost", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("127.", StringComparison.Ordinal)
        || text.StartsWith("[::1]", StringComparison.Ordinal);

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
