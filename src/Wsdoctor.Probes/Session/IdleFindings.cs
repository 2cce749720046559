using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Protocol.Frames;

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
    public static Finding Cut(ReverseProxies.ProxyIdentity? identified, string how, CloseReceived? close, double seconds, double silentSeconds, double openSeconds, IdleTraffic traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var lifetime = traffic.Keepalive is not null || traffic.ServerPings > 0;
        var t = Format(seconds);
        var evidence = new List<string>();
        var who = how switch
        {
            "close" => $"a Close frame with {(close?.Code is { } c ? $"code {c} ({CloseCodes.Describe(c).Name})" : "no code")}{(string.IsNullOrEmpty(close?.Reason) ? "" : $", reason \"{close!.Reason}\"")}: the server application closed it, not an intermediary",
            "rst" => "TCP RST without a Close frame: an intermediary (or the server's kernel) reset it",
            _ => "TCP FIN without a Close frame: an intermediary closed it (a WebSocket server closes with a Close frame)",
        };
        evidence.Add(lifetime
            ? $"the connection ended {t} s after the handshake, although frames flowed during the wait ({Describe(traffic)})"
            : $"after the ping/pong at the start, no frame went either way for {Format(silentSeconds)} s; then the connection ended");
        evidence.Add(who);
        if (!lifetime)
        {
            evidence.Add("to tell an idle timeout from a maximum connection age, run again with --idle-keepalive 5s: an idle timeout then disappears, a lifetime limit does not");
        }

        var (suspect, reasons) = Suspect(identified, seconds, lifetime);
        evidence.AddRange(reasons);
        var half = Math.Max(1, Math.Floor(seconds / 2));
        var fix = lifetime
            ? $"The connection has a maximum age of about {t} s whatever the traffic: raise it{(suspect is null ? "" : $" ({suspect.Directive}: {suspect.Fix})")}, or make the client reconnect before {t} s."
            : how == "close"
                ? $"The server closes connections silent for {t} s: send application heartbeats (or WebSocket pings) every {Format(half)} s, or raise the server's idle timeout."
                : $"Send heartbeats (WebSocket pings) every {Format(half)} s or more often{(suspect is null ? ", and raise the intermediary's idle timeout" : $", and/or raise {suspect.Name}'s timeout: {suspect.Fix}")}.";
        var data = new Dictionary<string, object?>
        {
            ["seconds"] = Math.Round(seconds, 1),
            ["cutBy"] = how,
            ["closeCode"] = close?.Code,
            ["keepaliveSeconds"] = traffic.Keepalive?.TotalSeconds,
            ["intermediary"] = suspect?.Id,
        };
        var code = lifetime ? Codes.SessionLifetimeLimit : Codes.SessionIdleTimeout;
        var message = lifetime
            ? $"the connection is cut {t} s after it opened, traffic or not: a lifetime limit{(suspect is null ? "" : $" ({suspect.Name}?)")}"
            : $"the connection is cut after {t} s of silence by {(how == "close" ? "the server application" : suspect?.Name ?? "an intermediary")}";
        return Finding.Create(code, message, evidence, fix, data);
    }

    public static Finding Forgotten(TimeSpan idle, string how, string detail, IdleTraffic traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var t = Format(idle.TotalSeconds);
        var evidence = new List<string>
        {
            $"the connection stayed silent for {t} s with no FIN, RST or Close from either side ({Describe(traffic)})",
            how switch
            {
                "rst" => $"our ping after the silence got a TCP RST: {detail}",
                "fin" => $"our ping after the silence ended the connection: {detail}",
                _ => $"our ping after the silence got no answer at all: {detail}",
            },
            "the server answered a ping at the start, so a stateful box on the path (NAT gateway, L4 load balancer, conntrack) dropped the flow during the silence and " +
                (how == "silent" ? "now discards its packets" : "now answers them with RST"),
        };
        var boxes = Intermediaries.All.Where(i => i.IdleSeconds is { } s && s <= idle.TotalSeconds && i.Cut is CutBehaviour.Reset or CutBehaviour.Silent).ToArray();
        if (boxes.Length > 0)
        {
            evidence.Add("boxes known to do this within that time: " + string.Join("; ", boxes.Select(b => $"{b.Name} after {Format(b.IdleSeconds!.Value)} s ({b.Directive})")));
        }

        return Finding.Create(Codes.SessionFlowForgotten,
            $"after {t} s of silence the connection no longer answers: a NAT or load balancer forgot the flow",
            evidence,
            $"Send heartbeats below the box's idle timeout (a WebSocket ping every 30 s; AWS NAT gateway and NLB: under 350 s, Azure Load Balancer: under 4 min), or enable TCP keepalive on both ends.",
            new Dictionary<string, object?> { ["seconds"] = Math.Round(idle.TotalSeconds, 1), ["answer"] = how });
    }

    /// <summary>The intermediary that explains the measured time: the identified proxy (its default, or what its
    /// configuration must be set to), else every known default that matches.</summary>
    private static (Intermediary? Suspect, List<string> Reasons) Suspect(ReverseProxies.ProxyIdentity? identified, double seconds, bool lifetime)
    {
        var reasons = new List<string>();
        Intermediary? Default(Intermediary i) => lifetime ? (i.LifetimeSeconds is { } l && Matches(seconds, l) ? i : null) : (i.IdleSeconds is { } s && Matches(seconds, s) ? i : null);
        if (identified is not null && Intermediaries.Find(identified.Id) is { } known)
        {
            var limit = lifetime ? known.LifetimeSeconds : known.IdleSeconds;
            reasons.Add(Default(known) is not null
                ? $"the answer came through {identified.Display} ({identified.Evidence}), whose default is {Format(limit!.Value)} s: {known.Directive}"
                : $"the answer came through {identified.Display} ({identified.Evidence}): {known.Directive}; the measured {Format(seconds)} s is its configured value{(limit is { } d ? $" (default {Format(d)} s)" : "")}, or another box behind it");
            return (known, reasons);
        }

        var matching = Intermediaries.All.Where(i => Default(i) is not null).ToArray();
        if (matching.Length > 0)
        {
            reasons.Add($"{Format(seconds)} s is the default of: " + string.Join("; ", matching.Select(i => $"{i.Name} ({i.Directive})")));
            return (matching.Length == 1 ? matching[0] : null, reasons);
        }

        reasons.Add($"{Format(seconds)} s is no product's default that wsdoctor knows: a configured timeout (nginx proxy_read_timeout, HAProxy timeout tunnel/client, Apache ProxyTimeout, a load balancer's idle timeout)");
        return (null, reasons);
    }

    private static string Describe(IdleTraffic t)
    {
        var parts = new List<string>();
        if (t.PingsSent > 0)
        {
            parts.Add($"{t.PingsSent} ping(s) every {Format(t.Keepalive!.Value.TotalSeconds)} s, {t.Pongs} pong(s)");
        }

        if (t.ServerPings > 0)
        {
            parts.Add($"{t.ServerPings} ping(s) from the server, answered");
        }

        if (t.Messages > 0)
        {
            parts.Add($"{t.Messages} message(s) from the server");
        }

        return parts.Count == 0 ? "no frame either way" : string.Join(", ", parts);
    }

    private static string Format(double seconds) => seconds.ToString(seconds < 10 ? "0.0" : "0.#", CultureInfo.InvariantCulture);
}
