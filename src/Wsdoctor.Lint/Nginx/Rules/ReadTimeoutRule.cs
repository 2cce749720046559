using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.read-timeout: proxy_read_timeout keeps applying to the tunnel after the upgrade; a WebSocket with
/// no data from the upstream for that long is closed without a Close frame (clients see 1006).</summary>
public sealed class ReadTimeoutRule : INginxRule
{
    /// <summary>The value the fix suggests: an hour, or four heartbeats if that is longer.</summary>
    public static TimeSpan Suggested(TimeSpan? heartbeat) =>
        heartbeat is { } h && h * 4 > TimeSpan.FromHours(1) ? h * 4 : TimeSpan.FromHours(1);

    /// <summary>The evidence line that names the heartbeat given with --heartbeat.</summary>
    public static Text Heartbeat(TimeSpan beat) =>
        T($"heartbeat (--heartbeat): every {DurationFormat.Format(beat)}", $"心跳（--heartbeat）：每 {DurationFormat.Format(beat)} 一次");

    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        var nginx = Intermediaries.Find("nginx")!;
        var defaultTimeout = TimeSpan.FromSeconds(nginx.IdleSeconds!.Value);
        var heartbeat = context.Options.Heartbeat;
        var suggested = $"proxy_read_timeout {DurationFormat.Format(Suggested(heartbeat))};";
        foreach (var ws in context.WebSockets)
        {
            var location = ws.Location;
            var set = location.Scope.Effective("proxy_read_timeout");
            var timeout = set is null ? defaultTimeout : NginxTime.Parse(set.Arg(0)) ?? defaultTimeout;
            var belowHeartbeat = heartbeat is { } h && timeout <= h;
            if (set is not null && !belowHeartbeat)
            {
                continue;
            }

            var fix = NginxFixBlock.For(location.Directive);
            if (set is not null && location.Scope.Own("proxy_read_timeout").Contains(set))
            {
                fix.Replace(set, suggested);
            }
            else
            {
                fix.Add(suggested);
            }

            var evidence = new List<Text> { ws.Evidence };
            evidence.Add(set is null
                ? T(
                    $"no proxy_read_timeout in the location, its server or http: the default is {DurationFormat.Format(defaultTimeout)} ({nginx.Source})",
                    $"location、所在的 server 和 http 中都没有 proxy_read_timeout：默认是 {DurationFormat.Format(defaultTimeout)}（{nginx.Source}）")
                : T($"{set.Text} at {set.Location} applies to {location.Title}", $"{set.Text}（{set.Location}）作用于 {location.Title}"));
            if (heartbeat is { } beat)
            {
                evidence.Add(Heartbeat(beat));
            }

            var shown = set is null
                ? T($"{DurationFormat.Format(timeout)} (the default)", $"{DurationFormat.Format(timeout)}（默认值）")
                : Verbatim(DurationFormat.Format(timeout));
            var message = belowHeartbeat
                ? T(
                    $"proxy_read_timeout {shown} is not above the {DurationFormat.Format(heartbeat!.Value)} heartbeat: nginx closes idle WebSockets between two heartbeats",
                    $"proxy_read_timeout 为 {shown}，不大于 {DurationFormat.Format(heartbeat!.Value)} 的心跳间隔：nginx 会在两次心跳之间关闭空闲的 WebSocket")
                : T(
                    $"proxy_read_timeout is not set: nginx closes a WebSocket after {DurationFormat.Format(defaultTimeout)} without data from the upstream",
                    $"没有设置 proxy_read_timeout：上游 {DurationFormat.Format(defaultTimeout)} 内没有数据，nginx 就会关闭 WebSocket");
            yield return NginxLintContext.At(Codes.NginxReadTimeout, set ?? location.Directive, message, evidence, Verbatim(fix.ToString()),
                severity: belowHeartbeat ? Severity.Error : null,
                data: new Dictionary<string, object?>
                {
                    ["location"] = location.Title,
                    ["timeoutSeconds"] = timeout.TotalSeconds,
                    ["default"] = set is null,
                    ["heartbeatSeconds"] = heartbeat?.TotalSeconds,
                });
        }
    }
}
