using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Browsers.Page;
using Wsdoctor.Browsers.Protocol;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Cdp;

/// <summary>Headless Chromium over the Chrome DevTools protocol. The page is never fetched from a server: Fetch
/// interception answers the navigation itself (Fetch.fulfillRequest), so the page's origin is exactly the page
/// origin, whatever that host is. WebSocket handshakes are not intercepted by Fetch, so the socket is real.</summary>
public static partial class ChromiumDriver
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    public static async Task<BrowserRun> RunAsync(BrowserRequest request, CancellationToken cancellationToken)
    {
        var executable = BrowserInstall.Require(BrowserKind.Chromium);
        using var profile = ThrowawayProfile.Create(BrowserKind.Chromium);
        if (request.TrustedAuthorities is { Count: > 0 } authorities)
        {
            await profile.TrustAsync(BrowserKind.Chromium, authorities, cancellationToken).ConfigureAwait(false);
        }

        await using var process = BrowserProcess.Start(executable, Arguments(request, profile), Environment(profile));
        using var launch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        launch.CancelAfter(request.LaunchTimeout);
        Match? line;
        try
        {
            line = await process.WaitForLineAsync(DevToolsLine(), request.LaunchTimeout, cancellationToken).ConfigureAwait(false)
                ?? throw new BrowserMissingException(T($"Chromium exited during start-up:\n{process.Tail}", $"Chromium 在启动过程中退出：\n{process.Tail}"));
        }
        catch (TimeoutException)
        {
            // A verdict of its own (the browser could not be asked), not an internal error.
            return new BrowserRun { Browser = "chromium", Version = "Chromium", DriverFailure = $"Chromium did not start within {request.LaunchTimeout.TotalSeconds:0} s (a heavily loaded machine, or a broken installation: try chromium --headless --version)" };
        }

        // Start-up commands get the start-up limit: a loaded machine opens the first tab slowly. A browser that
        // does not answer them is a verdict of its own, like one that does not start.
        JsonRpcSocket? opened = null;
        JsonObject version, attached;
        try
        {
            opened = await JsonRpcSocket.ConnectAsync(new Uri(line.Groups[1].Value), ErrorOf, request.LaunchTimeout, launch.Token).ConfigureAwait(false);
            version = await opened.SendAsync("Browser.getVersion", null, request.LaunchTimeout, launch.Token).ConfigureAwait(false);
            var target = await opened.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, request.LaunchTimeout, launch.Token).ConfigureAwait(false);
            attached = await opened.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string?)target["targetId"], ["flatten"] = true }, request.LaunchTimeout, launch.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException or WebSocketException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (opened is not null)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
            }

            return new BrowserRun { Browser = "chromium", Version = "Chromium", DriverFailure = $"Chromium started but did not open a page within {request.LaunchTimeout.TotalSeconds:0} s ({BrowserStartup.Describe(e)})" };
        }

        await using var cdp = opened;
        var run = new BrowserRun { Browser = "chromium", Version = ProductName((string?)version["product"]) };
        var session = new CdpSession(cdp, (string)attached["sessionId"]!);

        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(() => PumpAsync(cdp, session, request, run, loaded, pumpStop.Token), CancellationToken.None);
        try
        {
            foreach (var domain in new[] { "Network.enable", "Log.enable", "Runtime.enable", "Page.enable" })
            {
                await session.SendAsync(domain, null, launch.Token).ConfigureAwait(false);
            }

            // Every request of the page is answered here; WebSocket handshakes never reach Fetch.
            await session.SendAsync("Fetch.enable", new JsonObject { ["patterns"] = new JsonArray(new JsonObject { ["urlPattern"] = "*", ["requestStage"] = "Request" }) }, launch.Token).ConfigureAwait(false);
            var navigated = await session.SendAsync("Page.navigate", new JsonObject { ["url"] = request.PageUrl.ToString() }, launch.Token).ConfigureAwait(false);
            if (navigated["errorText"] is JsonValue error)
            {
                run.DriverFailure = $"the page {request.PageUrl} did not load: {error}";
                return run;
            }

            await loaded.Task.WaitAsync(launch.Token).ConfigureAwait(false);
            var evaluateTimeout = request.Timeout + request.ObserveWindow + TimeSpan.FromSeconds(5);
            var evaluated = await session.SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = PageAssets.RunnerCall(request),
                ["awaitPromise"] = true,
                ["returnByValue"] = true,
            }, cancellationToken, evaluateTimeout).ConfigureAwait(false);
            if (evaluated["exceptionDetails"] is JsonObject exception)
            {
                run.DriverFailure = $"the page script failed: {exception["exception"]?["description"] ?? exception["text"]}";
            }
            else if ((string?)evaluated["result"]?["value"] is { } json)
            {
                run.Page = JsonNode.Parse(json) as JsonObject;
            }

            // Log entries for a failure can trail the close event by a few milliseconds.
            await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            run.DriverFailure = $"Chromium did not load the page within {request.LaunchTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException)
        {
            run.DriverFailure = $"Chromium stopped answering: {e.Message}";
        }
        finally
        {
            await pumpStop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            try
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await cdp.SendAsync("Browser.close", null, TimeSpan.FromSeconds(2), close.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException or OperationCanceledException)
            {
                // The process is killed next in any case.
            }
        }

        return run;
    }

    public static IReadOnlyList<string> Arguments(BrowserRequest request, ThrowawayProfile profile)
    {
        var arguments = new List<string>
        {
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            // Keep Chromium off the network except for what the page does: no component updates, sync, safe
            // browsing or variations lookups on a machine that may have no route to them.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--metrics-recording-only",
            "--disable-quic",
            "--password-store=basic",
            "--use-mock-keychain",
            $"--user-data-dir={profile.ProfileDirectory}",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
        };
        if (System.Environment.IsPrivilegedProcess)
        {
            // Chromium refuses to start its sandbox as root; the profile is throwaway and the page is ours.
            arguments.Add("--no-sandbox");
        }

        if (request.LocalNetworkAccessNotApplicable)
        {
            arguments.Add("--disable-features=LocalNetworkAccessChecks");
        }

        if (request.ConnectTo is { } connectTo)
        {
            var host = request.Url.HostNameType == UriHostNameType.IPv6 ? $"[{request.Url.Host.Trim('[', ']')}]" : request.Url.IdnHost;
            var replacement = connectTo.Host.Contains(':', StringComparison.Ordinal) ? $"[{connectTo.Host}]" : connectTo.Host;
            arguments.Add($"--host-resolver-rules=MAP {host}:{request.Url.Port} {replacement}:{connectTo.Port}");
        }

        if (request.NoProxy)
        {
            arguments.Add("--no-proxy-server");
        }
        else if (request.Proxy is { } proxy)
        {
            arguments.Add($"--proxy-server={proxy}");
        }

        arguments.Add("about:blank");
        return arguments;
    }

    private static Dictionary<string, string> Environment(ThrowawayProfile profile) => new()
    {
        // Chromium reads its NSS trust store from $HOME/.pki/nssdb.
        ["HOME"] = profile.Home,
        ["XDG_CONFIG_HOME"] = Path.Combine(profile.Home, ".config"),
        ["XDG_CACHE_HOME"] = Path.Combine(profile.Home, ".cache"),
    };

    private static async Task PumpAsync(JsonRpcSocket cdp, CdpSession session, BrowserRequest request, BrowserRun run, TaskCompletionSource loaded, CancellationToken cancellationToken)
    {
        string? socketRequestId = null;
        try
        {
            await foreach (var message in cdp.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var method = (string?)message["method"];
                var p = message["params"] as JsonObject ?? [];
                switch (method)
                {
                    case "Fetch.requestPaused":
                        await FulfillAsync(session, request, p, cancellationToken).ConfigureAwait(false);
                        break;
                    case "Page.loadEventFired":
                        loaded.TrySetResult();
                        break;
                    case "Log.entryAdded" when p["entry"] is JsonObject entry:
                        run.Log.Add($"{entry["source"]} {entry["level"]}: {entry["text"]}");
                        break;
                    case "Runtime.consoleAPICalled":
                        run.Log.Add($"console.{p["type"]}: {string.Join(' ', (p["args"] as JsonArray ?? []).Select(a => a?["value"]?.ToString() ?? a?["description"]?.ToString()))}");
                        break;
                    case "Runtime.exceptionThrown":
                        run.Log.Add($"exception: {p["exceptionDetails"]?["exception"]?["description"] ?? p["exceptionDetails"]?["text"]}");
                        break;
                    case "Network.webSocketCreated" when PageAssets.IsSocket((string?)p["url"], request.Url):
                        socketRequestId = (string?)p["requestId"];
                        break;
                    case "Network.webSocketWillSendHandshakeRequest" when (string?)p["requestId"] == socketRequestId:
                        run.RequestHeaders = Headers(p["request"]?["headers"]);
                        break;
                    case "Network.webSocketHandshakeResponseReceived" when (string?)p["requestId"] == socketRequestId:
                        run.ResponseStatus = (int?)p["response"]?["status"];
                        run.ResponseHeaders = Headers(p["response"]?["headers"]);
                        run.RequestHeaders = Headers(p["response"]?["requestHeaders"]) ?? run.RequestHeaders;
                        break;
                    case "Network.webSocketFrameError" when (string?)p["requestId"] == socketRequestId:
                        run.NetworkErrors.Add((string?)p["errorMessage"] ?? "");
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException)
        {
            run.DriverFailure ??= $"Chromium stopped answering: {e.Message}";
            loaded.TrySetResult();
        }
    }

    /// <summary>Answers the page's own requests (<see cref="PageAssets.Respond"/>).</summary>
    private static async Task FulfillAsync(CdpSession session, BrowserRequest request, JsonObject paused, CancellationToken cancellationToken)
    {
        var (headers, body) = PageAssets.Respond(request, (string?)paused["request"]?["url"]);
        await session.SendAsync("Fetch.fulfillRequest", new JsonObject
        {
            ["requestId"] = (string?)paused["requestId"],
            ["responseCode"] = 200,
            ["responseHeaders"] = new JsonArray(headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["value"] = h.Value }).ToArray()),
            ["body"] = Convert.ToBase64String(body),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string>? Headers(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase) : null;

    private static string? ErrorOf(JsonObject reply) => reply["error"] is JsonObject e ? (string?)e["message"] ?? e.ToJsonString() : null;

    /// <summary>"HeadlessChrome/156.0.8078.114" -> "Chromium 156.0.8078.114".</summary>
    private static string ProductName(string? product) =>
        product is null ? "Chromium" : "Chromium " + product[(product.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private sealed class CdpSession(JsonRpcSocket cdp, string sessionId)
    {
        public Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
            cdp.SendAsync(method, parameters, timeout ?? CommandTimeout, cancellationToken, m => m["sessionId"] = sessionId);
    }
}
