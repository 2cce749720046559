using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

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
        var summary = Text.Join(T("; ", "；"), observations.Select(Summary).Prepend(previous?.Summary ?? Text.Empty).Where(s => s.En.Length > 0));
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

    public static Text Summary(BrowserObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return T($"{o.Version}: {o.OutcomeText}", $"{o.Version}：{o.OutcomeText}");
    }

    private static Finding VerdictFinding(BrowserObservation o)
    {
        var name = o.DisplayLabel;
        var elapsed = o.ElapsedMs is { } ms ? ms.ToString("0", CultureInfo.InvariantCulture) : null;
        var evidence = new List<Text>
        {
            o.UsersBrowser
                ? T($"{o.Version}, your own browser, opened the probe page at {o.PageOrigin}, which ran new WebSocket('{o.Url}')", $"{o.Version}（你自己的浏览器）打开了 {o.PageOrigin} 上的探测页面，页面调用了 new WebSocket('{o.Url}')")
                : T($"{o.Version}, headless, throwaway profile; page at {o.PageOrigin} ran new WebSocket('{o.Url}')", $"{o.Version}，headless 模式，一次性配置文件；{o.PageOrigin} 上的页面调用了 new WebSocket('{o.Url}')"),
            elapsed is null
                ? T($"result: {o.OutcomeText}", $"结果：{o.OutcomeText}")
                : T($"result: {o.OutcomeText} after {elapsed} ms", $"结果（耗时 {elapsed} ms）：{o.OutcomeText}"),
        };
        if (o.CloseCode is { } code)
        {
            var reason = string.IsNullOrEmpty(o.CloseReason) ? "" : $" reason '{o.CloseReason}'";
            var reasonZh = string.IsNullOrEmpty(o.CloseReason) ? "" : $"，原因 '{o.CloseReason}'";
            var wasClean = o.WasClean?.ToString().ToLowerInvariant();
            evidence.Add(T($"close event: code {code}{reason}, wasClean {wasClean}", $"close 事件：关闭码 {code}{reasonZh}，wasClean {wasClean}"));
        }

        if (o.RequestHeaders is { } request)
        {
            var headers = string.Join(", ", request.Where(h => h.Key is "Origin" or "User-Agent" or "Sec-WebSocket-Protocol" or "Sec-WebSocket-Extensions" or "Cookie" or "Host").Select(h => $"{h.Key}: {h.Value}"));
            evidence.Add(T($"request as the browser sent it: {headers}", $"浏览器实际发送的请求：{headers}"));
        }

        if (o.ResponseStatus is { } status)
        {
            var serverHeader = o.ResponseHeaders is { } response && response.TryGetValue("Server", out var value) ? value : null;
            var server = serverHeader is null ? "" : $" (Server: {serverHeader})";
            var serverZh = serverHeader is null ? "" : $"（Server: {serverHeader}）";
            evidence.Add(T($"response as the browser saw it: {status}{server}", $"浏览器看到的响应：{status}{serverZh}"));
        }

        foreach (var line in o.Console.Take(6))
        {
            evidence.Add(T($"console: {line}", $"控制台：{line}"));
        }

        if (o.Comparison is { } comparison)
        {
            evidence.Add(comparison);
        }

        var opened = o.Outcome == BrowserOutcome.Opened;
        var message = opened
            ? o.Agrees == false
                ? T($"{name} opened the WebSocket from {o.PageOrigin} (wsdoctor disagrees: see why)", $"{name} 从 {o.PageOrigin} 打开了 WebSocket（wsdoctor 的结论不同：原因见下）")
                : T($"{name} opened the WebSocket from {o.PageOrigin}", $"{name} 从 {o.PageOrigin} 打开了 WebSocket")
            : o.Outcome == BrowserOutcome.NotRun ? T($"{name} could not run the page: {o.Error}", $"{name} 无法运行页面：{o.ErrorShown}")
            : o.Error is null
                ? T($"{name} could not open the WebSocket from {o.PageOrigin}: close {o.CloseCode}", $"{name} 无法从 {o.PageOrigin} 打开 WebSocket：关闭码 {o.CloseCode}")
                : T($"{name} could not open the WebSocket from {o.PageOrigin}: {o.Error}", $"{name} 无法从 {o.PageOrigin} 打开 WebSocket：{o.ErrorShown}");
        var fix = opened
            ? o.Agrees == false ? o.Comparison! : T("Nothing to fix for this browser.", "这个浏览器没有需要修复的问题。")
            : o.Agrees == true ? T("Fix the finding the browser's error matches (above); the browser's own text confirms it.", "按上文中与浏览器报错相符的诊断结果修复；浏览器自己的报错也印证了它。")
            : o.Comparison ?? T("Fix the browser's error shown in the evidence.", "修复证据中显示的浏览器报错。");
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
