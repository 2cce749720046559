using System.Globalization;
using System.Text;
using System.Xml;
using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor test --format junit</c>: the JUnit XML that CI systems (GitHub Actions reporters, GitLab,
/// Jenkins, Azure Pipelines) read — one testsuite per file, one testcase per scenario, a failure element with the
/// failing step, and the step list as system-out.</summary>
public static class ScenarioJunitReport
{
    public static string Render(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(new StringWriterUtf8(text), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", "wsdoctor test");
            writer.WriteAttributeString("tests", Count(results.Count));
            writer.WriteAttributeString("failures", Count(results.Count(r => !r.Passed)));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("time", Seconds(elapsed));
            writer.WriteAttributeString("timestamp", startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var file in results.GroupBy(r => r.Mark.File))
            {
                writer.WriteStartElement("testsuite");
                writer.WriteAttributeString("name", Clean(file.Key));
                writer.WriteAttributeString("tests", Count(file.Count()));
                writer.WriteAttributeString("failures", Count(file.Count(r => !r.Passed)));
                writer.WriteAttributeString("errors", "0");
                writer.WriteAttributeString("skipped", "0");
                writer.WriteAttributeString("time", Seconds(TimeSpan.FromTicks(file.Sum(r => r.Duration.Ticks))));
                writer.WriteAttributeString("timestamp", startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                foreach (var result in file)
                {
                    WriteCase(writer, result);
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return text.ToString();
    }

    private static void WriteCase(XmlWriter writer, ScenarioResult result)
    {
        writer.WriteStartElement("testcase");
        writer.WriteAttributeString("name", Clean(result.Name));
        writer.WriteAttributeString("classname", Clean(result.Mark.File));
        writer.WriteAttributeString("file", Clean(result.Mark.File));
        writer.WriteAttributeString("line", Count(result.Mark.Line));
        writer.WriteAttributeString("time", Seconds(result.Duration));
        if (result.FailedStep is { Failure: { } failure } step)
        {
            writer.WriteStartElement("failure");
            writer.WriteAttributeString("message", Clean($"{step.Label} ({step.Mark}): {failure.Message}"));
            writer.WriteAttributeString("type", failure.Kind.ToString());
            writer.WriteString(Clean(FailureText(result, step, failure)));
            writer.WriteEndElement();
        }

        writer.WriteStartElement("system-out");
        writer.WriteString(Clean(string.Join('\n', result.Steps.Select(StepLine))));
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static string FailureText(ScenarioResult result, StepResult step, StepFailure failure)
    {
        var lines = new List<string> { $"step: {step.Label}", $"at: {step.Mark}", failure.Message };
        if (failure.Expected is { } expected)
        {
            lines.Add($"expected: {expected}");
        }

        if (failure.Actual is { } actual)
        {
            lines.Add($"arrived: {actual}");
        }

        lines.AddRange(failure.Differences.Select(d => $"  - {d}"));
        lines.AddRange(failure.Skipped.Select(s => $"skipped: {s}"));
        lines.AddRange(failure.CloseLines);
        if (result.Diagnosis is { } diagnosis)
        {
            lines.Add($"diagnosis: {diagnosis.Verdict}");
            if (diagnosis.RootCause is { } root)
            {
                lines.Add($"root cause: {root.Code}: {root.Message}");
                lines.AddRange(root.Evidence.Select(e => $"evidence: {e}"));
                lines.Add($"fix: {root.Fix}");
                lines.Add($"more: wsdoctor explain {root.Code}");
            }
        }

        return string.Join('\n', lines);
    }

    private static string StepLine(StepResult step)
    {
        var mark = step.Status switch { StepStatus.Passed => "ok  ", StepStatus.Failed => "FAIL", _ => "--  " };
        var time = step.Status == StepStatus.NotRun ? "not run" : $"{step.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";
        return $"{mark} {new string(' ', step.Depth * 2)}{step.Label} ({time}){(step.Detail is { } d ? $" {d}" : "")}";
    }

    /// <summary>XML 1.0 cannot carry most control characters, even escaped; a server's message may hold them.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }

        return builder.ToString();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class StringWriterUtf8(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
