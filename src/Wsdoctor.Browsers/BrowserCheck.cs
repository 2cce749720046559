using Wsdoctor.Browsers.Bidi;
using Wsdoctor.Browsers.Cdp;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Browsers.Verdict;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Dns;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Browsers;

/// <summary><c>wsdoctor check URL --browser …</c>: wsdoctor's own diagnosis, then the same URL opened by real
/// browsers from a page at the page origin, each browser's verdict set beside the diagnosis.</summary>
public static class BrowserCheck
{
    /// <exception cref="BrowserMissingException">A browser asked for is not installed.</exception>
    /// <exception cref="CheckUsageException">Bad options (as for check).</exception>
    public static async Task<CheckReport> RunAsync(CheckOptions options, IReadOnlyList<BrowserKind> browsers, CancellationToken cancellationToken)
    {
        foreach (var kind in browsers)
        {
            // Before anything is sent: a missing browser is a usage problem, reported at once.
            BrowserInstall.Require(kind);
        }

        options = WithDefaultPage(options);
        var report = await CheckRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss"))
        {
            // The url layer failed: a browser would throw a SyntaxError; there is nothing more to see.
            return report;
        }

        var request = await RequestAsync(options, url, report, cancellationToken).ConfigureAwait(false);
        var observations = new List<BrowserObservation>();
        foreach (var kind in browsers)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var run = kind == BrowserKind.Chromium
                ? await ChromiumDriver.RunAsync(request, cancellationToken).ConfigureAwait(false)
                : await FirefoxDriver.RunAsync(request, cancellationToken).ConfigureAwait(false);
            var observation = ObservationBuilder.Build(run, request) with { TotalMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds };
            observations.Add(BrowserComparison.Compare(observation, report, options));
        }

        return ReportMerge.Merge(report, observations);
    }

    /// <summary>Without --page-origin the page is the target's own origin (https for wss://, http for ws://), as if
    /// the site served the page from the same host.</summary>
    public static CheckOptions WithDefaultPage(CheckOptions options)
    {
        if (options.PageOrigin is not null || options.PageUrl is not null || !Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss"))
        {
            return options;
        }

        var origin = new PageOrigin(url.Scheme == "wss" ? "https" : "http", url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : url.IdnHost.ToLowerInvariant(), url.Port);
        return options with { PageOrigin = origin };
    }

    private static async Task<BrowserRequest> RequestAsync(CheckOptions options, Uri url, CheckReport report, CancellationToken cancellationToken)
    {
        var material = TlsMaterial.Load(options);
        var page = options.PageOrigin ?? PageOrigin.FromUri(options.PageUrl!);
        var pageUrl = options.PageUrl ?? new Uri(page.Serialized + "/");
        var policies = options.PageUrl is { } fetchFrom
            ? (await PagePolicies.FetchAsync(fetchFrom, options, material, options.StepTimeout, cancellationToken).ConfigureAwait(false)).Policies
            : [];
        var (space, _) = await PageAddressSpace.ResolveAsync(page, options.StepTimeout, cancellationToken).ConfigureAwait(false);
        AddressSpace? targetSpace = report.Connection.Proxy is null && report.Connection.RemoteEndpoint is { } remote && System.Net.IPEndPoint.TryParse(remote, out var endPoint)
            ? AddressSpaces.Of(endPoint.Address)
            : null;
        // Nothing is more private than loopback, so a loopback page never makes a local network request.
        var notApplicable = space == AddressSpace.Loopback || (space == AddressSpace.Local && targetSpace is { } t && !AddressSpaces.IsLocalNetworkRequest(space, t));
        (string, int)? connectTo = options.ConnectTo is { } c && ConnectTarget.TryParse(c, out var target) ? (target!.Host, target.Port) : null;
        return new BrowserRequest
        {
            Url = new Uri(PageWebSocketUrl(options, url)),
            Protocols = UpgradeRequestSpec.OfferedSubprotocols(options),
            PageOrigin = page,
            PageUrl = pageUrl,
            Policies = policies,
            TrustedAuthorities = material.CustomRoots,
            ConnectTo = connectTo,
            Proxy = options.Proxy,
            NoProxy = options.NoProxy,
            LocalNetworkAccessNotApplicable = notApplicable,
            ObserveWindow = options.ObserveWindow,
            Timeout = options.StepTimeout,
            ShowSecrets = options.ShowSecrets,
        };
    }

    /// <summary>The URL a page opens: a --token that goes in the query is part of it; the other placements a page
    /// either cannot use (headers) or uses through the protocols list (subprotocol) or the cookie jar.</summary>
    public static string PageWebSocketUrl(CheckOptions options, Uri url)
    {
        if (options.Token is not { } token || options.TokenIn.Kind != TokenPlacementKind.Query)
        {
            return url.ToString();
        }

        var separator = url.Query.Length > 0 ? "&" : "?";
        return $"{url}{separator}{Uri.EscapeDataString(options.TokenIn.Name!)}={Uri.EscapeDataString(token)}";
    }
}
