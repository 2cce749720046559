using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Browser;

/// <summary>browser.local-network-access: since Chromium 147, a WebSocket from a page to an address that is less
/// public than the page's own (public -> local or loopback, local -> loopback) is a "local network request" that
/// needs the user's permission (WICG Local Network Access; the permission can only be asked for from a secure
/// context). Browsers judge the address the connection really goes to, so this uses the address the tcp layer
/// used, and the page's address from its origin.</summary>
internal static class LocalNetworkAccess
{
    /// <summary>Adds the finding when it applies and returns a note for the layer line.</summary>
    public static async Task<string> RunAsync(DiagnosisContext ctx, PageOrigin page, Uri target)
    {
        if (ctx.Proxy is not null)
        {
            return "Local Network Access not judged: through a proxy the browser does not see the server's address";
        }

        var targetAddress = TargetAddress(ctx, target);
        if (targetAddress is null)
        {
            return "Local Network Access not judged: the server's address is unknown";
        }

        var (targetSpace, targetBlock) = AddressSpaces.Classify(targetAddress);
        var (pageSpace, pageWhy) = await PageAddressSpace.ResolveAsync(page, ctx.Options.StepTimeout, ctx.Deadline).ConfigureAwait(false);
        if (!AddressSpaces.IsLocalNetworkRequest(pageSpace, targetSpace))
        {
            return $"page {pageSpace.Name()}, server {targetSpace.Name()}: no Local Network Access prompt";
        }

        var secureContext = Trustworthiness.IsPotentiallyTrustworthy(page);
        var permission = targetSpace == AddressSpace.Loopback ? "loopback-network" : "local-network";
        var prompt = targetSpace == AddressSpace.Loopback
            ? $"\"{page.Host} wants to access other apps and services on this device\" (Allow / Block)"
            : $"\"{page.Host} wants to look for and connect to any device on your local network\" (Allow / Block)";
        var evidence = new List<string>
        {
            $"page origin {page}: {pageSpace.Name()} address space ({pageWhy})",
            $"WebSocket to {targetAddress} ({target.Host}): {targetSpace.Name()} address space ({targetBlock})",
            $"{targetSpace.Name()} is less public than {pageSpace.Name()}: a local network request (WICG Local Network Access), enforced for WebSockets since Chromium 147 (Chrome, Edge, Opera, Brave); Firefox 153 ESR does not apply it to WebSockets yet (network.lna.websocket.enabled is off by default)",
            secureContext
                ? $"Chromium holds the connection until the user answers the permission prompt {prompt}; if it is blocked, dismissed, or cannot be shown (headless, kiosk, an embedded WebView), the connection fails with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS"
                : $"the page is not a secure context ({page.Scheme}:// on a public name), and the permission can only be asked for from a secure context: Chromium fails the connection at once with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS",
            "the page itself sees only an error event and close code 1006, with no reason",
        };
        var fix = string.Join('\n',
            $"During development, serve the page from a local origin too (http://localhost:3000): a {pageSpace.Name()} page reaching a {targetSpace.Name()} server is what triggers the prompt.",
            secureContext
                ? $"For users: they must click Allow on the prompt; the site can check navigator.permissions.query({{name: '{permission}'}}) first and explain why it asks."
                : "For users: serve the page over https so that the browser can ask for the permission at all.",
            $"Managed browsers: the enterprise policies LocalNetworkAccessAllowedForUrls / LoopbackNetworkAllowedForUrls = [\"{page}\"] allow it without a prompt.",
            "fetch() can declare targetAddressSpace: 'local' | 'loopback' to get past mixed content for a local target, but the WebSocket constructor has no such option.",
            "In production, give the WebSocket server a public address and name (or put it behind the same origin as the page).");
        ctx.Add(Finding.Create(Codes.BrowserLocalNetworkAccess,
            $"a page at {page} ({pageSpace.Name()}) needs the user's Local Network Access permission to open a WebSocket to {targetAddress} ({targetSpace.Name()})",
            evidence, fix,
            new Dictionary<string, object?>
            {
                ["pageOrigin"] = page.Serialized,
                ["pageAddressSpace"] = pageSpace.Name(),
                ["targetAddress"] = targetAddress.ToString(),
                ["targetAddressSpace"] = targetSpace.Name(),
                ["secureContext"] = secureContext,
                ["permission"] = permission,
                ["blockedBy"] = new[] { "chromium" },
            }));
        return "";
    }

    private static IPAddress? TargetAddress(DiagnosisContext ctx, Uri target)
    {
        if (ctx.Facts.RemoteEndpoint is { } remote && IPEndPoint.TryParse(remote, out var connected))
        {
            return connected.Address;
        }

        if (ctx.TargetAddresses is { Count: > 0 } addresses)
        {
            return addresses[0];
        }

        if (IPAddress.TryParse(target.Host.Trim('[', ']'), out var literal))
        {
            return literal;
        }

        return PageAddressSpace.IsLocalhostName(target.Host) ? IPAddress.Loopback : null;
    }
}
