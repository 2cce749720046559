using Wsdoctor.Findings;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.read-timeout: proxy_read_timeout keeps applying to the tunnel after the upgrade; a WebSocket with
/// no data from the upstream for that long is closed without a Close frame (clients see 1006).</summary>
public sealed class ReadTimeoutRule : INginxRule
{
    /// <summary>The value the fix suggests: an hour, or four heartbeats if that is longer.</summary>
    public static TimeSpan Suggested(TimeSpan? heartbeat) =>
        heartbeat is { } h && h * 4 > TimeSpan.FromHours(1) ? h * 4 : TimeSpan.FromHours(1);

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

            var evidence = new List<string> { ws.Evidence };
            evidence.Add(set is null
                ? $"no proxy_read_timeout in the location, its server or http: the default is {DurationFormat.Format(defaultTimeout)} ({nginx.Source})"
                : $"{set.Text} at {set.Location} applies to {location.Title}");
            if (heartbeat is { } beat)
            {
                evidence.Add($"heartbeat (--heartbeat): every {DurationFormat.Format(beat)}");
            }

            var message = belowHeartbeat
                ? $"proxy_read_timeout {DurationFormat.Format(timeout)}{(set is null ? " (the default)" : "")} is not above the {DurationFormat.Format(heartbeat!.Value)} heartbeat: nginx closes idle WebSockets between two heartbeats"
                : $"proxy_read_timeout is not set: nginx closes a WebSocket after {DurationFormat.Format(defaultTimeout)} without data from the upstream";
            yield return NginxLintContext.At(Codes.NginxReadTimeout, set ?? location.Directive, message, evidence, fix.ToString(),
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
