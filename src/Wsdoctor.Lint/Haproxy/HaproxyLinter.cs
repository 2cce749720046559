using Wsdoctor.Findings;

namespace Wsdoctor.Lint.Haproxy;

/// <summary><c>wsdoctor lint haproxy</c>. After an upgrade HAProxy treats the connection as a tunnel: <c>timeout
/// tunnel</c> (from the backend side: defaults, backend, listen) replaces timeout client and timeout server; without
/// it, or with 0, the WebSocket is cut after the shorter of the two without traffic
/// (https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel).</summary>
public static class HaproxyLinter
{
    /// <summary>What the fix suggests: an hour, or four heartbeats if that is longer.</summary>
    public static TimeSpan SuggestedTunnel(TimeSpan? heartbeat) =>
        heartbeat is { } h && h * 4 > TimeSpan.FromHours(1) ? h * 4 : TimeSpan.FromHours(1);

    public static ParseResult<LintReport> LintFile(string path, IConfigFiles files, HaproxyLintOptions options)
    {
        var text = files.Read(path);
        return text.Text is null
            ? new ConfigError(new SourceLocation(path, 1, 1), $"cannot read {path}: {text.Problem}")
            : Lint(text.Text, path, options);
    }

    public static ParseResult<LintReport> Lint(string text, string file, HaproxyLintOptions options)
    {
        var parsed = HaproxyParser.Parse(text, file);
        if (!parsed.Ok)
        {
            return parsed.Error;
        }

        if (InvalidTimeout(parsed.Value) is { } invalid)
        {
            return invalid;
        }

        var model = HaproxyModel.Build(parsed.Value);
        if (!model.Ok)
        {
            return model.Error;
        }

        var findings = new List<LintFinding>();
        findings.AddRange(TunnelIgnored(model.Value));
        findings.AddRange(TunnelZero(model.Value));
        findings.AddRange(TunnelMissing(model.Value, options));
        findings.AddRange(BelowHeartbeat(model.Value, options));
        findings.AddRange(ModeTcp(model.Value));
        var distinct = findings.DistinctBy(f => (f.Finding.Code, f.Location)).ToArray();
        var assumptions = new Dictionary<string, object?> { ["heartbeatSeconds"] = options.Heartbeat?.TotalSeconds };
        return ParseResult<LintReport>.Success(new LintReport("haproxy", [file], LintReport.Ordered(distinct, [file]), [], assumptions));
    }

    private static ConfigError? InvalidTimeout(HaproxyConfiguration configuration)
    {
        foreach (var line in configuration.Sections.SelectMany(s => s.Lines).Where(l => l.Is("timeout")))
        {
            if (line.Words.Count != 3 || HaproxyTime.Parse(line.Arg(1)) is null)
            {
                // haproxy -c: 'timeout tunnel' expects an integer value (in milliseconds)...
                return new ConfigError(line.Location, $"'timeout {line.Arg(0)}' expects one time value such as 30s, 1h or 500 (milliseconds), got '{string.Join(' ', line.Words.Skip(2))}'");
            }
        }

        return null;
    }

    /// <summary>haproxy -c warns "'timeout tunnel' will be ignored because frontend 'x' has no backend capability".</summary>
    private static IEnumerable<LintFinding> TunnelIgnored(HaproxyModel model) =>
        model.Proxies.Where(p => p.Section.Kind == "frontend")
            .SelectMany(p => p.Section.Lines.Where(l => l.IsTimeout("tunnel")).Select(l => (p, l)))
            .Select(x => At(Codes.HaproxyTunnelTimeoutIgnored, x.l,
                $"timeout tunnel in {x.p.Section.Title} is ignored: a frontend has no backend side, where the tunnel timeout is taken from",
                [$"{x.l.Text} at {x.l.Location} in {x.p.Section.Title}", $"the backends it feeds: {Names(x.p.Backends)}"],
                $"# remove it from {x.p.Section.Title}, and set it in defaults or in each backend:\n" +
                HaproxyFixBlock.For(x.p.Section).Replace(x.l, null),
                new Dictionary<string, object?> { ["frontend"] = x.p.Section.Name, ["value"] = x.l.Arg(1) }));

    private static IEnumerable<LintFinding> TunnelZero(HaproxyModel model) =>
        model.DefaultsSections.Concat(model.Proxies).Where(p => p.Section.Kind != "frontend")
            .SelectMany(p => p.Section.Lines.Where(l => l.IsTimeout("tunnel") && HaproxyTime.Parse(l.Arg(1)) == TimeSpan.Zero).Select(l => (p, l)))
            .Select(x => At(Codes.HaproxyTunnelTimeoutZero, x.l,
                $"timeout tunnel 0 in {x.p.Section.Title} is not \"no timeout\": HAProxy keeps timeout client and timeout server for the tunnel",
                [$"{x.l.Text} at {x.l.Location}", $"in effect instead: {ClientServer(x.p)}"],
                HaproxyFixBlock.For(x.p.Section).Replace(x.l, $"timeout tunnel {DurationFormat.Format(SuggestedTunnel(null))}").ToString(),
                new Dictionary<string, object?> { ["section"] = x.p.Section.Title }));

    private static IEnumerable<LintFinding> TunnelMissing(HaproxyModel model, HaproxyLintOptions options)
    {
        foreach (var proxy in model.Proxies.Where(p => p.Section.HasBackend && p.Mode == "http" && p.Timeout("tunnel") is null))
        {
            var value = DurationFormat.Format(SuggestedTunnel(options.Heartbeat));
            yield return At(Codes.HaproxyTunnelTimeout, proxy.Section.Header,
                $"no timeout tunnel for {proxy.Section.Title}: upgraded connections are cut after {EffectiveText(model, proxy)} without traffic",
                [$"{proxy.Section.Title} at {proxy.Section.Header.Location} (mode http) has no timeout tunnel, nor has {DefaultsText(proxy)}", $"in effect instead: {ClientServer(proxy, model)}"],
                HaproxyFixBlock.For(proxy.Section).Add($"timeout tunnel {value}").ToString(),
                new Dictionary<string, object?> { ["section"] = proxy.Section.Title });
        }
    }

    private static IEnumerable<LintFinding> BelowHeartbeat(HaproxyModel model, HaproxyLintOptions options)
    {
        if (options.Heartbeat is not { } heartbeat)
        {
            yield break;
        }

        foreach (var proxy in model.Proxies.Where(p => p.Section.HasBackend && p.Mode == "http"))
        {
            if (Effective(model, proxy) is not { } effective || effective.Value > heartbeat)
            {
                continue;
            }

            var value = DurationFormat.Format(SuggestedTunnel(heartbeat));
            var fix = HaproxyFixBlock.For(proxy.Section);
            if (proxy.Section.Lines.Contains(effective.Line) && effective.Line.IsTimeout("tunnel"))
            {
                fix.Replace(effective.Line, $"timeout tunnel {value}");
            }
            else
            {
                fix.Add($"timeout tunnel {value}");
            }

            yield return At(Codes.HaproxyTimeoutBelowHeartbeat, effective.Line,
                $"{proxy.Section.Title}: the tunnel timeout in effect, {DurationFormat.Format(effective.Value)} ({effective.Line.Text}), is not above the {DurationFormat.Format(heartbeat)} heartbeat",
                [$"{effective.Line.Text} at {effective.Line.Location} applies to {proxy.Section.Title}", $"heartbeat (--heartbeat): every {DurationFormat.Format(heartbeat)}"],
                fix.ToString(),
                new Dictionary<string, object?> { ["section"] = proxy.Section.Title, ["effectiveSeconds"] = effective.Value.TotalSeconds, ["heartbeatSeconds"] = heartbeat.TotalSeconds });
        }
    }

    private static IEnumerable<LintFinding> ModeTcp(HaproxyModel model) =>
        model.Proxies.Where(p => p.Mode == "tcp").Select(p => p.ModeLine is { } line
            ? At(Codes.HaproxyModeTcp, line, $"{p.Section.Title} runs in mode tcp: HAProxy passes bytes and does not see the WebSocket upgrade",
                [$"{line.Text} at {line.Location} applies to {p.Section.Title}", "no per-path routing, no Upgrade handling; timeout client/server (or tunnel) apply from the first byte"],
                null, new Dictionary<string, object?> { ["section"] = p.Section.Title })
            : At(Codes.HaproxyModeTcp, p.Section.Header, $"{p.Section.Title} has no mode line, so it runs in mode tcp (HAProxy's default)",
                [$"{p.Section.Title} at {p.Section.Header.Location}: no mode in the section or {DefaultsText(p)}", "no per-path routing, no Upgrade handling; timeout client/server (or tunnel) apply from the first byte"],
                HaproxyFixBlock.For(p.Section).Add("mode http", "added, if this proxy carries HTTP and WebSocket").ToString(),
                new Dictionary<string, object?> { ["section"] = p.Section.Title }));

    /// <summary>The timeout a WebSocket through this backend dies of: timeout tunnel when it is above 0, else the
    /// shorter of timeout server (here) and timeout client (of the frontends that feed it, or its own defaults').</summary>
    private static (TimeSpan Value, HaproxyLine Line)? Effective(HaproxyModel model, HaproxyProxy proxy)
    {
        if (proxy.Timeout("tunnel") is { } tunnel && HaproxyTime.Parse(tunnel.Arg(1)) is { } t && t > TimeSpan.Zero)
        {
            return (t, tunnel);
        }

        var candidates = ClientLines(model, proxy).Append(proxy.Timeout("server"))
            .OfType<HaproxyLine>()
            .Select(l => (Value: HaproxyTime.Parse(l.Arg(1)) ?? TimeSpan.Zero, Line: l))
            .Where(x => x.Value > TimeSpan.Zero)
            .ToArray();
        return candidates.Length == 0 ? null : candidates.MinBy(x => x.Value);
    }

    private static IEnumerable<HaproxyLine?> ClientLines(HaproxyModel model, HaproxyProxy proxy)
    {
        var frontends = proxy.Section.Kind == "listen" ? [proxy] : model.FrontendsOf(proxy).ToArray();
        return frontends.Length == 0 ? [proxy.Timeout("client")] : frontends.Select(f => f.Timeout("client"));
    }

    private static string EffectiveText(HaproxyModel model, HaproxyProxy proxy) =>
        Effective(model, proxy) is { } e ? $"{DurationFormat.Format(e.Value)} ({e.Line.Text}, {e.Line.Location})" : "timeout client/server, which are not set either (no limit, and haproxy -c warns)";

    private static string ClientServer(HaproxyProxy proxy, HaproxyModel? model = null)
    {
        var client = model is null ? [proxy.Timeout("client")] : ClientLines(model, proxy).ToArray();
        var server = proxy.Timeout("server");
        static string Show(HaproxyLine? l) => l is null ? "not set" : $"{l.Arg(1)} ({l.Location})";
        return $"timeout client {string.Join(", ", client.Select(Show).Distinct())}; timeout server {Show(server)}";
    }

    private static string DefaultsText(HaproxyProxy proxy) =>
        proxy.Defaults is { } d ? $"its {d.Section.Title} section ({d.Section.Header.Location})" : "any defaults section above it";

    private static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";

    private static LintFinding At(string code, HaproxyLine line, string message, IEnumerable<string> evidence, string? fixBlock, IReadOnlyDictionary<string, object?> data) =>
        LintFinding.Create(code, line.Location, line.Text, message, evidence, fixBlock, data);
}
