using Wsdoctor.Findings;

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
            yield return NginxLintContext.At(Codes.NginxShutdownTimeout, directive,
                $"worker_shutdown_timeout {directive.Arg(0)}: every reload closes the open WebSockets {(value is { } v ? DurationFormat.Format(v) : directive.Arg(0))} later",
                [$"{directive.Text} at {directive.Location} (main context)", "without it, old workers keep serving their WebSockets until the clients leave"],
                null,
                data: new Dictionary<string, object?> { ["timeoutSeconds"] = value?.TotalSeconds });
        }
    }
}
