using System.Collections;
using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab;

/// <summary>Key-evidence checks for scenarios: each returns null when the report has it, or says what is missing.</summary>
public static class Expect
{
    public static Func<CheckReport, Text?> Nothing => _ => null;

    public static Func<CheckReport, Text?> DataEquals(string code, string key, object expected) => report =>
    {
        var value = LabRunner.Data(report, code, key);
        return Equals(Normalize(value), Normalize(expected)) ? null : T($"{code}.{key}: expected '{expected}', got '{Show(value)}'", $"{code}.{key}：预期为 '{expected}'，实际为 '{Show(value)}'");
    };

    public static Func<CheckReport, Text?> DataContains(string code, string key, object expected) => report =>
    {
        var value = LabRunner.Data(report, code, key);
        var items = value is IEnumerable e and not string ? e.Cast<object?>().Select(Normalize) : [Normalize(value)];
        return items.Contains(Normalize(expected)) ? null : T($"{code}.{key}: expected to contain '{expected}', got '{Show(value)}'", $"{code}.{key}：预期包含 '{expected}'，实际为 '{Show(value)}'");
    };

    public static Func<CheckReport, Text?> DataBetween(string code, string key, double min, double max) => report =>
    {
        var value = LabRunner.Data(report, code, key);
        return value is IConvertible c && c.ToDouble(CultureInfo.InvariantCulture) is var d && d >= min && d <= max
            ? null
            : T($"{code}.{key}: expected {min}..{max}, got '{Show(value)}'", $"{code}.{key}：预期在 {min}..{max} 之间，实际为 '{Show(value)}'");
    };

    /// <summary>Some evidence line or the message of the finding contains the text.</summary>
    public static Func<CheckReport, Text?> Mentions(string code, string text) => report =>
    {
        var finding = report.Findings.FirstOrDefault(f => f.Code == code);
        return finding is not null && (finding.Message.En.Contains(text, StringComparison.Ordinal) || finding.Evidence.Any(l => l.En.Contains(text, StringComparison.Ordinal)))
            ? null
            : T($"{code}: expected the evidence to mention '{text}'", $"{code}：预期证据中提到 '{text}'");
    };

    /// <summary>The fix of the finding contains the text (the exact URL, subprotocol or library to use).</summary>
    public static Func<CheckReport, Text?> FixContains(string code, string text) => report =>
        report.Findings.FirstOrDefault(f => f.Code == code) is { } finding && finding.Fix.En.Contains(text, StringComparison.Ordinal)
            ? null
            : T($"{code}: expected the fix to contain '{text}'", $"{code}：预期修复方法中包含 '{text}'");

    /// <summary>Nothing in the whole report contains the text (secrets must stay redacted).</summary>
    public static Func<CheckReport, Text?> NowhereIn(string text) => report =>
    {
        var all = string.Join("\n", report.Findings.SelectMany(f => f.Evidence.Append(f.Message).Append(f.Fix)))
            + report.Target + report.Connection.RequestHead + string.Join("\n", report.Layers.Select(l => l.Summary));
        return all.Contains(text, StringComparison.Ordinal) ? T($"the secret '{text}' appears in the report", $"报告中出现了机密 '{text}'") : null;
    };

    public static Func<CheckReport, Text?> ListenerListed(int port) => report =>
    {
        var listed = LabRunner.Data(report, "tcp.refused", "listeningPorts") as IEnumerable;
        var ports = listed?.Cast<object>().OfType<IDictionary<string, object?>>().Select(d => d["port"]).ToArray() ?? [];
        return ports.Any(p => Equals(p, port)) ? null : T($"tcp.refused: listening port {port} not listed (listed: {string.Join(", ", ports)})", $"tcp.refused：没有列出正在监听的端口 {port}（列出的是：{string.Join(", ", ports)}）");
    };

    public static Func<CheckReport, Text?> All(params Func<CheckReport, Text?>[] checks) =>
        report => checks.Select(c => c(report)).FirstOrDefault(r => r is not null);

    private static object? Normalize(object? value) => value switch
    {
        int or long or double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUnixTimeSeconds(),
        _ => value,
    };

    private static string Show(object? value) => value switch
    {
        null => "-",
        IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>()) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
