using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.ReverseProxies;
using Wsdoctor.Probes.Session;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Analysis;

/// <summary>What the drops of a watch have in common. A fixed silence before each cut is an idle timeout, a fixed
/// age with traffic flowing is a maximum connection age; both are judged by check's idle analysis
/// (<see cref="IdleFindings"/>, which names the intermediary from the table of defaults). Close frames are the
/// server's, named by their code; irregular drops without a Close frame are the network or a crash.</summary>
public static class DropPattern
{
    /// <summary>Drops "share" a time when they all lie within this of each other: a second, or a tenth of the time
    /// for long ones (timer granularity of proxies, the scheduling noise of a shared machine).</summary>
    public static bool Consistent(IReadOnlyList<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        return seconds.Count > 0 && seconds.Max() - seconds.Min() <= Math.Max(1.0, 0.1 * Median(seconds));
    }

    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static IReadOnlyList<Finding> Analyze(
        IReadOnlyList<Drop> drops, IReadOnlyList<(string Cause, int Count)> openFailures, IReadOnlyList<double> reconnects,
        ProxyIdentity? intermediary, WatchOptions options, TimeSpan duration, int connections)
    {
        var findings = new List<Finding>();
        var restart = RestartEvidence(openFailures, reconnects);
        if (drops.Count == 0)
        {
            if (connections == 0 && openFailures.Count > 0)
            {
                var (cause, count) = openFailures[0];
                var code = cause.Split(' ')[0];
                findings.Add(Finding.Create(code, $"the endpoint could not be opened in {count} attempt(s) over {Seconds(duration.TotalSeconds)} s",
                    [$"every attempt failed: {string.Join(", ", openFailures.Select(f => $"{f.Cause} ×{f.Count}"))}"]));
            }

            return findings;
        }

        var rest = drops.ToList();
        Take(rest, d => d.Code == Codes.SessionIdleTimeout || (d.Kind == DropKind.Close && DropClassifier.IsIdleCut(d)), group => IdleCut(group, drops.Count, intermediary, options), findings);
        Take(rest, d => d.Code != Codes.SessionNoPong, group => Lifetime(group, drops.Count, intermediary, options), findings);
        foreach (var byCode in rest.Where(d => d.Kind == DropKind.Close).GroupBy(d => d.CloseCode).ToArray())
        {
            findings.Add(ClosedByServer([.. byCode], restart));
            rest.RemoveAll(byCode.Contains);
        }

        if (rest.Where(d => d.Kind == DropKind.NoPong).ToArray() is { Length: > 0 } silentServer)
        {
            findings.Add(NoPong(silentServer, options));
            rest.RemoveAll(silentServer.Contains);
        }

        if (rest.Count > 0)
        {
            findings.Add(Irregular(rest, restart));
        }

        return findings;
    }

    /// <summary>Moves the drops that match and make a pattern (a finding) out of <paramref name="rest"/>.</summary>
    private static void Take(List<Drop> rest, Func<Drop, bool> match, Func<IReadOnlyList<Drop>, Finding?> judge, List<Finding> findings)
    {
        var group = rest.Where(match).ToArray();
        if (group.Length > 0 && judge(group) is { } finding)
        {
            findings.Add(finding);
            rest.RemoveAll(group.Contains);
        }
    }

    /// <summary>Every drop of the group came after nothing but silence since the open.</summary>
    private static Finding IdleCut(IReadOnlyList<Drop> group, int total, ProxyIdentity? intermediary, WatchOptions options)
    {
        var silences = group.Select(d => d.SilentSeconds).ToArray();
        var t = Median(silences);
        var last = group[^1];
        var how = last.Kind switch { DropKind.Close => "close", DropKind.Reset => "rst", _ => "fin" };
        var close = last.Kind == DropKind.Close ? new CloseReceived(0, last.CloseCode, last.CloseReason, []) : null;
        var cut = IdleFindings.Cut(intermediary, how, close, t, t, t, new IdleTraffic(null, 0, 0, 0, 0), checkWording: false);
        var evidence = new List<Text>
        {
            Text.Untranslated($"{group.Count} of {total} drop(s) came after {List(silences)} s of silence since the open{(Consistent(silences) ? ": the same silence every time" : " (not all the same: several timeouts, or one with a jittery timer)")}"),
        };
        // check's own wording of the silence (its ping at the start, its --idle-keepalive) is left out (checkWording: false): the lines above and below replace it.
        evidence.AddRange(cut.Evidence);
        evidence.Add(Text.Untranslated(options.PingInterval is null
            ? $"to confirm, watch again with --ping-interval {Seconds(Math.Max(1, Math.Floor(t / 2)))}s: an idle timeout then disappears, a maximum connection age does not"
            : $"--ping-interval {Seconds(options.PingInterval.Value.TotalSeconds)}s is longer than the timeout: ping more often than every {Seconds(t)} s"));
        return cut with { Evidence = evidence, Data = With(cut.Data, ("drops", group.Count), ("period", Math.Round(t, 1))) };
    }

    /// <summary>Traffic flowed, yet the drops came at one age: a lifetime limit. Needs two drops to be a pattern.</summary>
    private static Finding? Lifetime(IReadOnlyList<Drop> group, int total, ProxyIdentity? intermediary, WatchOptions options)
    {
        var ages = group.Select(d => d.AgeSeconds).ToArray();
        if (group.Count < 2 || !Consistent(ages))
        {
            return null;
        }

        var t = Median(ages);
        var last = group[^1];
        var how = last.Kind switch { DropKind.Close => "close", DropKind.Reset => "rst", _ => "fin" };
        var close = last.Kind == DropKind.Close ? new CloseReceived(0, last.CloseCode, last.CloseReason, []) : null;
        var keepalive = options.PingInterval ?? options.SendEvery ?? TimeSpan.FromSeconds(Math.Max(0.1, last.SilentSeconds));
        var traffic = new IdleTraffic(keepalive, last.PingsSent, last.Pongs, last.ServerPings, last.MessagesIn);
        var cut = IdleFindings.Cut(intermediary, how, close, t, last.SilentSeconds, t, traffic);
        var evidence = new List<Text>
        {
            Text.Untranslated($"{group.Count} of {total} drop(s) came {List(ages)} s after the open, although frames flowed until {List(group.Select(d => d.SilentSeconds).ToArray())} s before each: the same age every time"),
        };
        evidence.AddRange(cut.Evidence);
        return cut with { Evidence = evidence, Data = With(cut.Data, ("drops", group.Count), ("period", Math.Round(t, 1))) };
    }

    private static Finding ClosedByServer(IReadOnlyList<Drop> group, IReadOnlyList<string> restart)
    {
        var code = group[0].CloseCode;
        var info = code is { } c ? CloseCodes.Describe(c) : null;
        var name = code is { } n ? $"{n} ({info!.Name})" : "an empty Close frame";
        var ages = group.Select(d => d.AgeSeconds).ToArray();
        var evidence = new List<string>
        {
            $"{group.Count} connection(s) closed by the server with {name}{(group[^1].CloseReason.Length > 0 ? $", reason \"{group[^1].CloseReason}\"" : "")} after {List(ages)} s",
        };
        if (info is not null)
        {
            evidence.Add($"{info.Meaning} Usually: {info.LikelyCause}");
        }

        if (group.Count > 1)
        {
            evidence.Add(Consistent(ages) ? "at the same age every time: a limit of the server application" : "at different ages: events on the server (restarts, deploys, its own decisions), not a timer");
        }

        evidence.AddRange(restart);
        var fix = info?.Fix ?? "Find where the server closes without a status code; close with an explicit code so clients can tell why.";
        return Finding.Create(Codes.SessionClosedByServer, $"the server closed {group.Count} connection(s) with {name}", evidence, fix,
            new Dictionary<string, object?> { ["closeCode"] = code, ["drops"] = group.Count });
    }

    private static Finding NoPong(IReadOnlyList<Drop> group, WatchOptions options) =>
        Finding.Create(Codes.SessionNoPong, $"{group.Count} connection(s) stopped answering pings",
            [
                $"a ping got no pong within {Seconds(options.PingTimeout.TotalSeconds)} s (--ping-timeout) {List(group.Select(d => d.AgeSeconds).ToArray())} s after the open; the connection was given up",
                "the TCP connection looked open: the server is stuck, or a box on the path forgot the flow and drops its packets",
            ],
            data: new Dictionary<string, object?> { ["drops"] = group.Count });

    private static Finding Irregular(IReadOnlyList<Drop> group, IReadOnlyList<string> restart)
    {
        var ages = group.Select(d => d.AgeSeconds).ToArray();
        var evidence = new List<string>
        {
            $"{group.Count} drop(s) without a Close frame {List(ages)} s after the open ({(group.Any(d => d.Kind == DropKind.Reset) ? "TCP RST" : "TCP FIN")})",
            group.Count > 1
                ? "at different ages and not after a fixed silence: no timeout explains them; a server crashing or restarting, or the network"
                : "a single drop: a second one at the same age would show a maximum connection age, the same silence an idle timeout",
        };
        evidence.AddRange(restart);
        return Finding.Create(Codes.SessionAbnormalClose, $"{group.Count} connection(s) lost without a Close frame, at no fixed time", evidence,
            data: new Dictionary<string, object?> { ["drops"] = group.Count });
    }

    /// <summary>Failed reconnects that follow drops: the server was down (refused) or overloaded (503) for a while.</summary>
    private static IReadOnlyList<string> RestartEvidence(IReadOnlyList<(string Cause, int Count)> failures, IReadOnlyList<double> reconnects)
    {
        if (failures.Count == 0)
        {
            return [];
        }

        var lines = new List<string> { $"reconnect attempts failed: {string.Join(", ", failures.Select(f => $"{f.Cause} ×{f.Count}"))}" };
        if (reconnects.Count > 0)
        {
            lines.Add($"the endpoint took up to {Seconds(reconnects.Max() / 1000)} s to accept connections again: {(failures.Any(f => f.Cause.StartsWith(Codes.TcpRefused, StringComparison.Ordinal)) ? "nothing listened meanwhile, so the server process restarted" : "it was up but refused meanwhile")}");
        }

        return lines;
    }

    private static IReadOnlyDictionary<string, object?> With(IReadOnlyDictionary<string, object?> data, params (string Key, object? Value)[] more)
    {
        var copy = new Dictionary<string, object?>(data);
        foreach (var (key, value) in more)
        {
            copy[key] = value;
        }

        return copy;
    }

    private static string List(IReadOnlyList<double> seconds)
    {
        const int Shown = 8;
        var text = string.Join(", ", seconds.Take(Shown).Select(Seconds));
        return seconds.Count > Shown ? $"{text}, … ({seconds.Count})" : text;
    }

    internal static string Seconds(double s) => s.ToString(s < 10 ? "0.0" : "0.#", CultureInfo.InvariantCulture);
}
