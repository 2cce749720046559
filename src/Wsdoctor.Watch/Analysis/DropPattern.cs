using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.ReverseProxies;
using Wsdoctor.Probes.Session;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Watch.Engine;
using static Wsdoctor.Findings.Text;

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
                var over = Seconds(duration.TotalSeconds);
                var causes = string.Join(", ", openFailures.Select(f => $"{f.Cause} ×{f.Count}"));
                findings.Add(Finding.Create(code, T($"the endpoint could not be opened in {count} attempt(s) over {over} s", $"在 {over} s 内尝试了 {count} 次，都没能打开这个端点"),
                    [T($"every attempt failed: {causes}", $"每次尝试都失败了：{causes}")]));
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
            Consistent(silences)
                ? T($"{group.Count} of {total} drop(s) came after {List(silences)} s of silence since the open: the same silence every time",
                    $"{total} 次断开中有 {group.Count} 次发生在打开后静默 {List(silences)} s 时：每次静默的时长都一样")
                : T($"{group.Count} of {total} drop(s) came after {List(silences)} s of silence since the open (not all the same: several timeouts, or one with a jittery timer)",
                    $"{total} 次断开中有 {group.Count} 次发生在打开后静默 {List(silences)} s 时（时长不完全相同：有多个超时，或者某个计时器有抖动）"),
        };
        // check's own wording of the silence (its ping at the start, its --idle-keepalive) is left out (checkWording: false): the lines above and below replace it.
        evidence.AddRange(cut.Evidence);
        evidence.Add(options.PingInterval is null
            ? T($"to confirm, watch again with --ping-interval {Seconds(Math.Max(1, Math.Floor(t / 2)))}s: an idle timeout then disappears, a maximum connection age does not",
                $"要确认的话，用 --ping-interval {Seconds(Math.Max(1, Math.Floor(t / 2)))}s 再 watch 一次：如果是空闲超时，断开就会消失；如果是最大连接时长，则不会")
            : T($"--ping-interval {Seconds(options.PingInterval.Value.TotalSeconds)}s is longer than the timeout: ping more often than every {Seconds(t)} s",
                $"--ping-interval {Seconds(options.PingInterval.Value.TotalSeconds)}s 比超时时间还长：ping 的间隔要短于 {Seconds(t)} s"));
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
            T($"{group.Count} of {total} drop(s) came {List(ages)} s after the open, although frames flowed until {List(group.Select(d => d.SilentSeconds).ToArray())} s before each: the same age every time",
              $"{total} 次断开中有 {group.Count} 次发生在打开后 {List(ages)} s，尽管每次断开前 {List(group.Select(d => d.SilentSeconds).ToArray())} s 还有帧在传输：每次的连接时长都一样"),
        };
        evidence.AddRange(cut.Evidence);
        return cut with { Evidence = evidence, Data = With(cut.Data, ("drops", group.Count), ("period", Math.Round(t, 1))) };
    }

    private static Finding ClosedByServer(IReadOnlyList<Drop> group, IReadOnlyList<Text> restart)
    {
        var code = group[0].CloseCode;
        var info = code is { } c ? CloseCodes.Describe(c) : null;
        var name = code is { } n ? $"{n} ({info!.Name})" : null;
        var ages = group.Select(d => d.AgeSeconds).ToArray();
        var reason = group[^1].CloseReason;
        var count = group.Count;
        var after = List(ages);
        var evidence = new List<Text>
        {
            (name, reason.Length > 0) switch
            {
                ({ } closeName, true) => T($"{count} connection(s) closed by the server with {closeName}, reason \"{reason}\" after {after} s",
                    $"{count} 个连接在 {after} s 后被服务端以 {closeName} 关闭，原因 \"{reason}\""),
                ({ } closeName, false) => T($"{count} connection(s) closed by the server with {closeName} after {after} s",
                    $"{count} 个连接在 {after} s 后被服务端以 {closeName} 关闭"),
                (null, true) => T($"{count} connection(s) closed by the server with an empty Close frame, reason \"{reason}\" after {after} s",
                    $"{count} 个连接在 {after} s 后被服务端用空的关闭帧关闭，原因 \"{reason}\""),
                (null, false) => T($"{count} connection(s) closed by the server with an empty Close frame after {after} s",
                    $"{count} 个连接在 {after} s 后被服务端用空的关闭帧关闭"),
            },
        };
        var texts = info is null ? ((Text Meaning, Text LikelyCause, Text Fix)?)null : SessionTexts.Of(info);
        if (texts is { } known)
        {
            evidence.Add(T($"{known.Meaning} Usually: {known.LikelyCause}", $"{known.Meaning}常见原因：{known.LikelyCause}"));
        }

        if (group.Count > 1)
        {
            evidence.Add(Consistent(ages)
                ? T("at the same age every time: a limit of the server application", "每次都在相同的连接时长断开：这是服务端应用的限制")
                : T("at different ages: events on the server (restarts, deploys, its own decisions), not a timer", "断开时的连接时长各不相同：是服务端发生的事件（重启、发布、它自己的决定），而不是计时器"));
        }

        evidence.AddRange(restart);
        var fix = texts?.Fix ?? T("Find where the server closes without a status code; close with an explicit code so clients can tell why.",
            "找到服务端不带状态码关闭连接的地方；关闭时给出明确的关闭码，让客户端知道原因。");
        var message = name is null
            ? T($"the server closed {count} connection(s) with an empty Close frame", $"服务端用空的关闭帧关闭了 {count} 个连接")
            : T($"the server closed {count} connection(s) with {name}", $"服务端以 {name} 关闭了 {count} 个连接");
        return Finding.Create(Codes.SessionClosedByServer, message, evidence, fix,
            new Dictionary<string, object?> { ["closeCode"] = code, ["drops"] = group.Count });
    }

    private static Finding NoPong(IReadOnlyList<Drop> group, WatchOptions options)
    {
        var timeout = Seconds(options.PingTimeout.TotalSeconds);
        var ages = List(group.Select(d => d.AgeSeconds).ToArray());
        return Finding.Create(Codes.SessionNoPong, T($"{group.Count} connection(s) stopped answering pings", $"{group.Count} 个连接不再响应 ping"),
            [
                T($"a ping got no pong within {timeout} s (--ping-timeout) {ages} s after the open; the connection was given up",
                  $"打开后 {ages} s 时发出的 ping 在 {timeout} s（--ping-timeout）内没有收到 pong，于是放弃了这个连接"),
                T("the TCP connection looked open: the server is stuck, or a box on the path forgot the flow and drops its packets",
                  "TCP 连接看起来仍然是打开的：要么服务端卡住了，要么路径上的某个设备丢掉了这条连接的状态，正在丢弃它的数据包"),
            ],
            data: new Dictionary<string, object?> { ["drops"] = group.Count });
    }

    private static Finding Irregular(IReadOnlyList<Drop> group, IReadOnlyList<Text> restart)
    {
        var ages = List(group.Select(d => d.AgeSeconds).ToArray());
        var how = group.Any(d => d.Kind == DropKind.Reset) ? "TCP RST" : "TCP FIN";
        var evidence = new List<Text>
        {
            T($"{group.Count} drop(s) without a Close frame {ages} s after the open ({how})", $"{group.Count} 次断开发生在打开后 {ages} s，没有关闭帧（{how}）"),
            group.Count > 1
                ? T("at different ages and not after a fixed silence: no timeout explains them; a server crashing or restarting, or the network",
                    "断开时的连接时长各不相同，也不是在固定的静默之后：没有哪个超时能解释它们；原因是服务端崩溃或重启，或者是网络")
                : T("a single drop: a second one at the same age would show a maximum connection age, the same silence an idle timeout",
                    "只有一次断开：如果第二次断开发生在相同的连接时长，说明是最大连接时长；如果发生在相同的静默之后，说明是空闲超时"),
        };
        evidence.AddRange(restart);
        return Finding.Create(Codes.SessionAbnormalClose, T($"{group.Count} connection(s) lost without a Close frame, at no fixed time", $"{group.Count} 个连接在不固定的时间断开，没有关闭帧"), evidence,
            data: new Dictionary<string, object?> { ["drops"] = group.Count });
    }

    /// <summary>Failed reconnects that follow drops: the server was down (refused) or overloaded (503) for a while.</summary>
    private static IReadOnlyList<Text> RestartEvidence(IReadOnlyList<(string Cause, int Count)> failures, IReadOnlyList<double> reconnects)
    {
        if (failures.Count == 0)
        {
            return [];
        }

        var causes = string.Join(", ", failures.Select(f => $"{f.Cause} ×{f.Count}"));
        var lines = new List<Text> { T($"reconnect attempts failed: {causes}", $"重连尝试失败：{causes}") };
        if (reconnects.Count > 0)
        {
            var upTo = Seconds(reconnects.Max() / 1000);
            lines.Add(failures.Any(f => f.Cause.StartsWith(Codes.TcpRefused, StringComparison.Ordinal))
                ? T($"the endpoint took up to {upTo} s to accept connections again: nothing listened meanwhile, so the server process restarted",
                    $"端点最多过了 {upTo} s 才重新接受连接：期间没有进程在监听，所以是服务端进程重启了")
                : T($"the endpoint took up to {upTo} s to accept connections again: it was up but refused meanwhile",
                    $"端点最多过了 {upTo} s 才重新接受连接：期间它在运行，但拒绝了连接"));
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
