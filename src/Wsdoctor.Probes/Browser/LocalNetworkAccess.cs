using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser;

/// <summary>browser.local-network-access: since Chromium 147, a WebSocket from a page to an address that is less
/// public than the page's own (public -> local or loopback, local -> loopback) is a "local network request" that
/// needs the user's permission (WICG Local Network Access; the permission can only be asked for from a secure
/// context). Browsers judge the address the connection really goes to, so this uses the address the tcp layer
/// used, and the page's address from its origin.</summary>
internal static class LocalNetworkAccess
{
    /// <summary>Adds the finding when it applies and returns a note for the layer line.</summary>
    public static async Task<Text> RunAsync(DiagnosisContext ctx, PageOrigin page, Uri target)
    {
        if (ctx.Proxy is not null)
        {
            return T("Local Network Access not judged: through a proxy the browser does not see the server's address", "未判断 Local Network Access：经过代理时，浏览器看不到服务端的地址");
        }

        var targetAddress = TargetAddress(ctx, target);
        if (targetAddress is null)
        {
            return T("Local Network Access not judged: the server's address is unknown", "未判断 Local Network Access：服务端的地址未知");
        }

        var (targetSpace, targetBlock) = AddressSpaces.Classify(targetAddress);
        var (pageSpace, pageWhy) = await PageAddressSpace.ResolveAsync(page, ctx.Options.StepTimeout, ctx.Deadline).ConfigureAwait(false);
        if (!AddressSpaces.IsLocalNetworkRequest(pageSpace, targetSpace))
        {
            return T($"page {pageSpace.Name()}, server {targetSpace.Name()}: no Local Network Access prompt", $"页面属于{pageSpace.Label()}地址空间，服务端属于{targetSpace.Label()}地址空间，不会出现 Local Network Access 提示");
        }

        var pageLabel = pageSpace.Label();
        var targetLabel = targetSpace.Label();

        var secureContext = Trustworthiness.IsPotentiallyTrustworthy(page);
        var permission = targetSpace == AddressSpace.Loopback ? "loopback-network" : "local-network";
        var quoted = targetSpace == AddressSpace.Loopback
            ? $"\"{page.Host} wants to access other apps and services on this device\""
            : $"\"{page.Host} wants to look for and connect to any device on your local network\"";
        var prompt = T($"{quoted} (Allow / Block)", $"{quoted}（Allow / Block）");
        var evidence = new List<Text>
        {
            T($"page origin {page}: {pageSpace.Name()} address space ({pageWhy})", $"页面源 {page}：{pageLabel}地址空间（{pageWhy}）"),
            T($"WebSocket to {targetAddress} ({target.Host}): {targetSpace.Name()} address space ({targetBlock})", $"WebSocket 目标 {targetAddress}（{target.Host}）：{targetLabel}地址空间（{targetBlock}）"),
            T($"{targetSpace.Name()} is less public than {pageSpace.Name()}: a local network request (WICG Local Network Access), enforced for WebSockets since Chromium 147 (Chrome, Edge, Opera, Brave); Firefox 153 ESR does not apply it to WebSockets yet (network.lna.websocket.enabled is off by default)",
                $"{targetLabel}地址比{pageLabel}地址更私有：这是本地网络请求（WICG Local Network Access），Chromium 147 起对 WebSocket 强制执行（Chrome、Edge、Opera、Brave）；Firefox 153 ESR 还没有对 WebSocket 应用它（network.lna.websocket.enabled 默认关闭）"),
            secureContext
                ? T($"Chromium holds the connection until the user answers the permission prompt {prompt}; if it is blocked, dismissed, or cannot be shown (headless, kiosk, an embedded WebView), the connection fails with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS",
                    $"Chromium 会挂起连接，直到用户回应权限提示 {prompt}；如果用户选择阻止、关掉了提示，或者提示无法显示（headless、kiosk、嵌入式 WebView），连接会以 net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS 失败")
                : T($"the page is not a secure context ({page.Scheme}:// on a public name), and the permission can only be asked for from a secure context: Chromium fails the connection at once with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS",
                    $"页面不是安全上下文（公网名称上的 {page.Scheme}://），而这个权限只能在安全上下文中请求：Chromium 会立即以 net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS 让连接失败"),
            T("the page itself sees only an error event and close code 1006, with no reason", "页面本身只会看到 error 事件和关闭码 1006，没有任何原因"),
        };
        var fix = Text.Join("\n", new[]
        {
            T($"During development, serve the page from a local origin too (http://localhost:3000): a {pageSpace.Name()} page reaching a {targetSpace.Name()} server is what triggers the prompt.",
                $"开发时，把页面也放到本地源上（http://localhost:3000）：正是{pageLabel}页面访问{targetLabel}服务端才触发了这个提示。"),
            secureContext
                ? T($"For users: they must click Allow on the prompt; the site can check navigator.permissions.query({{name: '{permission}'}}) first and explain why it asks.",
                    $"对用户而言：他们必须在提示中点击 Allow；网站可以先检查 navigator.permissions.query({{name: '{permission}'}})，并说明为什么需要这个权限。")
                : T("For users: serve the page over https so that the browser can ask for the permission at all.", "对用户而言：用 https 提供页面，浏览器才有可能请求这个权限。"),
            T($"Managed browsers: the enterprise policies LocalNetworkAccessAllowedForUrls / LoopbackNetworkAllowedForUrls = [\"{page}\"] allow it without a prompt.",
                $"受管理的浏览器：企业策略 LocalNetworkAccessAllowedForUrls / LoopbackNetworkAllowedForUrls = [\"{page}\"] 可以不经提示直接允许。"),
            T("fetch() can declare targetAddressSpace: 'local' | 'loopback' to get past mixed content for a local target, but the WebSocket constructor has no such option.",
                "fetch() 可以声明 targetAddressSpace: 'local' | 'loopback'，让本地目标绕过混合内容限制，但 WebSocket 构造函数没有这样的选项。"),
            T("In production, give the WebSocket server a public address and name (or put it behind the same origin as the page).", "生产环境中，给 WebSocket 服务端一个公网地址和域名（或把它放到与页面同源的地址后面）。"),
        });
        ctx.Add(Finding.Create(Codes.BrowserLocalNetworkAccess,
            T($"a page at {page} ({pageSpace.Name()}) needs the user's Local Network Access permission to open a WebSocket to {targetAddress} ({targetSpace.Name()})",
                $"{page} 上的页面（{pageLabel}）需要用户授予 Local Network Access 权限，才能打开到 {targetAddress}（{targetLabel}）的 WebSocket"),
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
        return Text.Empty;
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
