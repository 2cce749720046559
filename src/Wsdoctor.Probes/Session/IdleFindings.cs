using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Session;

/// <summary>Turns a measured cut into session.idle-timeout, session.lifetime-limit or session.flow-forgotten, naming
/// the likely intermediary: the one the response identified, else the defaults of <see cref="Intermediaries"/> that
/// the measured time matches. Public for <c>watch</c>, which measures the same cuts over many connections.</summary>
public static class IdleFindings
{
    /// <summary>Two defaults "match" a measurement within this (the measurement is good to well under a second;
    /// the slack covers a proxy's timer granularity).</summary>
    private static bool Matches(double measured, double expected) => Math.Abs(measured - expected) <= Math.Max(1.5, expected * 0.03);

    internal static Finding Cut(DiagnosisContext ctx, string how, CloseReceived? close, double seconds, double silentSeconds, double openSeconds, IdleTraffic traffic) =>
        Cut(ctx.Intermediary, how, close, seconds, silentSeconds, openSeconds, traffic);

    /// <param name="identified">The proxy the upgrade's answer named, if any.</param>
    /// <param name="how">"close" (a Close frame), "rst" or "fin".</param>
    /// <param name="checkWording">Whether the evidence describes the silence as <c>check --idle</c> makes it (its ping at
    /// the start, the advice to run again with --idle-keepalive); <c>watch</c> describes it in its own words.</param>
    public static Finding Cut(ReverseProxies.ProxyIdentity? identified, string how, CloseReceived? close, double seconds, double silentSeconds, double openSeconds, IdleTraffic traffic, bool checkWording = true)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var lifetime = traffic.Keepalive is not null || traffic.ServerPings > 0;
        var t = Format(seconds);
        var evidence = new List<Text>();
        Text who;
        if (how == "close")
        {
            var code = close?.Code is { } c ? T($"code {c} ({CloseCodes.Describe(c).Name})", $"关闭码 {c}（{CloseCodes.Describe(c).Name}）") : T("no code", "无关闭码");
            var reason = string.IsNullOrEmpty(close?.Reason) ? Text.Empty : T($", reason \"{close!.Reason}\"", $"，原因 \"{close!.Reason}\"");
            who = T($"a Close frame with {code}{reason}: the server application closed it, not an intermediary", $"收到 Close 帧（{code}{reason}）：是服务端应用关闭了连接，不是中间设备");
        }
        else
        {
            who = how == "rst"
                ? T("TCP RST without a Close frame: an intermediary (or the server's kernel) reset it", "收到 TCP RST，没有 Close 帧：是中间设备（或服务端内核）重置了连接")
                : T("TCP FIN without a Close frame: an intermediary closed it (a WebSocket server closes with a Close frame)", "收到 TCP FIN，没有 Close 帧：是中间设备关闭了连接（WebSocket 服务端会用 Close 帧关闭）");
        }

        if (lifetime)
        {
            var traffic1 = Describe(traffic);
            evidence.Add(T($"the connection ended {t} s after the handshake, although frames flowed during the wait ({traffic1})", $"等待期间一直有帧往来（{traffic1}），连接仍在握手后 {t} s 断开"));
        }
        else if (checkWording)
        {
            var silent = Format(silentSeconds);
            evidence.Add(T($"after the ping/pong at the start, no frame went either way for {silent} s; then the connection ended", $"开头的 ping/pong 之后，{silent} s 内双向都没有任何帧，随后连接断开"));
        }

        evidence.Add(who);
        if (!lifetime && checkWording)
        {
            evidence.Add(T("to tell an idle timeout from a maximum connection age, run again with --idle-keepalive 5s: an idle timeout then disappears, a lifetime limit does not",
                "要区分空闲超时和连接的最长存活时间，用 --idle-keepalive 5s 再运行一次：空闲超时会因此消失，存活时间上限则不会"));
        }

        var (suspect, reasons) = Suspect(identified, seconds, lifetime);
        evidence.AddRange(reasons);
        var half = Format(Math.Max(1, Math.Floor(seconds / 2)));
        Text fix;
        if (lifetime)
        {
            var setting = suspect is null ? Text.Empty : T($" ({suspect.Directive}: {suspect.Fix})", $"（{IntermediaryTexts.Directive(suspect)}：{IntermediaryTexts.Fix(suspect)}）");
            fix = T($"The connection has a maximum age of about {t} s whatever the traffic: raise it{setting}, or make the client reconnect before {t} s.",
                $"无论有无流量，连接最多只能存活约 {t} s：调大这个上限{setting}，或让客户端在 {t} s 之前重连。");
        }
        else if (how == "close")
        {
            fix = T($"The server closes connections silent for {t} s: send application heartbeats (or WebSocket pings) every {half} s, or raise the server's idle timeout.",
                $"服务端会关闭静默 {t} s 的连接：每 {half} s 发送一次应用层心跳（或 WebSocket ping），或调大服务端的空闲超时。");
        }
        else
        {
            var raise = suspect is null
                ? T(", and raise the intermediary's idle timeout", "，并调大中间设备的空闲超时")
                : T($", and/or raise {suspect.Name}'s timeout: {suspect.Fix}", $"，必要时也调大 {suspect.Name} 的超时：{IntermediaryTexts.Fix(suspect)}");
            fix = T($"Send heartbeats (WebSocket pings) every {half} s or more often{raise}.", $"至少每 {half} s 发送一次心跳（WebSocket ping）{raise}。");
        }

        var data = new Dictionary<string, object?>
        {
            ["seconds"] = Math.Round(seconds, 1),
            ["cutBy"] = how,
            ["closeCode"] = close?.Code,
            ["keepaliveSeconds"] = traffic.Keepalive?.TotalSeconds,
            ["intermediary"] = suspect?.Id,
        };
        var findingCode = lifetime ? Codes.SessionLifetimeLimit : Codes.SessionIdleTimeout;
        Text message;
        if (lifetime)
        {
            var name = suspect is null ? Text.Empty : T($" ({suspect.Name}?)", $"（{suspect.Name}？）");
            message = T($"the connection is cut {t} s after it opened, traffic or not: a lifetime limit{name}", $"无论有无流量，连接都在打开 {t} s 后断开：连接有存活时间上限{name}");
        }
        else
        {
            var by = how == "close" ? T("the server application", "服务端应用")
                : suspect is null ? T("an intermediary", "中间设备")
                : T(suspect.Name, $" {suspect.Name} ");
            message = T($"the connection is cut after {t} s of silence by {by}", $"连接静默 {t} s 后被{by}切断");
        }

        return Finding.Create(findingCode, message, evidence, fix, data);
    }

    /// <param name="detail">What our ping after the silence got (the error, or that it got nothing).</param>
    public static Finding Forgotten(TimeSpan idle, string how, Text detail, IdleTraffic traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(detail);
        var t = Format(idle.TotalSeconds);
        var moved = Describe(traffic);
        var evidence = new List<Text>
        {
            T($"the connection stayed silent for {t} s with no FIN, RST or Close from either side ({moved})", $"连接静默了 {t} s，双方都没有发送 FIN、RST 或 Close（{moved}）"),
            how switch
            {
                "rst" => T($"our ping after the silence got a TCP RST: {detail}", $"静默之后我们发出的 ping 收到了 TCP RST：{detail}"),
                "fin" => T($"our ping after the silence ended the connection: {detail}", $"静默之后我们发出的 ping 让连接断开了：{detail}"),
                _ => T($"our ping after the silence got no answer at all: {detail}", $"静默之后我们发出的 ping 完全没有回应：{detail}"),
            },
            how == "silent"
                ? T("the server answered a ping at the start, so a stateful box on the path (NAT gateway, L4 load balancer, conntrack) dropped the flow during the silence and now discards its packets",
                    "服务端在开头回应过 ping，所以是路径上的有状态设备（NAT 网关、四层负载均衡器、conntrack）在静默期间丢弃了这条连接的状态，现在会直接丢弃它的数据包")
                : T("the server answered a ping at the start, so a stateful box on the path (NAT gateway, L4 load balancer, conntrack) dropped the flow during the silence and now answers them with RST",
                    "服务端在开头回应过 ping，所以是路径上的有状态设备（NAT 网关、四层负载均衡器、conntrack）在静默期间丢弃了这条连接的状态，现在会对它的数据包回应 RST"),
        };
        var boxes = Intermediaries.All.Where(i => i.IdleSeconds is { } s && s <= idle.TotalSeconds && i.Cut is CutBehaviour.Reset or CutBehaviour.Silent).ToArray();
        if (boxes.Length > 0)
        {
            var list = Text.Join(T("; ", "；"), boxes.Select(b => T($"{b.Name} after {Format(b.IdleSeconds!.Value)} s ({b.Directive})", $"{b.Name} 在 {Format(b.IdleSeconds!.Value)} s 后（{IntermediaryTexts.Directive(b)}）")));
            evidence.Add(T($"boxes known to do this within that time: {list}", $"已知在这段时间内会这样做的中间设备：{list}"));
        }

        return Finding.Create(Codes.SessionFlowForgotten,
            T($"after {t} s of silence the connection no longer answers: a NAT or load balancer forgot the flow", $"静默 {t} s 后连接不再有回应：NAT 或负载均衡器丢掉了这条连接的状态"),
            evidence,
            T("Send heartbeats below the box's idle timeout (a WebSocket ping every 30 s; AWS NAT gateway and NLB: under 350 s, Azure Load Balancer: under 4 min), or enable TCP keepalive on both ends.",
                "让心跳间隔低于该中间设备的空闲超时（每 30 s 一次 WebSocket ping；AWS NAT 网关和 NLB：低于 350 s，Azure Load Balancer：低于 4 min），或在两端都启用 TCP keepalive。"),
            new Dictionary<string, object?> { ["seconds"] = Math.Round(idle.TotalSeconds, 1), ["answer"] = how });
    }

    /// <summary>The intermediary that explains the measured time: the identified proxy (its default, or what its
    /// configuration must be set to), else every known default that matches.</summary>
    private static (Intermediary? Suspect, List<Text> Reasons) Suspect(ReverseProxies.ProxyIdentity? identified, double seconds, bool lifetime)
    {
        var reasons = new List<Text>();
        Intermediary? Default(Intermediary i) => lifetime ? (i.LifetimeSeconds is { } l && Matches(seconds, l) ? i : null) : (i.IdleSeconds is { } s && Matches(seconds, s) ? i : null);
        var measured = Format(seconds);
        if (identified is not null && Intermediaries.Find(identified.Id) is { } known)
        {
            var limit = lifetime ? known.LifetimeSeconds : known.IdleSeconds;
            var directive = IntermediaryTexts.Directive(known);
            if (Default(known) is not null)
            {
                var d = Format(limit!.Value);
                reasons.Add(T($"the answer came through {identified.Display} ({identified.Evidence}), whose default is {d} s: {known.Directive}",
                    $"响应经过 {identified.DisplayText}（{identified.EvidenceText}），它的默认值是 {d} s：{directive}"));
            }
            else
            {
                var byDefault = limit is { } d ? T($" (default {Format(d)} s)", $"（默认 {Format(d)} s）") : Text.Empty;
                reasons.Add(T($"the answer came through {identified.Display} ({identified.Evidence}): {known.Directive}; the measured {measured} s is its configured value{byDefault}, or another box behind it",
                    $"响应经过 {identified.DisplayText}（{identified.EvidenceText}）：{directive}；测得的 {measured} s 是它配置的值{byDefault}，或者来自它后面的另一台中间设备"));
            }

            return (known, reasons);
        }

        var matching = Intermediaries.All.Where(i => Default(i) is not null).ToArray();
        if (matching.Length > 0)
        {
            var list = Text.Join(T("; ", "；"), matching.Select(i => T($"{i.Name} ({i.Directive})", $"{i.Name}（{IntermediaryTexts.Directive(i)}）")));
            reasons.Add(T($"{measured} s is the default of: {list}", $"{measured} s 是以下产品的默认值：{list}"));
            return (matching.Length == 1 ? matching[0] : null, reasons);
        }

        reasons.Add(T($"{measured} s is no product's default that wsdoctor knows: a configured timeout (nginx proxy_read_timeout, HAProxy timeout tunnel/client, Apache ProxyTimeout, a load balancer's idle timeout)",
            $"{measured} s 不是 wsdoctor 所知任何产品的默认值，所以是配置过的超时（nginx proxy_read_timeout、HAProxy timeout tunnel/client、Apache ProxyTimeout、负载均衡器的空闲超时）"));
        return (null, reasons);
    }

    private static Text Describe(IdleTraffic t)
    {
        var parts = new List<Text>();
        if (t.PingsSent > 0)
        {
            var every = Format(t.Keepalive!.Value.TotalSeconds);
            parts.Add(T($"{t.PingsSent} ping(s) every {every} s, {t.Pongs} pong(s)", $"每 {every} s 一次 ping，共 {t.PingsSent} 次，收到 {t.Pongs} 次 pong"));
        }

        if (t.ServerPings > 0)
        {
            parts.Add(T($"{t.ServerPings} ping(s) from the server, answered", $"服务端发来 {t.ServerPings} 次 ping，均已回应"));
        }

        if (t.Messages > 0)
        {
            parts.Add(T($"{t.Messages} message(s) from the server", $"服务端发来 {t.Messages} 条消息"));
        }

        return parts.Count == 0 ? T("no frame either way", "双向都没有帧") : Text.Join(T(", ", "，"), parts);
    }

    private static string Format(double seconds) => seconds.ToString(seconds < 10 ? "0.0" : "0.#", CultureInfo.InvariantCulture);
}
