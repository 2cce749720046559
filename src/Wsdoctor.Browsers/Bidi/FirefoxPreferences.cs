using System.Globalization;
using System.Text;
using Wsdoctor.Browsers.Page;

namespace Wsdoctor.Browsers.Bidi;

/// <summary>The user.js of the throwaway Firefox profile. Two aims: Firefox must not reach out on its own (updates,
/// telemetry, remote settings, safe browsing, captive-portal detection, DNS over HTTPS, speculative connections),
/// and the behaviour under test (mixed content, bad ports, CSP, certificate checks, Local Network Access) stays at
/// the release defaults, so the verdict is what a user's Firefox would say.</summary>
public static class FirefoxPreferences
{
    private static readonly Dictionary<string, object> Quiet = new(StringComparer.Ordinal)
    {
        // Updates and add-ons.
        ["app.update.disabledForTesting"] = true,
        ["app.update.auto"] = false,
        ["app.update.url"] = "",
        ["extensions.update.enabled"] = false,
        ["extensions.systemAddon.update.enabled"] = false,
        ["extensions.getAddons.cache.enabled"] = false,
        ["extensions.blocklist.enabled"] = false,
        ["browser.search.update"] = false,
        // Telemetry, studies, crash reports.
        ["toolkit.telemetry.enabled"] = false,
        ["toolkit.telemetry.unified"] = false,
        ["toolkit.telemetry.archive.enabled"] = false,
        ["toolkit.telemetry.server"] = "",
        ["toolkit.telemetry.reportingpolicy.firstRun"] = false,
        ["datareporting.healthreport.uploadEnabled"] = false,
        ["datareporting.policy.dataSubmissionEnabled"] = false,
        ["datareporting.policy.dataSubmissionPolicyBypassNotification"] = true,
        ["app.normandy.enabled"] = false,
        ["app.normandy.api_url"] = "",
        ["app.shield.optoutstudies.enabled"] = false,
        ["messaging-system.rsexperimentloader.enabled"] = false,
        ["breakpad.reportURL"] = "",
        // Remote settings; also the preloaded intermediates, which would hide a missing intermediate of a public CA
        // only for servers whose CA Mozilla preloads: off, so the verdict does not depend on a download.
        ["services.settings.server"] = "data:,#wsdoctor-no-remote-settings/v1",
        ["security.remote_settings.intermediates.enabled"] = false,
        ["security.remote_settings.crlite_filters.enabled"] = false,
        ["security.OCSP.enabled"] = 0,
        ["security.ssl.enable_ocsp_stapling"] = false,
        // Network detection, DNS over HTTPS, prefetching.
        ["network.captive-portal-service.enabled"] = false,
        ["network.connectivity-service.enabled"] = false,
        ["captivedetect.canonicalURL"] = "",
        ["network.trr.mode"] = 5,
        ["doh-rollout.disable-heuristics"] = true,
        ["network.dns.disablePrefetch"] = true,
        ["network.prefetch-next"] = false,
        ["network.predictor.enabled"] = false,
        ["network.http.speculative-parallel-limit"] = 0,
        ["network.dns.native_https_query"] = false,
        ["network.http.http3.enable"] = false,
        // Safe browsing, tracking protection lists, push, region, accounts.
        ["browser.safebrowsing.malware.enabled"] = false,
        ["browser.safebrowsing.phishing.enabled"] = false,
        ["browser.safebrowsing.downloads.enabled"] = false,
        ["browser.safebrowsing.update.enabled"] = false,
        ["browser.safebrowsing.provider.mozilla.updateURL"] = "",
        ["privacy.trackingprotection.enabled"] = false,
        ["dom.push.enabled"] = false,
        ["dom.push.connection.enabled"] = false,
        ["browser.region.network.url"] = "",
        ["browser.region.update.enabled"] = false,
        ["geo.provider.network.url"] = "",
        ["identity.fxaccounts.enabled"] = false,
        // First run, new tab, suggestions, plug-in downloads.
        ["browser.startup.homepage"] = "about:blank",
        ["browser.startup.page"] = 0,
        ["startup.homepage_welcome_url"] = "about:blank",
        ["browser.startup.homepage_override.mstone"] = "ignore",
        ["browser.aboutwelcome.enabled"] = false,
        ["browser.newtabpage.enabled"] = false,
        ["browser.newtab.preload"] = false,
        ["browser.newtabpage.activity-stream.feeds.system.topstories"] = false,
        ["browser.newtabpage.activity-stream.feeds.section.topstories"] = false,
        ["browser.newtabpage.activity-stream.telemetry"] = false,
        ["browser.topsites.contile.enabled"] = false,
        ["browser.shell.checkDefaultBrowser"] = false,
        ["browser.search.suggest.enabled"] = false,
        ["browser.urlbar.quicksuggest.enabled"] = false,
        ["browser.ml.enable"] = false,
        ["browser.translations.enable"] = false,
        ["extensions.pocket.enabled"] = false,
        ["media.gmp-manager.url"] = "",
        ["media.gmp-manager.updateEnabled"] = false,
        ["media.gmp-gmpopenh264.enabled"] = false,
        ["termsofuse.bypassNotification"] = true,
        ["datareporting.policy.dataSubmissionPolicyAcceptedVersion"] = 2,
        ["browser.sessionstore.resume_from_crash"] = false,
        // An http:// page origin must stay http: HTTPS-First would upgrade the navigation.
        ["dom.security.https_first"] = false,
        ["dom.security.https_first_schemeless"] = false,
    };

    public static string UserJs(BrowserRequest request)
    {
        var prefs = new Dictionary<string, object>(Quiet, StringComparer.Ordinal);
        if (request.NoProxy)
        {
            prefs["network.proxy.type"] = 0;
        }
        else if (request.Proxy is { } proxy && Uri.TryCreate(proxy, UriKind.Absolute, out var p))
        {
            prefs["network.proxy.type"] = 1;
            prefs["network.proxy.http"] = p.Host;
            prefs["network.proxy.http_port"] = p.Port;
            prefs["network.proxy.ssl"] = p.Host;
            prefs["network.proxy.ssl_port"] = p.Port;
        }
        else
        {
            // 5: the system's settings, which on Linux are the http_proxy/https_proxy/no_proxy variables.
            prefs["network.proxy.type"] = 5;
        }

        if (request.ConnectTo is { } connectTo)
        {
            // Firefox can only send every name to one address, not change the port (checked by the caller).
            prefs["network.dns.forceResolve"] = connectTo.Host;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in prefs)
        {
            var literal = value switch
            {
                bool b => b ? "true" : "false",
                int i => i.ToString(CultureInfo.InvariantCulture),
                _ => JsLiteral.String(value.ToString() ?? ""),
            };
            text.Append(CultureInfo.InvariantCulture, $"user_pref({JsLiteral.String(name)}, {literal});\n");
        }

        return text.ToString();
    }
}
