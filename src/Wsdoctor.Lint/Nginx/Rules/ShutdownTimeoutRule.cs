using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.shutdown-timeout: on reload, old workers keep their WebSockets open until they close by
/// themselves; worker_shutdown_timeout (main context, nginx 1.11.11+) closes them at expiry instead.</summary>
public sealed class ShutdownTimeoutRule : INginxRule
{
    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        foreach (var directive in context.Model.Main.Own("worker_shutdown_timeout"))
        {
            var value = NginxTime.Parse(directive.Arg(0));
            var later = value is { } v ? DurationFormat.Format(v) : directive.Arg(0);
            yield return NginxLintContext.At(Codes.NginxShutdownTimeout, directive,
                T(
                    $"worker_shutdown_timeout {directive.Arg(0)}: every reload closes the open WebSockets {later} later",
                    $"worker_shutdown_timeout {directive.Arg(0)}：每次 reload 后过 {later}，还开着的 WebSocket 都会被关闭"),
                [
                    T($"{directive.Text} at {directive.Location} (main context)", $"{directive.Text}（{directive.Location}，main 上下文）"),
                    T("without it, old workers keep serving their WebSockets until the clients leave", "没有它时，旧的 worker 会一直服务已有的 WebSocket，直到客户端自己离开"),
                ],
                null,
                data: new Dictionary<string, object?> { ["timeoutSeconds"] = value?.TotalSeconds });
        }
    }
}
