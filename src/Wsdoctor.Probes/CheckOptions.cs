using Wsdoctor.Findings;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Probes;

public enum AddressFamilyPreference
{
    Any,
    IPv4,
    IPv6,
}

/// <summary>Where <c>--token</c> is put in the upgrade request.</summary>
public enum TokenPlacementKind
{
    BearerHeader,
    Query,
    Cookie,
    Header,
    Subprotocol,
}

public sealed record TokenPlacement(TokenPlacementKind Kind, string? Name = null)
{
    public static readonly TokenPlacement Bearer = new(TokenPlacementKind.BearerHeader);

    /// <summary>Parses <c>query:NAME|cookie:NAME|header:NAME|subprotocol|bearer</c>; the error, in every output
    /// language, names <paramref name="option"/> (<c>--token-in</c>, or a config file's key).</summary>
    public static bool TryParse(string text, string option, out TokenPlacement placement, out Text error)
    {
        ArgumentNullException.ThrowIfNull(text);
        placement = Bearer;
        error = Text.Empty;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var name = colon < 0 ? null : text[(colon + 1)..].Trim();
        switch (kind)
        {
            case "bearer" or "authorization" when name is null:
                return true;
            case "subprotocol" when name is null:
                placement = new TokenPlacement(TokenPlacementKind.Subprotocol);
                return true;
            case "query" or "cookie" or "header" when !string.IsNullOrEmpty(name):
                placement = new TokenPlacement(
                    kind switch { "query" => TokenPlacementKind.Query, "cookie" => TokenPlacementKind.Cookie, _ => TokenPlacementKind.Header },
                    name);
                return true;
            default:
                error = Text.T(
                    $"{option} must be bearer, subprotocol, query:NAME, cookie:NAME or header:NAME (got '{text}')",
                    $"{option} 必须是 bearer、subprotocol、query:NAME、cookie:NAME 或 header:NAME（收到的是“{text}”）");
                return false;
        }
    }
}

/// <summary>Everything <c>wsdoctor check</c> can be told. Defaults keep a healthy local check well under a second
/// while still giving a hung server a bounded time to show itself.</summary>
public sealed record CheckOptions
{
    public required string Url { get; init; }
    public IReadOnlyList<HttpHeader> Headers { get; init; } = [];
    public string? Origin { get; init; }
    public IReadOnlyList<string> Subprotocols { get; init; } = [];
    public string? Token { get; init; }
    public TokenPlacement TokenIn { get; init; } = TokenPlacement.Bearer;
    public string? Cookie { get; init; }
    public bool Insecure { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }

    /// <summary>HOST:PORT to connect to instead of the URL's host and port; Host header and SNI stay the URL's (like curl --connect-to).</summary>
    public string? ConnectTo { get; init; }

    public AddressFamilyPreference Family { get; init; } = AddressFamilyPreference.Any;
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the session layer listens for unsolicited frames from the server.</summary>
    public TimeSpan ObserveWindow { get; init; } = TimeSpan.FromMilliseconds(300);

    public string? Send { get; init; }
    public string? Expect { get; init; }

    /// <summary>Skip the extra connections that probe Origin variants, TLS versions and alternative paths.</summary>
    public bool NoFollowUpProbes { get; init; }

    /// <summary>Print Authorization, cookies and query tokens as they are instead of redacting them.</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>Never open a connection to any host but the target's: redirects to another host are reported but not
    /// followed, and AIA issuers are not downloaded (the exporter, where whoever can reach /probe names the target,
    /// must not become a way to reach other hosts: SSRF).</summary>
    public bool StayOnTargetHost { get; init; }

    /// <summary>--proxy: an HTTP CONNECT proxy URL, used instead of any proxy from the environment.</summary>
    public string? Proxy { get; init; }

    /// <summary>--no-proxy: ignore HTTPS_PROXY/HTTP_PROXY/ALL_PROXY.</summary>
    public bool NoProxy { get; init; }

    /// <summary>Where proxy variables are read from (the process environment; tests pass their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>--page-origin: where the page that opens the WebSocket lives. Turns on the browser layer, and is the
    /// Origin sent (unless --origin says otherwise, which must then agree).</summary>
    public Browser.Rules.PageOrigin? PageOrigin { get; init; }

    /// <summary>--page-url: a page to fetch for its Content-Security-Policy; its origin is the page origin.</summary>
    public Uri? PageUrl { get; init; }

    /// <summary>--idle: after the upgrade, stay silent this long (no pings) and report when and how the connection ended.</summary>
    public TimeSpan? Idle { get; init; }

    /// <summary>--idle-keepalive: ping at this interval during the --idle wait, to tell an idle timeout (disappears) from a
    /// lifetime limit (stays).</summary>
    public TimeSpan? IdleKeepalive { get; init; }

    /// <summary>--max-size-probe: find the largest message the server accepts, up to <see cref="MaxSizeLimit"/>.</summary>
    public bool MaxSizeProbe { get; init; }

    /// <summary>--max-size-limit: the largest message --max-size-probe sends.</summary>
    public long MaxSizeLimit { get; init; } = 64L * 1024 * 1024;

    /// <summary>The overall limit, stretched to fit an --idle wait and a --max-size-probe when they need more.</summary>
    public TimeSpan EffectiveDeadline
    {
        get
        {
            var needed = TimeSpan.Zero;
            if (Idle is { } idle)
            {
                needed += idle + StepTimeout * 3 + TimeSpan.FromSeconds(5);
            }

            if (MaxSizeProbe)
            {
                // About 25 connections (doubling, then bisection), each with a message and a ping.
                needed += StepTimeout * 25 + TimeSpan.FromSeconds(MaxSizeLimit / (4.0 * 1024 * 1024));
            }

            return needed > TimeSpan.Zero && Deadline < needed + TimeSpan.FromSeconds(10) ? needed + TimeSpan.FromSeconds(10) : Deadline;
        }
    }

    /// <summary>True when the browser layer runs: a page origin (or page URL) is known.</summary>
    public bool BrowserLayer => PageOrigin is not null || PageUrl is not null;
}
