using System.Globalization;
using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Scenarios;

namespace Wsdoctor.Watch.Output;

/// <summary>watch --scenario: one line per run (text or JSON), and the summary.</summary>
public static class ScenarioWatchJson
{
    /// <summary>The line of one run in the output language (step labels and codes as written).</summary>
    public static string Line(ScenarioRunEvent e, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(e);
        var steps = string.Join(language == UiLanguage.SimplifiedChinese ? "，" : ", ", e.Steps.Select(s => $"{s.Label} {s.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms"));
        var t = e.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var ms = e.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        var line = e.Passed
            ? Text.T($"run {e.Run} {e.Scenario}: passed in {ms} ms ({steps})", $"第 {e.Run} 次运行 {e.Scenario}：{ms} ms 内通过（{steps}）")
            : Text.T($"run {e.Run} {e.Scenario}: FAILED at \"{e.FailedStep}\": {e.Code}: {e.Message?.En}", $"第 {e.Run} 次运行 {e.Scenario}：在步骤 \"{e.FailedStep}\" 失败：{e.Code}：{e.Message?.Zh}");
        return $"  +{t}s  {line.In(language)}";
    }

    public static string Run(ScenarioRunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return WatchJson.Write(w =>
        {
            WatchJson.WriteClock(w, e.At, e.Elapsed);
            w.WriteString("event", "run");
            w.WriteNumber("run", e.Run);
            w.WriteString("scenario", e.Scenario);
            w.WriteBoolean("passed", e.Passed);
            w.WriteNumber("durationMs", Math.Round(e.Duration.TotalMilliseconds, 1));
            w.WriteStartArray("steps");
            foreach (var s in e.Steps)
            {
                w.WriteStartObject();
                w.WriteString("step", s.Label);
                w.WriteString("kind", s.Kind);
                w.WriteNumber("ms", Math.Round(s.Duration.TotalMilliseconds, 3));
                w.WriteBoolean("passed", s.Passed);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (!e.Passed)
            {
                w.WriteString("failedStep", e.FailedStep);
                w.WriteString("code", e.Code);
                w.WriteString("message", e.Message);
            }
        });
    }

    public static string Summary(ScenarioWatchSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return WatchJson.Write(w =>
        {
            w.WriteString("event", "summary");
            w.WriteNumber("durationSeconds", Math.Round(s.Duration.TotalSeconds, 3));
            w.WriteNumber("runs", s.Runs);
            w.WriteNumber("passed", s.Passed);
            w.WriteNumber("availabilityPercent", Math.Round(s.AvailabilityPercent, 2));
            w.WriteStartObject("stepsMs");
            foreach (var (step, spread) in s.StepMs)
            {
                w.WriteStartObject(step);
                w.WriteNumber("count", spread.Count);
                w.WriteNumber("p50", Math.Round(spread.P50, 3));
                w.WriteNumber("p90", Math.Round(spread.P90, 3));
                w.WriteNumber("max", Math.Round(spread.Max, 3));
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("failures");
            foreach (var (cause, count) in s.Failures)
            {
                w.WriteNumber(cause.En, count);
            }

            w.WriteEndObject();
            w.WriteStartArray("outages");
            foreach (var o in s.Outages)
            {
                w.WriteStartObject();
                w.WriteNumber("fromSeconds", Math.Round(o.From.TotalSeconds, 3));
                if (o.Until is { } until)
                {
                    w.WriteNumber("untilSeconds", Math.Round(until.TotalSeconds, 3));
                }

                w.WriteNumber("runs", o.Runs);
                w.WriteString("code", o.Code);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("findings");
            foreach (var f in s.Findings)
            {
                WatchJson.WriteFinding(w, f);
            }

            w.WriteEndArray();
        });
    }
}
