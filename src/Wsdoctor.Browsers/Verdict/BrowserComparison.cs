using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Browsers.Verdict;

/// <summary>Sets the browser's verdict beside wsdoctor's: do they agree, and when they do not, why.</summary>
public static partial class BrowserComparison
{
    /// <summary>Browser error texts and the findings that explain them (Chromium net errors, Firefox NSS codes,
    /// Chromium's handshake messages).</summary>
    private static readonly (string Marker, string[] Codes)[] Explained =
    [
        ("ERR_CERT_AUTHORITY_INVALID", [Codes.TlsUntrustedRoot, Codes.TlsSelfSigned, Codes.TlsIncompleteChain, Codes.BrowserCertStricter]),
        ("SEC_ERROR_UNKNOWN_ISSUER", [Codes.TlsUntrustedRoot, Codes.TlsIncompleteChain, Codes.BrowserCertStricter]),
        ("SELF_SIGNED", [Codes.TlsSelfSigned, Codes.TlsUntrustedRoot, Codes.BrowserCertStricter]),
        ("ERR_CERT_COMMON_NAME_INVALID", [Codes.TlsNameMismatch, Codes.TlsIpNotInSan, Codes.BrowserCertStricter]),
        ("BAD_CERT_DOMAIN", [Codes.TlsNameMismatch, Codes.TlsIpNotInSan, Codes.BrowserCertStricter]),
        ("ERR_CERT_DATE_INVALID", [Codes.TlsExpired, Codes.TlsNotYetValid, Codes.BrowserCertStricter]),
        ("EXPIRED_CERTIFICATE", [Codes.TlsExpired, Codes.BrowserCertStricter]),
        ("NOT_YET_VALID", [Codes.TlsNotYetValid, Codes.BrowserCertStricter]),
        ("ERR_UNSAFE_PORT", [Codes.BrowserUnsafePort]),
        ("ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS", [Codes.BrowserLocalNetworkAccess]),
        ("Mixed Content", [Codes.BrowserMixedContent]),
        ("insecure WebSocket", [Codes.BrowserMixedContent]),
        ("Content Security Policy", [Codes.BrowserCspBlocks]),
        ("Content-Security-Policy", [Codes.BrowserCspBlocks]),
        ("NS_ERROR_CONTENT_BLOCKED", [Codes.BrowserCspBlocks]),
        ("The operation is insecure", [Codes.BrowserMixedContent]),
        ("NS_ERROR_CONNECTION_REFUSED", [Codes.TcpRefused, Codes.DnsLocalhostFamily]),
        ("NS_ERROR_UNKNOWN_HOST", [Codes.DnsNotFound]),
        ("NS_ERROR_NET_TIMEOUT", [Codes.TcpTimeout, Codes.HttpNoResponse]),
        ("NS_ERROR_PROXY_CONNECTION_REFUSED", [Codes.ProxyConnectRefused]),
        ("SSL_ERROR_RX_RECORD_TOO_LONG", [Codes.TlsPlaintextPort]),
        ("SSL_ERROR_NO_CYPHER_OVERLAP", [Codes.TlsHandshakeFailed, Codes.TlsWeak]),
        ("SSL_ERROR_PROTOCOL_VERSION_ALERT", [Codes.TlsHandshakeFailed, Codes.TlsWeak]),
        ("ERR_CONNECTION_REFUSED", [Codes.TcpRefused, Codes.DnsLocalhostFamily]),
        ("ERR_NAME_NOT_RESOLVED", [Codes.DnsNotFound]),
        ("ERR_CONNECTION_TIMED_OUT", [Codes.TcpTimeout]),
        ("ERR_ADDRESS_UNREACHABLE", [Codes.TcpUnreachable]),
        ("ERR_SSL_PROTOCOL_ERROR", [Codes.TlsPlaintextPort, Codes.TlsHandshakeFailed]),
        ("ERR_SSL_VERSION_OR_CIPHER_MISMATCH", [Codes.TlsHandshakeFailed, Codes.TlsWeak]),
        ("ERR_CERT_WEAK_SIGNATURE_ALGORITHM", [Codes.TlsWeak]),
        ("CLIENT_AUTH_CERT", [Codes.TlsClientCertRequired]),
        ("ERR_TUNNEL_CONNECTION_FAILED", [Codes.ProxyConnectRefused]),
        ("ERR_PROXY_CONNECTION_FAILED", [Codes.ProxyConnectRefused]),
        ("Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received", [Codes.WsSubprotocolNotSelected]),
        ("Sec-WebSocket-Accept", [Codes.WsBadAccept]),
        ("'Upgrade' header", [Codes.WsMissingUpgradeHeaders]),
        ("'Connection' header", [Codes.WsMissingUpgradeHeaders]),
        ("Sec-WebSocket-Protocol' header if not present", [Codes.WsSubprotocolUnexpected]),
        ("Sec-WebSocket-Extensions", [Codes.WsExtensionUnexpected]),
        ("Invalid status line", [Codes.HttpInvalidResponse, Codes.HttpNoResponse]),
        ("ERR_EMPTY_RESPONSE", [Codes.HttpNoResponse]),
        ("ERR_INVALID_HTTP_RESPONSE", [Codes.HttpInvalidResponse]),
        ("ERR_TIMED_OUT", [Codes.HttpNoResponse, Codes.TcpTimeout]),
        // Chromium's words for a 401 to the upgrade (it looked for credentials to answer the challenge with).
        ("HTTP Authentication failed", [Codes.HttpUnauthorized, Codes.AuthTokenExpired, Codes.AuthTokenNotYetValid]),
    ];

    [GeneratedRegex(@"Unexpected response code: (\d{3})")]
    private static partial Regex UnexpectedStatus();

    public static BrowserObservation Compare(BrowserObservation browser, CheckReport report, CheckOptions options)
    {
        // A browser-layer finding that names the browsers it applies to does not count against the others.
        var errors = report.Findings.Where(f => f.Severity == Severity.Error && f.Code != Codes.BrowserVerdict && AppliesTo(f, browser.Browser)).ToArray();
        var ignored = report.Findings.Where(f => f.Severity == Severity.Error && f.Code != Codes.BrowserVerdict && !AppliesTo(f, browser.Browser)).Select(f => f.Code).Distinct().ToArray();
        var all = report.Findings.Where(f => f.Code != Codes.BrowserVerdict).ToArray();
        var toolVerdict = errors.FirstOrDefault() is { } root ? $"wsdoctor: {root.Code}" : "wsdoctor: the connection works";
        var name = browser.DisplayName;
        string explanation;
        bool agrees;
        switch (browser.Outcome)
        {
            case BrowserOutcome.NotRun:
                return browser with { Agrees = null, Comparison = $"{name} could not run the page, so there is nothing to compare: {browser.Error}" };

            case BrowserOutcome.Opened:
                (agrees, explanation) = OpenedComparison(name, errors, browser);
                if (agrees && ignored.Length > 0)
                {
                    explanation += $" ({string.Join(", ", ignored)} applies to other browsers, not to {name})";
                }

                break;

            default:
                (agrees, explanation) = FailedComparison(name, browser, all, errors, report, options);
                break;
        }

        return browser with { Agrees = agrees, Comparison = $"{toolVerdict}; {explanation}" };
    }

    private static (bool, string) OpenedComparison(string name, Finding[] errors, BrowserObservation browser)
    {
        var closedBadly = browser.CloseCode is { } code && code is not (1000 or 1005) ;
        if (errors.Length == 0)
        {
            return closedBadly
                ? (false, $"{name} opened the WebSocket, but it then closed with {browser.CloseCode} {browser.CloseReason} while wsdoctor's session ended normally")
                : (true, $"{name} opened it too: they agree");
        }

        if (errors.All(e => e.Code == Codes.TlsIncompleteChain))
        {
            return (false, $"{name} opened it because it completes the chain itself: it downloads the missing intermediate from the certificate's AIA URL. Clients that do not (Firefox, Node.js, Python, Go, curl, Java) fail: serve the full chain");
        }

        if (errors.All(e => e.Layer == Layer.Session))
        {
            return (false, $"{name} opened it; wsdoctor's failure ({string.Join(", ", errors.Select(e => e.Code).Distinct())}) comes from what its session probe did afterwards (ping, --send/--expect), which the page does not do");
        }

        if (errors.Any(e => e.Code == Codes.BrowserLocalNetworkAccess))
        {
            return (false, $"{name} opened it although wsdoctor expects a Local Network Access prompt: this browser build does not enforce Local Network Access for WebSockets, or the permission was already granted");
        }

        return (false, $"{name} opened it, but wsdoctor reports {string.Join(", ", errors.Select(e => e.Code).Distinct())}: they disagree; the browser's handshake below shows what it sent");
    }

    private static (bool, string) FailedComparison(string name, BrowserObservation browser, Finding[] all, Finding[] errors, CheckReport report, CheckOptions options)
    {
        var error = browser.Error ?? "";
        var expected = Explained.Where(e => error.Contains(e.Marker, StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Codes).ToHashSet(StringComparer.Ordinal);
        var match = all.FirstOrDefault(f => expected.Contains(f.Code));
        if (match is not null)
        {
            return (true, $"{name} fails for the same reason ({match.Code}): they agree");
        }

        // Firefox says only "can't establish a connection" when it refuses by itself (a bad port): no handshake
        // request left the browser, and the browser layer predicted the block for this browser.
        var predicted = all.FirstOrDefault(f => f.Layer == Layer.Browser && f.Severity == Severity.Error
            && f.Data.TryGetValue("blockedBy", out var by) && by is string[] browsers && browsers.Contains(browser.Browser));
        if (predicted is not null && browser.RequestHeaders is null && browser.ResponseStatus is null)
        {
            return (true, $"{name} refuses before sending anything, as {predicted.Code} predicts: they agree");
        }

        // A page (the probe page in the user's browser) never sees why a WebSocket failed: only close 1006.
        if (error.Length == 0 && errors.FirstOrDefault() is { } cause)
        {
            return (true, $"{name} reports only close {browser.CloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1006"} (browsers keep the reason from pages); wsdoctor's {cause.Code} is what it runs into");
        }

        var statusMatch = UnexpectedStatus().Match(error);
        int? status = statusMatch.Success ? int.Parse(statusMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : error.Contains("HTTP Authentication failed", StringComparison.Ordinal) ? 401
            : browser.ResponseStatus is { } s && s != 101 ? s : null;
        if (status is { } code && report.Connection.HttpStatus == code && errors.Any(e => e.Layer is Layer.Http))
        {
            return (true, $"{name} got {code} too: they agree");
        }

        if (status is { } refused && refused is 401 or 403 && report.Connection.HttpStatus == 101 && SentHeadersABrowserCannot(options) is { Count: > 0 } headers)
        {
            return (false, $"{name} got {refused} because a page cannot send what wsdoctor sent: {string.Join(", ", headers)} (see auth.header-unavailable-in-browser); send the credential where a browser can (cookie, query, subprotocol, first message)");
        }

        if (status is { } other && report.Connection.HttpStatus == 101)
        {
            return (false, $"the server answered {name} {other} but wsdoctor 101: the requests differ (the browser's request headers are below: Origin, User-Agent, Cookie, Sec-WebSocket-Extensions); the server treats one of them differently");
        }

        if (browser.Outcome == BrowserOutcome.TimedOut)
        {
            return (false, $"{name} neither opened nor failed in time; a prompt nobody answers (Local Network Access) or a proxy the browser uses can hold a WebSocket like that");
        }

        if (report.RootCause is null)
        {
            return (false, $"{name} fails ({(error.Length > 0 ? error : "close " + browser.CloseCode)}) where wsdoctor connects: a rule of the browser that wsdoctor does not know yet; the browser's own error is the evidence");
        }

        return (false, $"{name} fails with '{error}', which does not match wsdoctor's {report.RootCause.Code}: fix that first, then check again");
    }

    private static bool AppliesTo(Finding finding, string browser) =>
        !finding.Data.TryGetValue("blockedBy", out var by) || by is not string[] browsers || browsers.Contains(browser);

    /// <summary>Headers in the request that a page's WebSocket cannot send.</summary>
    private static List<string> SentHeadersABrowserCannot(CheckOptions options)
    {
        var names = options.Headers.Select(h => h.Name)
            .Where(n => !n.Equals("Origin", StringComparison.OrdinalIgnoreCase) && !n.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase) && !n.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (options.Token is not null && options.TokenIn.Kind is TokenPlacementKind.BearerHeader)
        {
            names.Add("Authorization");
        }
        else if (options.Token is not null && options.TokenIn.Kind is TokenPlacementKind.Header)
        {
            names.Add(options.TokenIn.Name!);
        }

        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
