using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Browsers;

/// <summary>One real-browser attempt: a page at <see cref="PageOrigin"/> runs <c>new WebSocket(Url, Protocols)</c>.</summary>
public sealed record BrowserRequest
{
    public required Uri Url { get; init; }

    public IReadOnlyList<string> Protocols { get; init; } = [];

    public required PageOrigin PageOrigin { get; init; }

    /// <summary>The page's URL (its path is the page's, e.g. from --page-url); the origin part is <see cref="PageOrigin"/>.</summary>
    public required Uri PageUrl { get; init; }

    /// <summary>Policies the page carries (from --page-url), served with it so that the browser enforces them itself.</summary>
    public IReadOnlyList<ContentSecurityPolicy> Policies { get; init; } = [];

    /// <summary>CA certificates to trust (--ca); null trusts nothing beyond the browser's own store.</summary>
    public X509Certificate2Collection? TrustedAuthorities { get; init; }

    /// <summary>--connect-to HOST:PORT: where the browser must connect for the URL's host and port.</summary>
    public (string Host, int Port)? ConnectTo { get; init; }

    /// <summary>--proxy URL; null uses the environment's proxy settings as the user's browser would.</summary>
    public string? Proxy { get; init; }

    public bool NoProxy { get; init; }

    /// <summary>A page served by the driver has no address of its own, and Chromium then counts it as public
    /// ("Unknown" address space). When the real page lives on a loopback or local address and this WebSocket would
    /// not be a local network request from there, Local Network Access checks are switched off so that the verdict is
    /// the real page's; a public page keeps them, so a real Local Network Access block shows.</summary>
    public bool LocalNetworkAccessNotApplicable { get; init; }

    /// <summary>How long the page listens once open before closing with 1000.</summary>
    public TimeSpan ObserveWindow { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Limit for the WebSocket attempt itself (open or fail).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for starting the browser and loading the page.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool ShowSecrets { get; init; }
}
