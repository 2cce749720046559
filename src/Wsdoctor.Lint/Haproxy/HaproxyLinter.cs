using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

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
        return !text.Readable
            ? new ConfigError(new SourceLocation(path, 1, 1), T($"cannot read {path}: {text.Problem}", $"无法读取 {path}：{text.Problem}"))
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
                var got = string.Join(' ', line.Words.Skip(2));
                return new ConfigError(line.Location, T(
                    $"'timeout {line.Arg(0)}' expects one time value such as 30s, 1h or 500 (milliseconds), got '{got}'",
                    $"'timeout {line.Arg(0)}' 需要一个时间值，例如 30s、1h 或 500（毫秒），实际写的是 '{got}'"));
            }
        }

        return null;
    }

    /// <summary>haproxy -c warns "'timeout tunnel' will be ignored because frontend 'x' has no backend capability".</summary>
    private static IEnumerable<LintFinding> TunnelIgnored(HaproxyModel model) =>
        model.Proxies.Where(p => p.Section.Kind == "frontend")
            .SelectMany(p => p.Section.Lines.Where(l => l.IsTimeout("tunnel")).Select(l => (p, l)))
            .Select(x => At(Codes.HaproxyTunnelTimeoutIgnored, x.l,
                T(
                    $"timeout tunnel in {x.p.Section.Title} is ignored: a frontend has no backend side, where the tunnel timeout is taken from",
                    $"{x.p.Section.Title} 中的 timeout tunnel 会被忽略：隧道超时取自 backend 一侧，而 frontend 没有 backend 一侧"),
                [
                    T($"{x.l.Text} at {x.l.Location} in {x.p.Section.Title}", $"{x.l.Text}（{x.l.Location}，在 {x.p.Section.Title} 中）"),
                    T($"the backends it feeds: {Names(x.p.Backends)}", $"它转发到的 backend：{Names(x.p.Backends)}"),
                ],
                T(
                    $"# remove it from {x.p.Section.Title}, and set it in defaults or in each backend:\n",
                    $"# 从 {x.p.Section.Title} 中删掉它，改在 defaults 或每个 backend 中设置：\n") +
                Verbatim(HaproxyFixBlock.For(x.p.Section).Replace(x.l, null).ToString()),
                new Dictionary<string, object?> { ["frontend"] = x.p.Section.Name, ["value"] = x.l.Arg(1) }));

    private static IEnumerable<LintFinding> TunnelZero(HaproxyModel model) =>
        model.DefaultsSections.Concat(model.Proxies).Where(p => p.Section.Kind != "frontend")
            .SelectMany(p => p.Section.Lines.Where(l => l.IsTimeout("tunnel") && HaproxyTime.Parse(l.Arg(1)) == TimeSpan.Zero).Select(l => (p, l)))
            .Select(x => At(Codes.HaproxyTunnelTimeoutZero, x.l,
                T(
                    $"timeout tunnel 0 in {x.p.Section.Title} is not \"no timeout\": HAProxy keeps timeout client and timeout server for the tunnel",
                    $"{x.p.Section.Title} 中的 timeout tunnel 0 并不表示“不超时”：HAProxy 会对隧道继续使用 timeout client 和 timeout server"),
                [T($"{x.l.Text} at {x.l.Location}", $"{x.l.Text}（{x.l.Location}）"), InEffectInstead(ClientServer(x.p))],
                Verbatim(HaproxyFixBlock.For(x.p.Section).Replace(x.l, $"timeout tunnel {DurationFormat.Format(SuggestedTunnel(null))}").ToString()),
                new Dictionary<string, object?> { ["section"] = x.p.Section.Title }));

    private static IEnumerable<LintFinding> TunnelMissing(HaproxyModel model, HaproxyLintOptions options)
    {
        foreach (var proxy in model.Proxies.Where(p => p.Section.HasBackend && p.Mode == "http" && p.Timeout("tunnel") is null))
        {
            var value = DurationFormat.Format(SuggestedTunnel(options.Heartbeat));
            var effective = EffectiveText(model, proxy);
            var defaults = DefaultsText(proxy);
            yield return At(Codes.HaproxyTunnelTimeout, proxy.Section.Header,
                T(
                    $"no timeout tunnel for {proxy.Section.Title}: upgraded connections are cut after {effective} without traffic",
                    $"{proxy.Section.Title} 没有 timeout tunnel：升级后的连接在 {effective} 内没有流量就会被断开"),
                [
                    T(
                        $"{proxy.Section.Title} at {proxy.Section.Header.Location} (mode http) has no timeout tunnel, nor has {defaults}",
                        $"{proxy.Section.Title}（{proxy.Section.Header.Location}，mode http）没有 timeout tunnel，{defaults}也没有"),
                    InEffectInstead(ClientServer(proxy, model)),
                ],
                Verbatim(HaproxyFixBlock.For(proxy.Section).Add($"timeout tunnel {value}").ToString()),
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

            var timeout = DurationFormat.Format(effective.Value);
            var beat = DurationFormat.Format(heartbeat);
            yield return At(Codes.HaproxyTimeoutBelowHeartbeat, effective.Line,
                T(
                    $"{proxy.Section.Title}: the tunnel timeout in effect, {timeout} ({effective.Line.Text}), is not above the {beat} heartbeat",
                    $"{proxy.Section.Title}：实际生效的隧道超时 {timeout}（{effective.Line.Text}）不大于 {beat} 的心跳间隔"),
                [
                    AppliesTo(effective.Line, proxy),
                    T($"heartbeat (--heartbeat): every {beat}", $"心跳（--heartbeat）：每 {beat} 一次"),
                ],
                Verbatim(fix.ToString()),
                new Dictionary<string, object?> { ["section"] = proxy.Section.Title, ["effectiveSeconds"] = effective.Value.TotalSeconds, ["heartbeatSeconds"] = heartbeat.TotalSeconds });
        }
    }

    private static IEnumerable<LintFinding> ModeTcp(HaproxyModel model) =>
        model.Proxies.Where(p => p.Mode == "tcp").Select(p => p.ModeLine is { } line
            ? At(Codes.HaproxyModeTcp, line,
                T(
                    $"{p.Section.Title} runs in mode tcp: HAProxy passes bytes and does not see the WebSocket upgrade",
                    $"{p.Section.Title} 运行在 mode tcp：HAProxy 只透传字节，看不到 WebSocket 升级"),
                [AppliesTo(line, p), TcpMeans],
                null, new Dictionary<string, object?> { ["section"] = p.Section.Title })
            : At(Codes.HaproxyModeTcp, p.Section.Header,
                T(
                    $"{p.Section.Title} has no mode line, so it runs in mode tcp (HAProxy's default)",
                    $"{p.Section.Title} 没有 mode 行，因此运行在 mode tcp（HAProxy 的默认值）"),
                [
                    T(
                        $"{p.Section.Title} at {p.Section.Header.Location}: no mode in the section or {DefaultsText(p)}",
                        $"{p.Section.Title}（{p.Section.Header.Location}）：这一段里没有 mode，{DefaultsText(p)}也没有"),
                    TcpMeans,
                ],
                Verbatim(HaproxyFixBlock.For(p.Section).Add("mode http", "added, if this proxy carries HTTP and WebSocket").ToString()),
                new Dictionary<string, object?> { ["section"] = p.Section.Title }));

    private static Text TcpMeans { get; } = T(
        "no per-path routing, no Upgrade handling; timeout client/server (or tunnel) apply from the first byte",
        "不能按路径路由，不处理 Upgrade；timeout client/server（或 tunnel）从第一个字节起就生效");

    private static Text AppliesTo(HaproxyLine line, HaproxyProxy proxy) =>
        T($"{line.Text} at {line.Location} applies to {proxy.Section.Title}", $"{line.Text}（{line.Location}）作用于 {proxy.Section.Title}");

    private static Text InEffectInstead(Text timeouts) => T($"in effect instead: {timeouts}", $"实际生效的是：{timeouts}");

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

    private static Text EffectiveText(HaproxyModel model, HaproxyProxy proxy) =>
        Effective(model, proxy) is { } e
            ? T($"{DurationFormat.Format(e.Value)} ({e.Line.Text}, {e.Line.Location})", $"{DurationFormat.Format(e.Value)}（{e.Line.Text}，{e.Line.Location}）")
            : T("timeout client/server, which are not set either (no limit, and haproxy -c warns)", "timeout client/server（它们也没有设置：不限时，haproxy -c 会给出警告）");

    private static Text ClientServer(HaproxyProxy proxy, HaproxyModel? model = null)
    {
        var client = model is null ? [proxy.Timeout("client")] : ClientLines(model, proxy).ToArray();
        var server = proxy.Timeout("server");
        static Text Show(HaproxyLine? l) => l is null ? T("not set", "未设置") : T($"{l.Arg(1)} ({l.Location})", $"{l.Arg(1)}（{l.Location}）");
        var clients = Text.Join(T(", ", "、"), client.Select(Show).Distinct());
        return T($"timeout client {clients}; timeout server {Show(server)}", $"timeout client {clients}；timeout server {Show(server)}");
    }

    private static Text DefaultsText(HaproxyProxy proxy) =>
        proxy.Defaults is { } d
            ? T($"its {d.Section.Title} section ({d.Section.Header.Location})", $"它的 {d.Section.Title} 段（{d.Section.Header.Location}）")
            : T("any defaults section above it", "它上面的 defaults 段");

    private static Text Names(IEnumerable<string> names) => names.Any() ? Verbatim(string.Join(", ", names)) : T("none", "无");

    private static LintFinding At(string code, HaproxyLine line, Text message, IEnumerable<Text> evidence, Text? fixBlock, IReadOnlyDictionary<string, object?> data) =>
        LintFinding.Create(code, line.Location, line.Text, message, evidence, fixBlock, data);
}
