using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wsdoctor.Watch.Scenarios;

namespace Wsdoctor.Watch.Output;

/// <summary>watch --scenario: one line per run (text or JSON), and the summary.</summary>
public static class ScenarioWatchJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Line(ScenarioRunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var steps = string.Join(", ", e.Steps.Select(s => $"{s.Label} {s.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms"));
        var t = e.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return e.Passed
            ? $"  +{t}s  run {e.Run} {e.Scenario}: passed in {e.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms ({steps})"
            : $"  +{t}s  run {e.Run} {e.Scenario}: FAILED at \"{e.FailedStep}\": {e.Code}: {e.Message}";
    }

    public static string Run(ScenarioRunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Write(w =>
        {
            w.WriteString("ts", e.At.ToString("O", CultureInfo.InvariantCulture));
            w.WriteNumber("t", Math.Round(e.Elapsed.TotalSeconds, 3));
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
        return Write(w =>
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
                w.WriteNumber(cause, count);
            }

            w.WriteEndObject();
        });
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Compact))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
