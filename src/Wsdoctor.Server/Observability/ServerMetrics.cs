using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wsdoctor.Server.Observability;

/// <summary>Counters behind /metrics and /healthz. Lock-free: many sessions update them at once.</summary>
public sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<string, long> rejects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> closes = new();
    private readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    private long current;
    private long total;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    private long deadPeers;

    public long CurrentConnections => Interlocked.Read(ref current);

    public long TotalConnections => Interlocked.Read(ref total);

    public long DeadPeers => Interlocked.Read(ref deadPeers);

    public void Opened()
    {
        Interlocked.Increment(ref current);
        Interlocked.Increment(ref total);
    }

    public void Closed(int code)
    {
        Interlocked.Decrement(ref current);
        closes.AddOrUpdate(code, 1, (_, n) => n + 1);
    }

    public void Received(long bytes)
    {
        Interlocked.Increment(ref messagesIn);
        Interlocked.Add(ref bytesIn, bytes);
    }

    public void Sent(long bytes)
    {
        Interlocked.Increment(ref messagesOut);
        Interlocked.Add(ref bytesOut, bytes);
    }

    public void Rejected(string reason) => rejects.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Reaped() => Interlocked.Increment(ref deadPeers);

    /// <summary>Prometheus text exposition format 0.0.4.</summary>
    public string RenderPrometheus()
    {
        var text = new StringBuilder();
        Gauge(text, "wsdoctor_connections_current", "Open WebSocket connections.", CurrentConnections);
        Counter(text, "wsdoctor_connections_total", "WebSocket connections accepted since start.", TotalConnections);
        Header(text, "wsdoctor_messages_total", "counter", "WebSocket messages received (in) and sent (out).");
        Line(text, "wsdoctor_messages_total{direction=\"in\"}", Interlocked.Read(ref messagesIn));
        Line(text, "wsdoctor_messages_total{direction=\"out\"}", Interlocked.Read(ref messagesOut));
        Header(text, "wsdoctor_bytes_total", "counter", "WebSocket payload bytes received (in) and sent (out).");
        Line(text, "wsdoctor_bytes_total{direction=\"in\"}", Interlocked.Read(ref bytesIn));
        Line(text, "wsdoctor_bytes_total{direction=\"out\"}", Interlocked.Read(ref bytesOut));
        Header(text, "wsdoctor_rejects_total", "counter", "Handshakes refused, by reason.");
        foreach (var (reason, n) in rejects.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            Line(text, $"wsdoctor_rejects_total{{reason=\"{reason}\"}}", n);
        }

        Header(text, "wsdoctor_closes_total", "counter", "Connections closed, by close code (1006: no close frame).");
        foreach (var (code, n) in closes.OrderBy(c => c.Key))
        {
            Line(text, $"wsdoctor_closes_total{{code=\"{code}\"}}", n);
        }

        Counter(text, "wsdoctor_dead_peers_total", "Peers closed because they missed a pong.", DeadPeers);
        return text.ToString();
    }

    public string RenderHealth() => new JsonObject
    {
        ["status"] = "ok",
        ["connections"] = CurrentConnections,
        ["connections_total"] = TotalConnections,
        ["uptime_seconds"] = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1),
    }.ToJsonString();

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, "gauge", help);
        Line(text, name, value);
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, "counter", help);
        Line(text, name, value);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string series, long value) =>
        text.Append(series).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
