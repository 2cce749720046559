namespace Wsdoctor.Probes.Browser.Csp;

/// <summary>Where a policy came from: it decides whether it blocks (enforced) or only reports.</summary>
public enum PolicySource
{
    Header,
    ReportOnlyHeader,
    MetaTag,
}

/// <summary>One serialized policy (CSP3 section 2.2): directive name to source list. Names are lower case; a
/// repeated directive is ignored (the first one wins), as the parsing algorithm says.</summary>
public sealed record ContentSecurityPolicy(string Text, PolicySource Source, IReadOnlyDictionary<string, IReadOnlyList<string>> Directives)
{
    public bool Enforced => Source != PolicySource.ReportOnlyHeader;

    public bool UpgradesInsecureRequests => Directives.ContainsKey("upgrade-insecure-requests");

    public string SourceName => Source switch
    {
        PolicySource.Header => "Content-Security-Policy header",
        PolicySource.ReportOnlyHeader => "Content-Security-Policy-Report-Only header",
        _ => "<meta http-equiv=\"Content-Security-Policy\">",
    };

    /// <summary><see cref="SourceName"/> in every output language.</summary>
    public Findings.Text SourceLabel => Source switch
    {
        PolicySource.Header => Findings.Text.T(SourceName, "Content-Security-Policy 响应头"),
        PolicySource.ReportOnlyHeader => Findings.Text.T(SourceName, "Content-Security-Policy-Report-Only 响应头"),
        _ => Findings.Text.Verbatim(SourceName),
    };

    /// <summary>The directive that governs WebSocket connections: connect-src, else default-src (CSP3 6.8.3
    /// "effective directive" fallback list for connect-src); null when neither is present (no restriction).</summary>
    public (string Name, IReadOnlyList<string> Sources)? ConnectDirective =>
        Directives.TryGetValue("connect-src", out var connect) ? ("connect-src", connect)
        : Directives.TryGetValue("default-src", out var fallback) ? ("default-src", fallback)
        : null;

    /// <summary>Parses one header value, which may hold several policies separated by commas (CSP3 "parse a
    /// serialized CSP list"). Empty policies are dropped.</summary>
    public static IReadOnlyList<ContentSecurityPolicy> ParseList(string headerValue, PolicySource source) =>
        headerValue.Split(',')
            .Select(p => Parse(p, source))
            .Where(p => p.Directives.Count > 0)
            .ToArray();

    public static ContentSecurityPolicy Parse(string serialized, PolicySource source)
    {
        var directives = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var token in serialized.Split(';'))
        {
            var trimmed = token.Trim(' ', '\t', '\n', '\r', '\f');
            if (trimmed.Length == 0)
            {
                continue;
            }

            var parts = trimmed.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);
            var name = parts[0].ToLowerInvariant();
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || directives.ContainsKey(name))
            {
                continue;
            }

            // Directives a <meta> policy may not carry are ignored there (CSP3 section 3.3).
            if (source == PolicySource.MetaTag && name is "frame-ancestors" or "report-uri" or "sandbox")
            {
                continue;
            }

            directives[name] = parts[1..];
        }

        return new ContentSecurityPolicy(serialized.Trim(), source, directives);
    }
}
