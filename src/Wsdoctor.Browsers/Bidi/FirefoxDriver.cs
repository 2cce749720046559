using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Browsers.Page;
using Wsdoctor.Browsers.Protocol;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Bidi;

/// <summary>Headless Firefox over WebDriver BiDi. As with Chromium, the page is answered by the driver itself
/// (network.addIntercept at beforeRequestSent + network.provideResponse), so its origin is exactly the page origin;
/// the WebSocket handshake is reported by BiDi as an http(s) request whose fetchError carries Firefox's reason.</summary>
public static partial class FirefoxDriver
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"WebDriver BiDi listening on (ws://\S+)")]
    private static partial Regex BidiLine();

    public static async Task<BrowserRun> RunAsync(BrowserRequest request, CancellationToken cancellationToken)
    {
        var executable = BrowserInstall.Require(BrowserKind.Firefox);
        if (request.ConnectTo is { } connectTo && connectTo.Port != request.Url.Port)
        {
            return new BrowserRun
            {
                Browser = "firefox",
                Version = "Firefox",
                DriverFailure = $"Firefox can send the URL's host to another address, not to another port (--connect-to {connectTo.Host}:{connectTo.Port} for port {request.Url.Port}); use --browser chromium for this one",
            };
        }

        using var profile = ThrowawayProfile.Create(BrowserKind.Firefox);
        await File.WriteAllTextAsync(Path.Combine(profile.ProfileDirectory, "user.js"), FirefoxPreferences.UserJs(request), cancellationToken).ConfigureAwait(false);
        if (request.TrustedAuthorities is { Count: > 0 } authorities)
        {
            await profile.TrustAsync(BrowserKind.Firefox, authorities, cancellationToken).ConfigureAwait(false);
        }

        await using var process = BrowserProcess.Start(executable,
            ["--headless", "--no-remote", "--profile", profile.ProfileDirectory, "--remote-debugging-port", "0"],
            new Dictionary<string, string>
            {
                ["HOME"] = profile.Home,
                ["MOZ_HEADLESS"] = "1",
                ["MOZ_CRASHREPORTER_DISABLE"] = "1",
                // Release builds ignore services.settings.server unless this is set, and would then poll Mozilla's
                // remote settings server at start whatever user.js says.
                ["MOZ_REMOTE_SETTINGS_DEVTOOLS"] = "1",
            });
        using var launch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        launch.CancelAfter(request.LaunchTimeout);
        Match? line;
        try
        {
            line = await process.WaitForLineAsync(BidiLine(), request.LaunchTimeout, cancellationToken).ConfigureAwait(false)
                ?? throw new BrowserMissingException(T($"Firefox exited during start-up:\n{process.Tail}", $"Firefox 在启动过程中退出：\n{process.Tail}"));
        }
        catch (TimeoutException)
        {
            // A verdict of its own (the browser could not be asked), not an internal error.
            return new BrowserRun { Browser = "firefox", Version = "Firefox", DriverFailure = $"Firefox did not start within {request.LaunchTimeout.TotalSeconds:0} s (a heavily loaded machine, or a broken installation: try firefox-esr --headless --version)" };
        }

        // Start-up commands get the start-up limit (session.new opens the first window, slow on a loaded machine);
        // a browser that does not answer them is a verdict of its own, like one that does not start.
        JsonRpcSocket? opened = null;
        JsonObject session;
        try
        {
            opened = await JsonRpcSocket.ConnectAsync(new Uri(line.Groups[1].Value.TrimEnd('/') + "/session"), ErrorOf, request.LaunchTimeout, launch.Token).ConfigureAwait(false);
            session = await opened.SendAsync("session.new", new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        // Real certificate verification, as a user's Firefox does.
                        ["acceptInsecureCerts"] = false,
                        ["webSocketUrl"] = true,
                        ["unhandledPromptBehavior"] = new JsonObject { ["default"] = "ignore" },
                    },
                },
            }, request.LaunchTimeout, launch.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException or WebSocketException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (opened is not null)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
            }

            return new BrowserRun { Browser = "firefox", Version = "Firefox", DriverFailure = $"Firefox started but did not open a session within {request.LaunchTimeout.TotalSeconds:0} s ({BrowserStartup.Describe(e)})" };
        }

        await using var bidi = opened;
        var capabilities = session["capabilities"] as JsonObject;
        var run = new BrowserRun { Browser = "firefox", Version = $"Firefox {capabilities?["browserVersion"]}".Trim() };
        using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? pump = null;
        try
        {
            await bidi.SendAsync("session.subscribe", new JsonObject
            {
                ["events"] = new JsonArray("log.entryAdded", "network.beforeRequestSent", "network.responseStarted", "network.fetchError"),
            }, CommandTimeout, launch.Token).ConfigureAwait(false);
            var tree = await bidi.SendAsync("browsingContext.getTree", new JsonObject { ["maxDepth"] = 0 }, CommandTimeout, launch.Token).ConfigureAwait(false);
            var context = (string?)tree["contexts"]?[0]?["context"] ?? throw new BrowserProtocolException("browsingContext.getTree", "no browsing context");
            var page = request.PageUrl;
            var pattern = new JsonObject { ["type"] = "pattern", ["protocol"] = page.Scheme, ["hostname"] = page.IdnHost };
            if (!page.IsDefaultPort)
            {
                pattern["port"] = page.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await bidi.SendAsync("network.addIntercept", new JsonObject { ["phases"] = new JsonArray("beforeRequestSent"), ["urlPatterns"] = new JsonArray(pattern) }, CommandTimeout, launch.Token).ConfigureAwait(false);
            pump = Task.Run(() => PumpAsync(bidi, request, run, pumpStop.Token), CancellationToken.None);
            await bidi.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = context, ["url"] = page.ToString(), ["wait"] = "complete" }, request.LaunchTimeout, launch.Token).ConfigureAwait(false);

            var evaluateTimeout = request.Timeout + request.ObserveWindow + TimeSpan.FromSeconds(5);
            var result = await bidi.SendAsync("script.callFunction", new JsonObject
            {
                ["functionDeclaration"] = PageAssets.Runner,
                ["awaitPromise"] = true,
                ["target"] = new JsonObject { ["context"] = context },
                ["arguments"] = new JsonArray(
                    new JsonObject { ["type"] = "string", ["value"] = request.Url.ToString() },
                    new JsonObject { ["type"] = "array", ["value"] = new JsonArray(request.Protocols.Select(p => (JsonNode)new JsonObject { ["type"] = "string", ["value"] = p }).ToArray()) },
                    new JsonObject { ["type"] = "number", ["value"] = (int)request.ObserveWindow.TotalMilliseconds },
                    new JsonObject { ["type"] = "number", ["value"] = (int)request.Timeout.TotalMilliseconds }),
            }, evaluateTimeout, cancellationToken).ConfigureAwait(false);
            if ((string?)result["type"] == "exception")
            {
                run.DriverFailure = $"the page script failed: {result["exceptionDetails"]?["text"]}";
            }
            else if ((string?)result["result"]?["value"] is { } json)
            {
                run.Page = JsonNode.Parse(json) as JsonObject;
            }

            // network.fetchError for a failed handshake can arrive a few hundred milliseconds after the close event.
            await Task.Delay(TimeSpan.FromMilliseconds(run.Page?["events"]?.AsArray().Any(e => (string?)e?["type"] == "open") == true ? 100 : 500), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            run.DriverFailure = $"Firefox did not load the page within {request.LaunchTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException)
        {
            run.DriverFailure = $"Firefox stopped answering: {e.Message}";
        }
        finally
        {
            await pumpStop.CancelAsync().ConfigureAwait(false);
            if (pump is not null)
            {
                await pump.ConfigureAwait(false);
            }

            try
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await bidi.SendAsync("browser.close", null, TimeSpan.FromSeconds(3), close.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BrowserProtocolException or TimeoutException or IOException or OperationCanceledException)
            {
                // The process is killed next in any case.
            }
        }

        return run;
    }

    private static async Task PumpAsync(JsonRpcSocket bidi, BrowserRequest request, BrowserRun run, CancellationToken cancellationToken)
    {
        // The handshake is the request to the socket's host, port and path that carries Sec-WebSocket-Key; the
        // page's own navigation can have the same URL (same origin, same path), so events are matched by request id.
        string? socketRequest = null;
        try
        {
            await foreach (var message in bidi.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var method = (string?)message["method"];
                var p = message["params"] as JsonObject ?? [];
                var id = (string?)p["request"]?["request"];
                switch (method)
                {
                    case "network.beforeRequestSent":
                        var headers = Headers(p["request"]?["headers"]);
                        if (headers is not null && headers.ContainsKey("Sec-WebSocket-Key") && PageAssets.IsSocket((string?)p["request"]?["url"], request.Url))
                        {
                            socketRequest = id;
                            run.RequestHeaders = headers;
                        }

                        if ((bool?)p["isBlocked"] == true)
                        {
                            await ProvideAsync(bidi, request, p, headers, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case "network.responseStarted" when id is not null && id == socketRequest:
                        run.ResponseStatus = (int?)p["response"]?["status"];
                        run.ResponseHeaders = Headers(p["response"]?["headers"]);
                        break;
                    case "network.fetchError" when id is not null && id == socketRequest:
                        run.NetworkErrors.Add(Describe((string?)p["errorText"] ?? "", run.ResponseStatus));
                        break;
                    case "log.entryAdded":
                        run.Log.Add($"{p["type"]} {p["level"]}: {p["text"]}");
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
            run.DriverFailure ??= $"Firefox stopped answering: {e.Message}";
        }
    }

    /// <summary>"NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SEC_ERROR_UNKNOWN_ISSUER)" -> the NSS code,
    /// and a refused handshake with the status Firefox saw.</summary>
    private static string Describe(string errorText, int? status)
    {
        var security = Regex.Match(errorText, @"NS_ERROR_MODULE_SECURITY, (\w+)\)");
        if (security.Success)
        {
            return $"{security.Groups[1].Value} ({errorText})";
        }

        return errorText == "NS_ERROR_WEBSOCKET_CONNECTION_REFUSED" && status is { } s and not 101
            ? $"Unexpected response code: {s} ({errorText})"
            : errorText;
    }

    /// <summary>The page's own requests: the document, and an empty icon for anything else. The WebSocket handshake
    /// is let through: when the page and the socket share an origin, the intercept pattern catches it too.</summary>
    private static async Task ProvideAsync(JsonRpcSocket bidi, BrowserRequest request, JsonObject paused, Dictionary<string, string>? requestHeaders, CancellationToken cancellationToken)
    {
        if (requestHeaders is not null && requestHeaders.ContainsKey("Sec-WebSocket-Key"))
        {
            await bidi.SendAsync("network.continueRequest", new JsonObject { ["request"] = (string?)paused["request"]?["request"] }, CommandTimeout, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (headers, body) = PageAssets.Respond(request, (string?)paused["request"]?["url"]);
        await bidi.SendAsync("network.provideResponse", new JsonObject
        {
            ["request"] = (string?)paused["request"]?["request"],
            ["statusCode"] = 200,
            ["reasonPhrase"] = "OK",
            ["headers"] = new JsonArray(headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["value"] = new JsonObject { ["type"] = "string", ["value"] = h.Value } }).ToArray()),
            ["body"] = new JsonObject { ["type"] = "base64", ["value"] = Convert.ToBase64String(body) },
        }, CommandTimeout, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string>? Headers(JsonNode? node) =>
        node is JsonArray list
            ? list.OfType<JsonObject>().GroupBy(h => (string?)h["name"] ?? "", StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => (string?)h["value"]?["value"] ?? "")), StringComparer.OrdinalIgnoreCase)
            : null;

    private static string? ErrorOf(JsonObject reply) =>
        (string?)reply["type"] == "error" ? $"{reply["error"]}: {reply["message"]}" : null;
}
