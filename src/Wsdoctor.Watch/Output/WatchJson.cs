using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Output;

/// <summary>watch --jsonl: one object per event (<c>{"ts":…,"t":seconds since start,"event":"open"|"drop"|…}</c>), and
/// the summary as the last line (<c>"event":"summary"</c>). Field names are documented in the README.</summary>
public static class WatchJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Event(WatchEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Write(w =>
        {
            WriteClock(w, e.At, e.Elapsed);
            switch (e)
            {
                case OpenedEvent o:
                    w.WriteString("event", "open");
                    w.WriteNumber("connection", o.Connection);
                    w.WriteNumber("openMs", Math.Round(o.OpenMs, 1));
                    w.WriteString("remote", o.Remote);
                    WriteOptional(w, "tls", o.Tls);
                    WriteOptional(w, "intermediary", o.Intermediary);
                    if (o.ReconnectMs is { } reconnect)
                    {
                        w.WriteNumber("reconnectMs", Math.Round(reconnect, 1));
                    }

                    break;
                case CertificateChangedEvent c:
                    w.WriteString("event", "certificate-changed");
                    WriteChange(w, c.Change);
                    break;
                case RttEvent r:
                    w.WriteString("event", "pong");
                    w.WriteNumber("rttMs", Math.Round(r.RttMs, 3));
                    break;
                case MessageWatchEvent m:
                    w.WriteString("event", "message");
                    w.WriteString("dir", m.Incoming ? "in" : "out");
                    w.WriteNumber("size", m.Size);
                    WriteOptional(w, "text", m.Text);
                    break;
                case DropEvent d:
                    w.WriteString("event", "drop");
                    WriteDrop(w, d.Drop);
                    break;
                case OpenFailedEvent f:
                    w.WriteString("event", "open-failed");
                    w.WriteNumber("attempt", f.Attempt);
                    w.WriteString("code", f.Code);
                    WriteOptional(w, "detail", f.Detail);
                    w.WriteString("message", f.Message.En);
                    if (f.NextDelay is { } next)
                    {
                        w.WriteNumber("retryInMs", Math.Round(next.TotalMilliseconds));
                    }

                    break;
                case EndedEvent end:
                    w.WriteString("event", "end");
                    w.WriteString("reason", end.Reason);
                    break;
            }
        });
    }

    private static void WriteChange(Utf8JsonWriter w, CertificateChange c)
    {
        w.WriteString("code", c.Code);
        w.WriteNumber("connection", c.Connection);
        w.WriteString("kind", CertificateChanges.Kind(c.Kind));
        WriteOptional(w, "subject", c.Subject);
        w.WriteString("previousSha256", c.Previous);
        w.WriteString("sha256", c.Current);
        WriteOptional(w, "previousNotAfter", c.PreviousNotAfter?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        WriteOptional(w, "notAfter", c.CurrentNotAfter?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        WriteOptional(w, "afterDrop", c.AfterDrop);
    }

    public static string Summary(WatchSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Write(w =>
        {
            w.WriteString("event", "summary");
            w.WriteString("startedAt", s.StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("durationSeconds", Math.Round(s.Duration.TotalSeconds, 3));
            w.WriteNumber("connectedSeconds", Math.Round(s.Connected.TotalSeconds, 3));
            w.WriteNumber("uptimePercent", Math.Round(s.UptimePercent, 2));
            w.WriteString("endReason", s.EndReason);
            w.WriteNumber("connections", s.Connections);
            w.WriteNumber("drops", s.DropCount);
            WriteOptional(w, "intermediary", s.Intermediary);
            w.WriteStartObject("dropsByCause");
            foreach (var (cause, count) in s.DropsByCause)
            {
                w.WriteNumber(cause, count);
            }

            w.WriteEndObject();
            w.WriteStartArray("timeToDropSeconds");
            foreach (var d in s.Drops)
            {
                w.WriteNumberValue(Math.Round(d.AgeSeconds, 3));
            }

            w.WriteEndArray();
            w.WriteStartObject("openFailures");
            foreach (var (cause, count) in s.OpenFailures)
            {
                w.WriteNumber(cause, count);
            }

            w.WriteEndObject();
            w.WriteNumber("certificateChanges", s.CertificateChangeCount);
            w.WriteStartArray("certificates");
            foreach (var change in s.CertificateChanges)
            {
                w.WriteStartObject();
                WriteChange(w, change);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteSpread(w, "rttMs", s.Rtt);
            WriteSpread(w, "reconnectMs", s.Reconnect);
            w.WriteStartArray("findings");
            foreach (var f in s.Findings)
            {
                WriteFinding(w, f);
            }

            w.WriteEndArray();
            if (s.Diagnosis is { } report)
            {
                w.WriteStartObject("diagnosis");
                w.WriteString("verdict", report.Verdict.ToString().ToLowerInvariant());
                if (report.RootCause is { } root)
                {
                    w.WriteString("rootCause", root.Code);
                    w.WriteString("message", root.Message);
                    w.WriteString("fix", root.Fix);
                }

                w.WriteEndObject();
            }
        });
    }

    private static void WriteDrop(Utf8JsonWriter w, Drop d)
    {
        w.WriteNumber("connection", d.Connection);
        w.WriteString("code", d.Code);
        w.WriteString("how", d.Kind switch { DropKind.Close => "close", DropKind.Reset => "rst", DropKind.NoPong => "no-pong", _ => "fin" });
        if (d.CloseCode is { } code)
        {
            w.WriteNumber("closeCode", code);
        }

        if (d.Kind == DropKind.Close)
        {
            w.WriteString("reason", d.CloseReason);
        }

        w.WriteNumber("ageSeconds", Math.Round(d.AgeSeconds, 3));
        w.WriteNumber("silentSeconds", Math.Round(d.SilentSeconds, 3));
        w.WriteNumber("pingsSent", d.PingsSent);
        w.WriteNumber("pongs", d.Pongs);
        w.WriteNumber("messagesIn", d.MessagesIn);
        w.WriteNumber("messagesOut", d.MessagesOut);
        if (d.Message.Length > 0)
        {
            w.WriteString("message", d.Message);
        }
    }

    internal static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString("code", f.Code);
        w.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
        w.WriteString("message", f.Message);
        w.WriteStartArray("evidence");
        foreach (var line in f.Evidence)
        {
            w.WriteStringValue(line);
        }

        w.WriteEndArray();
        w.WriteString("fix", f.Fix);
        w.WriteStartObject("data");
        foreach (var (key, value) in f.Data)
        {
            switch (value)
            {
                case null:
                    w.WriteNull(key);
                    break;
                case int i:
                    w.WriteNumber(key, i);
                    break;
                case double d:
                    w.WriteNumber(key, d);
                    break;
                case bool b:
                    w.WriteBoolean(key, b);
                    break;
                default:
                    w.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteSpread(Utf8JsonWriter w, string name, Spread s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", s.Count);
        if (s.Count > 0)
        {
            w.WriteNumber("p50", Math.Round(s.P50, 3));
            w.WriteNumber("p90", Math.Round(s.P90, 3));
            w.WriteNumber("p99", Math.Round(s.P99, 3));
            w.WriteNumber("max", Math.Round(s.Max, 3));
        }

        w.WriteEndObject();
    }

    /// <summary>Every line's first two fields: wall-clock time and seconds since the watch started.</summary>
    internal static void WriteClock(Utf8JsonWriter w, DateTimeOffset at, TimeSpan elapsed)
    {
        w.WriteString("ts", at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber("t", Math.Round(elapsed.TotalSeconds, 3));
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>One compact JSON object (a JSONL line) written by <paramref name="body"/>; shared with watch --scenario.</summary>
    internal static string Write(Action<Utf8JsonWriter> body)
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
