using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class ObservabilityTests
{
    [Fact]
    public async Task Metrics_AfterTraffic_CountsConnectionsMessagesBytesRejectsCloses()
    {
        await using var server = await TestServer.StartAsync(new() { Token = "t" });
        using (var client = await server.ConnectAsync(o => o.SetRequestHeader("Authorization", "Bearer t")))
        {
            await client.SendTextAsync("12345");
            await client.ReceiveTextAsync();
            await client.SendAsync(new byte[10], WebSocketMessageType.Binary);
            await client.ReceiveMessageAsync();
            await client.CloseAsync((WebSocketCloseStatus)4000, "");
        }

        await server.CloseLineAsync();
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync());
        using var open = await server.ConnectAsync(o => o.SetRequestHeader("Authorization", "Bearer t"));
        using var http = new HttpClient { Timeout = TestServer.Wait };

        // The client has its 101 a moment before serve counts the connection as open: read until it has.
        var metrics = await http.GetStringAsync(server.Http("/metrics"));
        for (var i = 0; i < 50 && !metrics.Contains("wsdoctor_connections_current 1\n", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            metrics = await http.GetStringAsync(server.Http("/metrics"));
        }

        Assert.Contains("wsdoctor_connections_current 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_connections_total 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_messages_total{direction=\"in\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_messages_total{direction=\"out\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_bytes_total{direction=\"in\"} 15\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_bytes_total{direction=\"out\"} 15\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_rejects_total{reason=\"auth\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_closes_total{code=\"4000\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("wsdoctor_dead_peers_total 0\n", metrics, StringComparison.Ordinal);

        using var health = JsonDocument.Parse(await http.GetStringAsync(server.Http("/healthz")));
        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, health.RootElement.GetProperty("connections").GetInt32());
    }

    [Fact]
    public async Task MetricsListen_ServedThere_NotOnTheWebSocketListener()
    {
        await using var server = await TestServer.StartAsync(new() { MetricsListen = new ListenEndpoint(IPAddress.Loopback, 0) });
        using var http = new HttpClient { Timeout = TestServer.Wait };
        var metricsUrl = server.Server.MetricsUrl!;
        Assert.NotEqual(server.Url.Port, metricsUrl.Port);

        Assert.Contains("wsdoctor_connections_total", await http.GetStringAsync(new Uri(metricsUrl, "/metrics")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(metricsUrl, "/healthz"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(server.Http("/metrics"))).StatusCode);
        var listen = server.Log.Lines.Single(l => ServeProcess.Field(l, "kind") == "metrics");
        Assert.Equal(new Uri(metricsUrl, "/metrics").ToString(), ServeProcess.Field(listen, "url"));
    }

    [Fact]
    public async Task Log_TextLines_AcceptRejectCloseFields()
    {
        await using var server = await TestServer.StartAsync(new() { Subprotocols = ["chat"] });
        using (var client = await server.ConnectAsync(o =>
        {
            o.AddSubProtocol("chat");
            o.SetRequestHeader("User-Agent", "test agent/1.0");
            o.SetRequestHeader("Origin", $"http://{server.Url.Authority}");
        }))
        {
            await client.SendTextAsync("abc");
            await client.ReceiveTextAsync();
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
        }

        var accept = await server.LineAsync("accept");
        Assert.Matches(@"^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z event=accept ", accept);
        Assert.Equal("1", ServeProcess.Field(accept, "conn"));
        Assert.StartsWith("127.0.0.1:", ServeProcess.Field(accept, "remote"), StringComparison.Ordinal);
        Assert.Equal($"http://{server.Url.Authority}", ServeProcess.Field(accept, "origin"));
        Assert.Equal("/", ServeProcess.Field(accept, "path"));
        Assert.Equal("test agent/1.0", ServeProcess.Field(accept, "ua"));
        Assert.Equal("chat", ServeProcess.Field(accept, "subprotocol"));
        Assert.Contains("ua=\"test agent/1.0\"", accept, StringComparison.Ordinal);

        var close = await server.CloseLineAsync();
        Assert.Equal(("1000", "done", "client"), (ServeProcess.Field(close, "code"), ServeProcess.Field(close, "reason"), ServeProcess.Field(close, "by")));
        Assert.Equal(("1", "3", "1", "3"), (ServeProcess.Field(close, "in_msgs"), ServeProcess.Field(close, "in_bytes"), ServeProcess.Field(close, "out_msgs"), ServeProcess.Field(close, "out_bytes")));
        Assert.True(long.TryParse(ServeProcess.Field(close, "duration_ms"), out _));
    }

    [Fact]
    public async Task Log_Json_EveryLineParses_WithSameKeys()
    {
        await using var server = await TestServer.StartAsync(new() { LogFormat = LogFormat.Json, AllowedOrigins = [] });
        using (var client = await server.ConnectAsync())
        {
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        }

        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(o => o.SetRequestHeader("Origin", "https://other.invalid")));
        await server.Log.WaitForAsync(l => l.Contains("\"event\":\"reject\"", StringComparison.Ordinal), TestServer.Wait, "json reject");
        await server.Log.WaitForAsync(l => l.Contains("\"event\":\"close\"", StringComparison.Ordinal), TestServer.Wait, "json close");

        var events = server.Log.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var names = events.Select(e => e.GetProperty("event").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "listen", "ready", "accept", "close", "reject" }, names);
        var close = events.Single(e => e.GetProperty("event").GetString() == "close");
        Assert.Equal(1000, close.GetProperty("code").GetInt32());
        Assert.Equal("bye", close.GetProperty("reason").GetString());
        Assert.Equal("client", close.GetProperty("by").GetString());
        var reject = events.Single(e => e.GetProperty("event").GetString() == "reject");
        Assert.Equal("origin", reject.GetProperty("reason").GetString());
        Assert.True(events.All(e => e.TryGetProperty("ts", out _)));
    }
}
