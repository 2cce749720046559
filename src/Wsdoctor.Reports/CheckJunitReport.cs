using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports.Junit;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor check --format junit</c>: one testsuite per target, one testcase per layer (url, dns, tcp,
/// proxy, tls, http, ws, session, app, and browser when it ran). A failed layer is a failure whose message is the
/// verdict line (for the root cause's layer exactly the line text output starts with) and whose body is the evidence
/// and fix; a skipped or unreached layer is skipped; warnings are the passed case's system-out. The request and
/// response heads (secrets redacted, as in every report) are the suite's system-out.</summary>
public static class CheckJunitReport
{
    public static string Render(CheckBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var suites = batch.Targets.Select(Suite).ToArray();
        return JunitXml.Render("wsdoctor check", suites, TimeSpan.FromMilliseconds(batch.TotalMs), batch.StartedAt);
    }

    /// <summary>A finding's evidence, fix and explain line, as the failure bodies of check and test print them.</summary>
    public static IEnumerable<string> FindingLines(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Evidence.Select(e => $"evidence: {e.En}")
            .Concat(finding.Fix.En.Split('\n').Select((line, i) => i == 0 ? $"fix: {line}" : $"     {line}"))
            .Append($"more: wsdoctor explain {finding.Code}");
    }

    /// <summary>The verdict line without colour markup: "FAIL tls.name-mismatch — ...".</summary>
    public static string PlainVerdictLine(CheckReport report) => Markup.Remove(TextReport.VerdictLine(report));

    private static JunitSuite Suite(CheckTarget target)
    {
        var report = target.Report;
        var name = target.Source is { } source ? $"{report.Target} ({source})" : report.Target;
        var cases = report.Layers.Select(layer => Case(report, layer)).ToArray();
        return new JunitSuite(name, TimeSpan.FromMilliseconds(report.TotalMs), cases) { SystemOut = SuiteOut(report) };
    }

    private static JunitCase Case(CheckReport report, LayerReport layer)
    {
        var findings = report.Findings.Where(f => f.Layer == layer.Layer).ToArray();
        var errors = findings.Where(f => f.Severity == Severity.Error).ToArray();
        var time = TimeSpan.FromMilliseconds(layer.DurationMs ?? 0);
        var testCase = new JunitCase(layer.Layer.Name(), report.Target, time);
        if (layer.Status == LayerStatus.Failed || errors.Length > 0)
        {
            var lead = errors.Contains(report.RootCause) ? report.RootCause! : errors.FirstOrDefault();
            var message = lead is null || lead == report.RootCause ? PlainVerdictLine(report) : $"FAIL {lead.Code} — {lead.Message}";
            var body = errors.Length == 0 ? [layer.Summary] : errors.SelectMany(f => FindingLines(f).Prepend($"{f.Code}: {f.Message}"));
            return testCase with { Failure = new JunitFailure(message, lead?.Code ?? layer.Layer.Name(), string.Join('\n', body)) };
        }

        if (layer.Status is LayerStatus.Skipped or LayerStatus.NotReached)
        {
            return testCase with { Skipped = layer.Status == LayerStatus.NotReached ? $"not reached: {layer.Summary}" : layer.Summary };
        }

        var notes = findings.SelectMany(f => FindingLines(f).Prepend($"{f.Severity.Name()} {f.Code}: {f.Message}"));
        return testCase with { SystemOut = string.Join('\n', notes.Prepend(layer.Summary)) };
    }

    private static string SuiteOut(CheckReport report)
    {
        var lines = new List<string> { PlainVerdictLine(report) };
        foreach (var (title, head) in new[] { ("request head", report.Connection.RequestHead), ("response head", report.Connection.ResponseHead) })
        {
            if (head is not null)
            {
                lines.Add($"{title}:");
                lines.AddRange(head.TrimEnd().Split('\n').Select(l => "  " + l.TrimEnd('\r')));
            }
        }

        return string.Join('\n', lines);
    }
}
