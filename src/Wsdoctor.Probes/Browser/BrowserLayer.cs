using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Browser;

/// <summary>The browser layer (last in the layer order): the rules a browser applies before, or instead of, the
/// connection that a command-line client makes — mixed content, the restricted ports, Local Network Access,
/// the page's Content-Security-Policy, and certificate errors that only --insecure let through. These rules do not
/// depend on the server answering, so they are judged even when an earlier layer failed.</summary>
internal static class BrowserLayer
{
    public static async Task RunAsync(DiagnosisContext ctx, Task<PageFetch>? pageFetch)
    {
        if (ctx.Target is null)
        {
            return;
        }

        if (!ctx.Options.BrowserLayer)
        {
            return;
        }

        var target = ctx.Target.Uri;
        var port = RestrictedPorts.Check(ctx.Target.Port);
        var page = ctx.Options.PageOrigin!;
        var pageUrl = ctx.Options.PageUrl?.ToString() ?? page.Serialized + "/";
        var notes = new List<string>();
        var effective = target;
        PageFetch? fetched = null;
        CspVerdict? csp = null;
        if (pageFetch is not null)
        {
            fetched = await pageFetch.ConfigureAwait(false);
            if (fetched.Succeeded)
            {
                csp = CspEvaluation.Evaluate(fetched.Policies, page, target);
                effective = csp.EffectiveUrl;
            }
        }

        var mixed = MixedContent.Check(page, pageUrl, effective);
        if (mixed.Blocked)
        {
            ctx.Add(MixedContentFinding(page, effective, mixed));
        }

        if (port.BlockedAnywhere)
        {
            ctx.Add(UnsafePort(port));
        }

        if (csp is not null)
        {
            CspFindings(ctx, page, fetched!, csp, notes);
        }
        else if (fetched is { Succeeded: false } failed)
        {
            notes.Add($"page {failed.RequestedUrl} not read: {failed.Error}");
        }

        notes.Add(await LocalNetworkAccess.RunAsync(ctx, page, effective).ConfigureAwait(false));
        CertificateStricter(ctx);

        var summary = string.Join("; ", notes.Where(n => n.Length > 0).Prepend($"page {page}" + (mixed.Blocked ? ": mixed content" : "")));
        ctx.Layer(Layer.Browser, ctx.StatusOf(Layer.Browser), null, summary);
    }

    private static Finding MixedContentFinding(PageOrigin page, Uri target, MixedContentVerdict mixed)
    {
        var secure = new UriBuilder(target) { Scheme = "wss", Port = target.Port == 80 ? -1 : target.Port }.Uri;
        return Finding.Create(Codes.BrowserMixedContent,
            $"a page at {page} cannot open {target}: the browser blocks ws:// from https pages as mixed content",
            [$"page origin: {page} (https)", $"WebSocket URL: {target}", mixed.Explanation,
             $"Chromium console: {mixed.ConsoleText}",
             "Firefox refuses the same way (SecurityError). The request never leaves the browser, so wscat, curl or wsdoctor without --page-origin connect fine"],
            $"Serve the WebSocket over TLS and open {secure} from the page: build the URL from location (`(location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws'`) and put the socket behind the site's TLS reverse proxy.",
            new Dictionary<string, object?> { ["pageOrigin"] = page.Serialized, ["url"] = target.ToString(), ["consoleText"] = mixed.ConsoleText, ["blockedBy"] = new[] { "chromium", "firefox" } });
    }

    private static Finding UnsafePort(PortVerdict port)
    {
        var blockedBy = new List<string>();
        if (port.BlockedByChromium)
        {
            blockedBy.Add("chromium");
        }

        if (port.BlockedByFirefox)
        {
            blockedBy.Add("firefox");
        }

        var service = port.Service is null ? "" : $" ({port.Service})";
        var evidence = new List<string>
        {
            $"port {port.Port}{service} is on the restricted port list of {port.Browsers}",
            $"Chromium's kRestrictedPorts (net/base/port_util.cc): {(port.BlockedByChromium ? "listed" : "not listed")}; the Fetch standard's bad ports (fetch.spec.whatwg.org/#bad-port, which Firefox applies): {(port.BlockedByFetchStandard ? "listed" : "not listed")}",
        };
        if (port.BlockedByChromium)
        {
            evidence.Add("Chromium fails the connection with net::ERR_UNSAFE_PORT before sending anything; the page sees error and close 1006");
        }

        return Finding.Create(Codes.BrowserUnsafePort,
            $"browsers refuse port {port.Port}{service}: it is on the restricted port list of {port.Browsers}",
            evidence,
            $"Serve the WebSocket on a port browsers allow (443 behind the site's reverse proxy, or e.g. 8080). For a local test only, Chromium takes --explicitly-allowed-ports={port.Port} and Firefox the pref network.security.ports.banned.override={port.Port}.",
            new Dictionary<string, object?> { ["port"] = port.Port, ["service"] = port.Service, ["blockedBy"] = blockedBy.ToArray() });
    }

    private static void CspFindings(DiagnosisContext ctx, PageOrigin page, PageFetch fetched, CspVerdict csp, List<string> notes)
    {
        var status = $"fetched {fetched.FinalUrl} ({fetched.Status}){(fetched.Redirects.Count > 0 ? $" after {string.Join(", ", fetched.Redirects)}" : "")}";
        var upgraded = csp.Upgraded ? $"upgrade-insecure-requests turns {ctx.Target.Uri} into {csp.EffectiveUrl} before any check" : null;
        if (!csp.Blocked)
        {
            var allowedBy = csp.Decisions.Where(d => d.Policy.Enforced && d.AllowedBy is not null).Select(d => $"{d.Directive} {d.AllowedBy}").ToArray();
            notes.Add(fetched.Policies.Count == 0 ? "the page sends no Content-Security-Policy"
                : allowedBy.Length > 0 ? $"CSP allows it ({string.Join(", ", allowedBy)})" : "CSP has no connect-src or default-src");
            if (csp.Upgraded)
            {
                notes.Add(upgraded!);
            }

            foreach (var reportOnly in csp.ReportOnlyViolations)
            {
                notes.Add($"the report-only policy '{reportOnly.Directive} {string.Join(' ', reportOnly.Sources)}' would block it (reported, not enforced)");
            }

            return;
        }

        var blocking = csp.Blocking.ToArray();
        var first = blocking[0];
        var evidence = new List<string> { status };
        if (upgraded is not null)
        {
            evidence.Add(upgraded);
        }

        foreach (var d in blocking)
        {
            evidence.Add($"{d.Policy.SourceName}: {d.Policy.Text}");
            evidence.Add($"-> {d.Directive} {string.Join(' ', d.Sources)} does not allow {csp.EffectiveUrl}{(d.Directive == "default-src" ? " (no connect-src, so default-src applies)" : "")}");
        }

        evidence.Add($"Chromium console: {csp.ConsoleText}");
        var addition = CspAddition(csp.EffectiveUrl);
        var fix = $"Add {addition} to connect-src in the {first.Policy.SourceName} (keep what is there): connect-src {string.Join(' ', first.Sources.Where(s => s != "'none'"))} {addition}"
            + "\n  nginx:   add_header Content-Security-Policy \"... connect-src 'self' " + addition + "\" always;"
            + "\n  Express: helmet.contentSecurityPolicy({ directives: { connectSrc: [\"'self'\", \"" + addition + "\"] } })"
            + (blocking.Length > 1 ? "\nEvery enforced policy must allow it: change each one listed above." : "");
        ctx.Add(Finding.Create(Codes.BrowserCspBlocks,
            $"the page's Content-Security-Policy blocks {csp.EffectiveUrl}: {first.Directive} {string.Join(' ', first.Sources)}",
            evidence, fix,
            new Dictionary<string, object?>
            {
                ["pageUrl"] = fetched.FinalUrl?.ToString(),
                ["directive"] = first.Directive,
                ["sources"] = first.Sources.ToArray(),
                ["policySource"] = first.Policy.Source.ToString().ToLowerInvariant(),
                ["checkedUrl"] = csp.EffectiveUrl.ToString(),
                ["consoleText"] = csp.ConsoleText,
            }));
    }

    /// <summary>The narrowest source expression that allows the URL: scheme, host and a non-default port.</summary>
    private static string CspAddition(Uri url) =>
        url.IsDefaultPort ? $"{url.Scheme}://{url.Authority}" : $"{url.Scheme}://{url.Host}:{url.Port}";

    private static void CertificateStricter(DiagnosisContext ctx)
    {
        if (!ctx.Options.Insecure)
        {
            return;
        }

        var certificateErrors = ctx.Findings.Where(f => f.Layer == Layer.Tls && f.Severity == Severity.Error && BrowserCertificateErrors.For(f.Code) is not null).ToArray();
        if (certificateErrors.Length == 0)
        {
            return;
        }

        var evidence = new List<string> { "wsdoctor went past the certificate error only because of --insecure (-k), like Postman with SSL verification off, curl -k or wscat --no-check" };
        var chromium = new List<string>();
        var firefox = new List<string>();
        foreach (var finding in certificateErrors)
        {
            var errors = BrowserCertificateErrors.For(finding.Code)!;
            evidence.Add($"{finding.Code}: {finding.Message} -> Chromium {errors.Chromium}, Firefox {errors.Firefox}");
            chromium.Add(errors.Chromium);
            firefox.Add(errors.Firefox);
        }

        evidence.Add("a browser has no \"proceed anyway\" for a WebSocket: the socket fails and the page sees only error and close 1006");
        ctx.Add(Finding.Create(Codes.BrowserCertStricter,
            $"the certificate works only with verification off: browsers refuse it ({string.Join(", ", chromium.Distinct())})",
            evidence,
            $"Fix the certificate, not the client: {certificateErrors[0].Fix}",
            new Dictionary<string, object?> { ["tlsCodes"] = certificateErrors.Select(f => f.Code).ToArray(), ["chromium"] = chromium.Distinct().ToArray(), ["firefox"] = firefox.Distinct().ToArray() }));
    }
}
