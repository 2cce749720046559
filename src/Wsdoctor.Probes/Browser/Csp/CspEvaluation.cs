using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Probes.Browser.Csp;

/// <summary>One policy's say on the WebSocket URL.</summary>
public sealed record PolicyDecision(ContentSecurityPolicy Policy, string? Directive, IReadOnlyList<string> Sources, string? AllowedBy)
{
    public bool Allows => Directive is null || AllowedBy is not null;
}

/// <summary>What all of a page's policies make of one WebSocket URL.</summary>
public sealed record CspVerdict(Uri EffectiveUrl, bool Upgraded, IReadOnlyList<PolicyDecision> Decisions)
{
    /// <summary>Every enforced policy must allow the URL (CSP3 section 4.1: policies only ever add restrictions).</summary>
    public bool Blocked => Blocking.Any();

    public IEnumerable<PolicyDecision> Blocking => Decisions.Where(d => d.Policy.Enforced && !d.Allows);

    public IEnumerable<PolicyDecision> ReportOnlyViolations => Decisions.Where(d => !d.Policy.Enforced && !d.Allows);

    /// <summary>Chromium's console message for the first blocking policy (as Chromium 156 words it).</summary>
    public string? ConsoleText => Blocking.FirstOrDefault() is { } d
        ? $"Connecting to '{EffectiveUrl}' violates the following Content Security Policy directive: \"{d.Directive} {string.Join(' ', d.Sources)}\"."
            + (d.Directive == "default-src" ? " Note that 'connect-src' was not explicitly set, so 'default-src' is used as a fallback." : "")
            + " The action has been blocked."
        : null;
}

/// <summary>Applies a page's Content-Security-Policy to <c>new WebSocket(url)</c>.</summary>
public static class CspEvaluation
{
    public static CspVerdict Evaluate(IReadOnlyList<ContentSecurityPolicy> policies, PageOrigin page, Uri webSocketUrl)
    {
        var url = webSocketUrl;
        var upgraded = false;
        // Upgrade Insecure Requests (W3C, section 4.1), which the WebSocket constructor applies: ws:// becomes
        // wss://, and an explicit port 80 becomes 443. Only enforced policies carry it, and browsers leave
        // potentially trustworthy URLs (loopback, localhost) alone: Chromium 156 keeps ws://127.0.0.1 as it is.
        var host = url.HostNameType == UriHostNameType.IPv6 ? url.Host : url.IdnHost;
        if (url.Scheme == "ws" && !Trustworthiness.IsPotentiallyTrustworthy(url.Scheme, host) && policies.Any(p => p.Enforced && p.UpgradesInsecureRequests))
        {
            var builder = new UriBuilder(url) { Scheme = "wss" };
            builder.Port = url.Port == 80 ? -1 : url.Port;
            url = builder.Uri;
            upgraded = true;
        }

        var decisions = new List<PolicyDecision>();
        foreach (var policy in policies)
        {
            if (policy.ConnectDirective is not { } directive)
            {
                decisions.Add(new PolicyDecision(policy, null, [], null));
                continue;
            }

            decisions.Add(new PolicyDecision(policy, directive.Name, directive.Sources, SourceListMatcher.MatchingExpression(url, directive.Sources, page)));
        }

        return new CspVerdict(url, upgraded, decisions);
    }
}
