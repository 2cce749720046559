using System.Net;
using System.Net.WebSockets;
using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

/// <summary>The real server (Kestrel, real sockets) in the test process on 127.0.0.1:0, its log lines awaitable.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private TestServer(WsServer server, LineLog log)
    {
        Server = server;
        Log = log;
    }

    public WsServer Server { get; }

    public LineLog Log { get; }

    public Uri Url => Server.Urls[0];

    public Uri Http(string path) => new($"{(Url.Scheme == "wss" ? "https" : "http")}://{Url.Authority}{path}");

    public static async Task<TestServer> StartAsync(ServeOptions? options = null)
    {
        var log = new LineLog();
        options ??= new ServeOptions();
        if (options.Listen.Count == 1 && options.Listen[0].Port == 8080)
        {
            options = options with { Listen = [new ListenEndpoint(IPAddress.Loopback, 0)] };
        }

        var server = await WsServer.StartAsync(options, new EventLog(new LineWriter(log), options.LogFormat), CancellationToken.None);
        return new TestServer(server, log);
    }

    public async Task<ClientWebSocket> ConnectAsync(Action<ClientWebSocketOptions>? configure = null, Uri? url = null)
    {
        var client = new ClientWebSocket();
        configure?.Invoke(client.Options);
        using var cts = new CancellationTokenSource(Wait);
        await client.ConnectAsync(url ?? Url, cts.Token);
        return client;
    }

    /// <summary>The close line of one connection.</summary>
    public Task<string> CloseLineAsync(string conn = "1") =>
        Log.WaitForAsync(l => l.Contains(" event=close ", StringComparison.Ordinal) && ServeProcess.Field(l, "conn") == conn, Wait, $"close line of conn {conn}");

    public Task<string> LineAsync(string eventName) =>
        Log.WaitForAsync(l => l.Contains($" event={eventName}", StringComparison.Ordinal), Wait, $"event={eventName}");

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    private sealed class LineWriter(LineLog log) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value) => log.Add(value ?? "");
    }
}
