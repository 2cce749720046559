using System.Diagnostics;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Probes.App;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Dns;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Proxy;
using Wsdoctor.Probes.Session;
using Wsdoctor.Probes.Tcp;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Probes.Url;
using Wsdoctor.Probes.Ws;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Diagnosis;

/// <summary><c>wsdoctor check</c>: runs the layers in order and stops at the first one that fails, so that
/// the first failing layer is the root cause and the later ones are "not reached".</summary>
public static class CheckRunner
{
    public static readonly IReadOnlyList<Layer> CheckLayers = [Layer.Url, Layer.Dns, Layer.Tcp, Layer.Proxy, Layer.Tls, Layer.Http, Layer.Ws, Layer.Session, Layer.App];

    /// <summary>Handshake or reply slower than this, and ten times the TCP connect, is reported as session.slow.</summary>
    public static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(1);

    /// <exception cref="CheckUsageException">An option cannot be used (unreadable --ca, invalid --expect...).</exception>
    public static async Task<CheckReport> RunAsync(CheckOptions options, CancellationToken cancellationToken = default)
    {
        var material = TlsMaterial.Load(options);
        options = WithPage(options);
        Validate(options);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.EffectiveDeadline);
        var ctx = new DiagnosisContext(options, deadline.Token);
        var startedAt = options.Time.GetUtcNow();
        var start = Stopwatch.GetTimestamp();

        var (target, urlFindings) = UrlProbe.Analyze(options.Url);
        ctx.AddRange(urlFindings);
        // The page is read while the connection layers run; the browser layer needs it only at the end.
        var pageFetch = options.PageUrl is { } pageUrl && target is not null
            ? PagePolicies.FetchAsync(pageUrl, options, material, options.StepTimeout, deadline.Token)
            : null;
        if (target is null)
        {
            ctx.Layer(Layer.Url, LayerStatus.Failed, null, T("not a usable WebSocket URL", "不是可用的 WebSocket URL"));
        }
        else
        {
            ctx.Target = target;
            ctx.Layer(Layer.Url, ctx.StatusOf(Layer.Url), null, Verbatim(Protocol.Secrets.SecretRedactor.RedactUrl(target.Uri.ToString())));
            try
            {
                await DiagnoseAsync(ctx, material).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                DeadlineReached(ctx);
            }

            try
            {
                await AppLayer.RunAsync(ctx, material).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                ctx.Layer(Layer.App, ctx.StatusOf(Layer.App), null, T("deadline reached before the application protocol was recognised", "还没识别出应用协议就到了截止时间"));
            }

            try
            {
                await BrowserLayer.RunAsync(ctx, pageFetch).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                ctx.Layer(Layer.Browser, ctx.StatusOf(Layer.Browser), null, T("deadline reached before the browser rules were judged", "还没判断完浏览器规则就到了截止时间"));
            }
        }

        SlowWarning(ctx);
        return Build(ctx, target, startedAt, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>--page-url implies its origin as --page-origin, and the page origin is the Origin header the browser
    /// sends; conflicting values are a usage error.</summary>
    private static CheckOptions WithPage(CheckOptions options)
    {
        if (options.PageUrl is { } pageUrl)
        {
            if (pageUrl.Scheme is not ("http" or "https") || !pageUrl.IsAbsoluteUri)
            {
                throw new CheckUsageException(T($"--page-url must be an http:// or https:// URL (got '{pageUrl}')", $"--page-url 必须是 http:// 或 https:// URL（收到的是“{pageUrl}”）"));
            }

            var fromUrl = Browser.Rules.PageOrigin.FromUri(pageUrl);
            if (options.PageOrigin is { } given && given != fromUrl)
            {
                throw new CheckUsageException(T($"--page-origin {given} and --page-url {pageUrl} (origin {fromUrl}) disagree; give one of them", $"--page-origin {given} 与 --page-url {pageUrl}（Origin 为 {fromUrl}）不一致，只需给出其中一个"));
            }

            options = options with { PageOrigin = fromUrl };
        }

        if (options.PageOrigin is { } page)
        {
            if (options.Origin is { } origin && !string.Equals(origin.TrimEnd('/'), page.Serialized, StringComparison.OrdinalIgnoreCase))
            {
                throw new CheckUsageException(T($"--origin {origin} and the page origin {page} disagree: a page always sends its own origin", $"--origin {origin} 与页面的 Origin {page} 不一致：页面总是发送它自己的 Origin"));
            }

            options = options with { Origin = page.Serialized };
        }

        return options;
    }

    private static void Validate(CheckOptions options)
    {
        if (options.Expect is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new CheckUsageException(T($"--expect is not a valid regular expression: {ex.Message}", $"--expect 不是有效的正则表达式：{ex.Message}"));
            }
        }

        if (options.ConnectTo is { } connectTo && !ConnectTarget.TryParse(connectTo, out _))
        {
            throw new CheckUsageException(T($"--connect-to must be HOST:PORT (got '{connectTo}')", $"--connect-to 必须是 HOST:PORT（收到的是“{connectTo}”）"));
        }

        if (Uri.TryCreate(options.Url, UriKind.Absolute, out var uri))
        {
            // A malformed --proxy or HTTPS_PROXY is a usage error, reported before anything is sent.
            _ = ProxySelection.For(uri, options);
        }

        if (options.StepTimeout <= TimeSpan.Zero || options.Deadline <= TimeSpan.Zero)
        {
            throw new CheckUsageException(T("--timeout and --deadline must be positive", "--timeout 和 --deadline 必须是正数"));
        }
    }

    private static async Task DiagnoseAsync(DiagnosisContext ctx, TlsMaterial material)
    {
        var proxy = ProxyProbe.Choose(ctx);
        ctx.Proxy = proxy;
        var resolved = await DnsProbe.RunAsync(ctx, proxy).ConfigureAwait(false);
        if (resolved is not { } dns)
        {
            return;
        }

        if (proxy is null)
        {
            ctx.TargetAddresses = dns.Addresses;
        }

        var connected = await TcpProbe.RunAsync(ctx, dns.Target, dns.Addresses).ConfigureAwait(false);
        if (connected is not { } tcp)
        {
            return;
        }

        Stream network;
        Route route;
        if (proxy is null)
        {
            network = new System.Net.Sockets.NetworkStream(tcp.Socket, ownsSocket: true);
            route = new Route(tcp.EndPoint, null, dns.Target.Host, dns.Target.Port);
        }
        else
        {
            var (host, port) = ProxyProbe.Destination(ctx);
            route = new Route(tcp.EndPoint, proxy, host, port);
            if (await ProxyProbe.RunAsync(ctx, tcp.Socket, proxy, dns.Target).ConfigureAwait(false) is not { } tunnel)
            {
                return;
            }

            network = tunnel;
        }

        ctx.Route = route;
        var stream = await TlsProbe.RunAsync(ctx, network, route, material).ConfigureAwait(false);
        if (stream is null)
        {
            return;
        }

        var upgraded = await HttpProbe.RunAsync(ctx, stream, route, material).ConfigureAwait(false);
        if (upgraded is not { } http)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        HandshakeValidator.Run(ctx, http.Result.Head!, http.Key, http.Result.Ms);
        if (ctx.HasError(Layer.Ws))
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await SessionProbe.RunAsync(ctx, stream, http.Result.Leftover).ConfigureAwait(false);
        await MessageSizeProbe.RunAsync(ctx, material).ConfigureAwait(false);
    }

    /// <summary>The overall --deadline fired in the middle of a layer: that layer is where the time went.</summary>
    private static void DeadlineReached(DiagnosisContext ctx)
    {
        var layer = CheckLayers.FirstOrDefault(l => !ctx.Layers.ContainsKey(l));
        var seconds = ctx.Options.EffectiveDeadline.TotalSeconds;
        var evidence = new[] { T($"the overall --deadline of {seconds:0.#} s ran out during the {layer.Name()} layer", $"总时限 --deadline（{seconds:0.#} s）在 {layer.Name()} 层耗尽") };
        var code = layer switch
        {
            Layer.Dns => Codes.DnsNotFound,
            Layer.Tcp => Codes.TcpTimeout,
            Layer.Proxy => Codes.ProxyConnectRefused,
            Layer.Tls => Codes.TlsHandshakeFailed,
            Layer.Session => Codes.SessionNoPong,
            _ => Codes.HttpNoResponse,
        };
        if (!ctx.HasAnyError)
        {
            ctx.Add(Finding.Create(code, T($"the {layer.Name()} step did not finish before the deadline", $"{layer.Name()} 这一步没能在截止时间前完成"), evidence));
        }

        if (!ctx.Layers.ContainsKey(layer))
        {
            ctx.Layer(layer, LayerStatus.Failed, null, T("deadline reached", "到达截止时间"));
        }
    }

    private static void SlowWarning(DiagnosisContext ctx)
    {
        var t = ctx.Timings;
        var connect = t.ConnectMs ?? 0;
        var slow = new List<Text>();
        var steps = new[]
        {
            (T("TLS handshake", "TLS 握手"), t.TlsMs), (T("upgrade (request to 101)", "升级（从请求到 101）"), t.UpgradeMs),
            (T("ping/pong", "ping/pong "), t.PingRttMs), (T("message round trip", "消息往返"), t.FirstMessageRttMs),
        };
        foreach (var (name, ms) in steps)
        {
            if (ms is { } value && value > SlowThreshold.TotalMilliseconds && value > 10 * connect)
            {
                slow.Add(T($"{name} took {value:0} ms", $"{name}耗时 {value:0} ms"));
            }
        }

        if (slow.Count > 0 && ctx.StatusOf(Layer.Http) != LayerStatus.Failed)
        {
            var first = slow[0];
            slow.Add(T($"TCP connect took {connect:0.#} ms, so the network is not the bottleneck: the server (or a proxy) is",
                $"TCP 连接只用了 {connect:0.#} ms，所以瓶颈不在网络，而在服务端（或代理）"));
            ctx.Add(Finding.Create(Codes.SessionSlow, T($"{first}, far above the TCP connect time", $"{first}，远高于 TCP 连接耗时"), slow,
                data: new Dictionary<string, object?> { ["connectMs"] = Math.Round(connect, 1), ["upgradeMs"] = t.UpgradeMs is { } u ? Math.Round(u) : null, ["pingRttMs"] = t.PingRttMs is { } p ? Math.Round(p) : null }));
        }
    }

    private static CheckReport Build(DiagnosisContext ctx, TargetUrl? target, DateTimeOffset startedAt, double totalMs)
    {
        var ordered = ctx.Findings
            .Select((f, i) => (f, i))
            .OrderBy(x => x.f.Layer)
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .ToArray();
        var rootCause = RootCause.Pick(ordered);
        var layers = new List<LayerReport>();
        var reported = ctx.Layers.ContainsKey(Layer.Browser) ? CheckLayers.Append(Layer.Browser) : CheckLayers;
        foreach (var layer in reported)
        {
            if (ctx.Layers.TryGetValue(layer, out var report))
            {
                // A finding may land on a layer after its line was written (e.g. tls.expected-plaintext found by the http probe).
                var status = report.Status is LayerStatus.Skipped or LayerStatus.NotReached ? report.Status : Worst(report.Status, ctx.StatusOf(layer));
                layers.Add(report with { Status = status });
            }
            else
            {
                var failed = ctx.HasError(layer);
                layers.Add(new LayerReport(layer, failed ? LayerStatus.Failed : LayerStatus.NotReached, null,
                    failed ? ordered.First(f => f.Layer == layer).Message : Text.T("not reached", "未到达")));
            }
        }

        var verdict = rootCause is not null ? Verdict.Fail : ordered.Any(f => f.Severity == Severity.Warning) ? Verdict.Warn : Verdict.Ok;
        var shownTarget = target is null ? ctx.Options.Url : target.Uri.ToString();
        return new CheckReport
        {
            Target = ctx.Options.ShowSecrets ? shownTarget : Protocol.Secrets.SecretRedactor.RedactUrl(shownTarget),
            StartedAt = startedAt,
            TotalMs = totalMs,
            Verdict = verdict,
            RootCause = rootCause,
            Layers = layers,
            Findings = ordered,
            Timings = ctx.Timings,
            Connection = ctx.Facts,
        };
    }

    // Passed < Warning < Failed in the enum, so the larger value is the worse status.
    private static LayerStatus Worst(LayerStatus a, LayerStatus b) => (LayerStatus)Math.Max((int)a, (int)b);
}
