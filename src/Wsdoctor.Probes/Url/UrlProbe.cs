using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Secrets;
using static Wsdoctor.Findings.Text;

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
            findings.Add(Finding.Create(Codes.UrlInvalid, T("the URL is empty", "URL 为空"), [T("URL: (empty)", "URL：（空）")],
                T("Give a URL such as ws://localhost:8080/ws or wss://example.com/ws.", "请给出一个 URL，例如 ws://localhost:8080/ws 或 wss://example.com/ws。")));
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
                T($"'{Redact(text)}' has no scheme; did you mean {Redact(suggestion)}?", $"'{Redact(text)}' 缺少 scheme；你是不是想用 {Redact(suggestion)}？"),
                [UrlLine(text), T("WebSocket URLs must start with ws:// or wss:// (RFC 6455 3)", "WebSocket URL 必须以 ws:// 或 wss:// 开头（RFC 6455 3）")],
                T($"Use {Redact(suggestion)} (ws:// for plain connections, wss:// for TLS).", $"使用 {Redact(suggestion)}（明文连接用 ws://，TLS 用 wss://）。"),
                Data(("suggestedUrl", Redact(suggestion)))));
            return (null, findings);
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is "http" or "https")
        {
            var suggestion = (scheme == "https" ? "wss" : "ws") + text[schemeEnd..];
            findings.Add(Finding.Create(Codes.UrlHttpScheme,
                T($"{scheme}:// is not a WebSocket scheme; use {Redact(suggestion)}", $"{scheme}:// 不是 WebSocket 的 scheme；请用 {Redact(suggestion)}"),
                [UrlLine(text), T($"scheme '{scheme}' given; WebSocket clients such as Node ws and websocat reject it", $"给出的 scheme 是 '{scheme}'；Node ws、websocat 等 WebSocket 客户端会拒绝它")],
                T($"Use {Redact(suggestion)}.", $"使用 {Redact(suggestion)}。"),
                Data(("suggestedUrl", Redact(suggestion)))));
            return (null, findings);
        }

        if (scheme is not ("ws" or "wss"))
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, T($"unsupported scheme '{scheme}'", $"不支持的 scheme '{scheme}'"),
                [UrlLine(text), T("only ws:// and wss:// are WebSocket schemes", "只有 ws:// 和 wss:// 是 WebSocket 的 scheme")],
                T("Use ws:// or wss://.", "使用 ws:// 或 wss://。")));
            return (null, findings);
        }

        var hash = text.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            // The fragment can hold an OAuth access token (#access_token=...): show it redacted.
            var redacted = Redact(text);
            var fragment = redacted.IndexOf('#', StringComparison.Ordinal) is var h and >= 0 ? redacted[h..] : "#…";
            findings.Add(Finding.Create(Codes.UrlInvalid, T($"the URL has a fragment '{fragment}', which WebSocket URLs forbid", $"URL 带有片段 '{fragment}'，WebSocket URL 不允许带片段"),
                [T($"URL: {redacted}", $"URL：{redacted}"),
                 T($"fragment at character {hash + 1}: '{fragment}' (RFC 6455 3: fragment identifiers MUST NOT be used)", $"第 {hash + 1} 个字符处是片段：'{fragment}'（RFC 6455 3：不得使用片段标识符）")],
                T($"Remove '{fragment}' from the URL: {Redact(text[..hash])}", $"从 URL 中删除 '{fragment}'：{Redact(text[..hash])}"),
                Data(("suggestedUrl", Redact(text[..hash])))));
            return (null, findings);
        }

        if (PortProblem(text, schemeEnd + 3) is { } portError)
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, portError,
                [UrlLine(text), portError], T("Use a port number from 1 to 65535.", "使用 1 到 65535 之间的端口号。")));
            return (null, findings);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || !IdnHosts.HasIdnForm(uri))
        {
            findings.Add(Finding.Create(Codes.UrlInvalid, T("the URL cannot be parsed", "无法解析该 URL"),
                [UrlLine(text), T("host or path contains characters that are not allowed", "主机名或路径中含有不允许的字符")],
                T("Check the host name and escape spaces and special characters in the path (%20).", "检查主机名，并转义路径中的空格和特殊字符（%20）。")));
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

    private static Text? PortProblem(string text, int authorityStart)
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
            return T("the port after ':' is empty", "':' 后面的端口为空");
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 65535
            ? null
            : T($"port '{port}' is not a number from 1 to 65535", $"端口 '{port}' 不是 1 到 65535 之间的数字");
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
            T($"query parameter {string.Join(", ", names)} carries a credential", $"查询参数 {string.Join(", ", names)} 携带了凭据"),
            [UrlLine(target.Uri.OriginalString), T($"secret-looking query parameter(s): {string.Join(", ", names)}", $"疑似携带机密的查询参数：{string.Join(", ", names)}"),
             T("query strings are written to proxy, CDN and server access logs", "代理、CDN 和服务端的访问日志都会记下查询字符串")],
            data: Data(("parameters", names))));
    }

    private static void AddPortMismatchWarning(TargetUrl target, string text, List<Finding> findings)
    {
        var mismatch = (target.IsSecure && target.Port == 80) || (!target.IsSecure && target.Port == 443);
        if (mismatch)
        {
            var other = target.IsSecure ? "ws" : "wss";
            findings.Add(Finding.Create(Codes.UrlDefaultPortMismatch,
                T($"{target.Uri.Scheme}:// to port {target.Port} is almost always a scheme/port mix-up", $"{target.Uri.Scheme}:// 连到端口 {target.Port}，几乎可以肯定是把 scheme 和端口搞混了"),
                [UrlLine(text), T($"port {target.Port} is the default port of {other}://", $"端口 {target.Port} 是 {other}:// 的默认端口")],
                T($"Use {other}:// for port {target.Port}, or the {target.Uri.Scheme}:// port.", $"端口 {target.Port} 请用 {other}://，或改用 {target.Uri.Scheme}:// 的端口。")));
        }
    }

    private static string Redact(string url) => SecretRedactor.RedactUrl(url);

    private static Text UrlLine(string url) => T($"URL: {Redact(url)}", $"URL：{Redact(url)}");

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] items) =>
        items.ToDictionary(i => i.Key, i => i.Value);
}
