using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Browsers.Verdict;

/// <summary>Adds real browsers' verdicts to a check report: one browser.verdict finding per browser (an error when
/// the browser could not open the WebSocket: that is the user's failure, with the browser's own evidence), the
/// browser layer line, and the verdict recomputed.</summary>
public static class ReportMerge
{
    public static CheckReport Merge(CheckReport report, IReadOnlyList<BrowserObservation> observations)
    {
        var findings = report.Findings.ToList();
        foreach (var observation in observations)
        {
            findings.Add(VerdictFinding(observation));
        }

        var ordered = findings.Select((f, i) => (f, i)).OrderBy(x => x.f.Layer).ThenBy(x => x.i).Select(x => x.f).ToArray();
        var rootCause = RootCause.Pick(ordered);
        var verdict = rootCause is not null ? Probes.Diagnosis.Verdict.Fail
            : ordered.Any(f => f.Severity == Severity.Warning) ? Probes.Diagnosis.Verdict.Warn
            : Probes.Diagnosis.Verdict.Ok;

        var layers = report.Layers.Where(l => l.Layer != Layer.Browser).ToList();
        var previous = report.Layers.FirstOrDefault(l => l.Layer == Layer.Browser);
        var browserFindings = ordered.Where(f => f.Layer == Layer.Browser).ToArray();
        var status = browserFindings.Any(f => f.Severity == Severity.Error) ? LayerStatus.Failed
            : browserFindings.Any(f => f.Severity == Severity.Warning) ? LayerStatus.Warning
            : LayerStatus.Passed;
        var summary = Text.Join("; ", observations.Select(o => Text.Untranslated(Summary(o))).Prepend(previous?.Summary ?? Text.Empty).Where(s => s.En.Length > 0));
        layers.Add(new LayerReport(Layer.Browser, status, observations.Sum(o => o.TotalMs ?? 0), summary));

        return report with
        {
            Findings = ordered,
            RootCause = rootCause,
            Verdict = verdict,
            Layers = layers,
            Browsers = [.. report.Browsers, .. observations],
        };
    }

    public static string Summary(BrowserObservation o) => $"{o.Version}: {o.OutcomeText}";

    private static Finding VerdictFinding(BrowserObservation o)
    {
        var name = o.DisplayName;
        var evidence = new List<string>
        {
            o.UsersBrowser
                ? $"{o.Version}, your own browser, opened the probe page at {o.PageOrigin}, which ran new WebSocket('{o.Url}')"
                : $"{o.Version}, headless, throwaway profile; page at {o.PageOrigin} ran new WebSocket('{o.Url}')",
            $"result: {o.OutcomeText}" + (o.ElapsedMs is { } ms ? $" after {ms.ToString("0", CultureInfo.InvariantCulture)} ms" : ""),
        };
        if (o.CloseCode is { } code)
        {
            evidence.Add($"close event: code {code}{(string.IsNullOrEmpty(o.CloseReason) ? "" : $" reason '{o.CloseReason}'")}, wasClean {o.WasClean?.ToString().ToLowerInvariant()}");
        }

        if (o.RequestHeaders is { } request)
        {
            evidence.Add("request as the browser sent it: " + string.Join(", ", request.Where(h => h.Key is "Origin" or "User-Agent" or "Sec-WebSocket-Protocol" or "Sec-WebSocket-Extensions" or "Cookie" or "Host").Select(h => $"{h.Key}: {h.Value}")));
        }

        if (o.ResponseStatus is { } status)
        {
            evidence.Add($"response as the browser saw it: {status}" + (o.ResponseHeaders is { } response && response.TryGetValue("Server", out var server) ? $" (Server: {server})" : ""));
        }

        foreach (var line in o.Console.Take(6))
        {
            evidence.Add($"console: {line}");
        }

        if (o.Comparison is { } comparison)
        {
            evidence.Add(comparison);
        }

        var opened = o.Outcome == BrowserOutcome.Opened;
        var message = opened
            ? $"{name} opened the WebSocket from {o.PageOrigin}" + (o.Agrees == false ? " (wsdoctor disagrees: see why)" : "")
            : o.Outcome == BrowserOutcome.NotRun ? $"{name} could not run the page: {o.Error}"
            : $"{name} could not open the WebSocket from {o.PageOrigin}: {o.Error ?? "close " + o.CloseCode}";
        var fix = opened
            ? o.Agrees == false ? o.Comparison! : "Nothing to fix for this browser."
            : o.Agrees == true ? "Fix the finding the browser's error matches (above); the browser's own text confirms it."
            : o.Comparison ?? "Fix the browser's error shown in the evidence.";
        return Finding.Create(Codes.BrowserVerdict, message, evidence, fix,
            new Dictionary<string, object?>
            {
                ["browser"] = o.Browser,
                ["version"] = o.Version,
                ["outcome"] = o.Outcome.ToString().ToLowerInvariant(),
                ["error"] = o.Error,
                ["closeCode"] = o.CloseCode,
                ["wasClean"] = o.WasClean,
                ["agrees"] = o.Agrees,
            },
            opened ? Severity.Info : o.Outcome == BrowserOutcome.NotRun ? Severity.Warning : Severity.Error);
    }
}
