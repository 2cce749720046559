using Wsdoctor.Interop.Tests.Drivers;
using Wsdoctor.Lab.Servers;

namespace Wsdoctor.Interop.Tests.AppProtocols;

/// <summary>`wsdoctor check` against real application-protocol servers, each reached the wrong way (plain client, wrong
/// path, wrong or missing subprotocol, the other GraphQL protocol) and the right way.</summary>
public sealed class CheckAppProtocolTests
{
    [SkippableFact]
    public async Task SocketIo_AtTheRootPath_IsRecognisedByThePollingHandshake()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/");

        Assert.True(report.RootCause() == "app.socketio", run.ToString());
        var finding = report.Finding("app.socketio")!;
        Assert.Equal("polling-handshake", finding["data"]!["confirmedBy"]!.GetValue<string>());
        Assert.Equal(4, finding["data"]!["engineIo"]!.GetValue<int>());
        Assert.Contains("GET /socket.io/?EIO=4&transport=polling -> 200 OK, 0{\"sid\":", finding.Evidence(), StringComparison.Ordinal);
        var fix = finding["fix"]!.GetValue<string>();
        Assert.Contains("socket.io-client", fix, StringComparison.Ordinal);
        Assert.Contains($"{server.Base}/socket.io/?EIO=4&transport=websocket", fix, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SocketIo_WithoutTransportWebsocket_ExplainsTransportUnknown()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/socket.io/");

        Assert.True(report.RootCause() == "app.socketio", run.ToString());
        Assert.Contains("\"Transport unknown\" is Engine.IO's error 0", report.Finding("app.socketio")!.Evidence(), StringComparison.Ordinal);
        Assert.Equal("failed", report.Layer("http"));
    }

    [SkippableFact]
    public async Task SocketIo_ReachedTheRightWay_IsInformational()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/socket.io/?EIO=4&transport=websocket");

        Assert.True(report["verdict"]!.GetValue<string>() != "fail", run.ToString());
        var finding = report.Finding("app.socketio")!;
        Assert.Equal("info", finding["severity"]!.GetValue<string>());
        Assert.Equal("open-packet", finding["data"]!["confirmedBy"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task GraphqlWs_WithoutASubprotocol_NamesGraphqlTransportWs()
    {
        await using var server = await AppServer.StartAsync("graphql-server.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/graphql");

        Assert.True(report.RootCause() == "app.graphql", run.ToString());
        var finding = report.Finding("app.graphql")!;
        Assert.Equal(["graphql-transport-ws"], finding["data"]!["serverSubprotocols"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("4406", finding.Evidence(), StringComparison.Ordinal);
        Assert.Contains("createClient", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GraphqlWs_OfferedTheLegacySubprotocol_SaysWhichProtocolEachSideSpeaks()
    {
        await using var server = await AppServer.StartAsync("graphql-server.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/graphql", "-s", "graphql-ws");

        Assert.True(report.RootCause() == "app.graphql", run.ToString());
        Assert.Equal("the client speaks the legacy graphql-ws protocol (subscriptions-transport-ws), the server speaks graphql-transport-ws (the graphql-ws library)",
            report.Finding("app.graphql")!["message"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task SubscriptionsTransportWs_OfferedTheNewSubprotocol_PointsAtTheLegacyOne()
    {
        await using var server = await AppServer.StartAsync("graphql-server.js", "--protocol", "legacy");

        var (report, run) = await Check.RunAsync($"{server.Base}/graphql", "-s", "graphql-transport-ws");

        Assert.True(report.RootCause() == "app.graphql", run.ToString());
        var finding = report.Finding("app.graphql")!;
        Assert.Equal(["graphql-ws"], finding["data"]!["serverSubprotocols"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("legacy protocol: offer graphql-ws", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("new", "graphql-transport-ws")]
    [InlineData("legacy", "graphql-ws")]
    public async Task Graphql_ReachedTheRightWay_IsInformational(string protocol, string subprotocol)
    {
        await using var server = await AppServer.StartAsync("graphql-server.js", "--protocol", protocol);

        var (report, run) = await Check.RunAsync($"{server.Base}/graphql", "-s", subprotocol);

        Assert.True(report["verdict"]!.GetValue<string>() == "ok", run.ToString());
        Assert.Equal("info", report.Finding("app.graphql")!["severity"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Mqtt_PlainClient_IsToldToUseAnMqttClientWithTheSubprotocol()
    {
        await using var server = await AppServer.StartAsync("mqtt-broker.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/mqtt", "--send", "hello");

        Assert.True(report.RootCause() == "app.mqtt", run.ToString());
        var finding = report.Finding("app.mqtt")!;
        Assert.Equal(0, finding["data"]!["connAckCode"]!.GetValue<int>());
        Assert.Equal("mqtt", finding["data"]!["subprotocol"]!.GetValue<string>());
        Assert.Contains("mqtt.connect(\"" + server.Base + "/mqtt\")", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Mqtt_WithTheSubprotocol_IsInformational()
    {
        await using var server = await AppServer.StartAsync("mqtt-broker.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/mqtt", "-s", "mqtt");

        Assert.True(report["verdict"]!.GetValue<string>() == "ok", run.ToString());
        Assert.Equal("info", report.Finding("app.mqtt")!["severity"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Stomp_PlainMessage_GetsTheErrorFrameExplained()
    {
        await using var server = await AppServer.StartAsync("stomp-broker.js");

        var (report, run) = await Check.RunAsync($"{server.Base}/stomp", "--send", "hello");

        Assert.True(report.RootCause() == "app.stomp", run.ToString());
        var finding = report.Finding("app.stomp")!;
        Assert.Equal("1.2", finding["data"]!["stompVersion"]!.GetValue<string>());
        Assert.Contains("STOMP ERROR frame", finding.Evidence(), StringComparison.Ordinal);
        Assert.Contains("v12.stomp", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SignalR_PlainClient_IsRecognisedByNegotiate()
    {
        await using var hub = await SignalRChat.StartAsync();
        var url = $"ws://127.0.0.1:{hub.Port}{SignalRChat.HubPath}";

        var (report, run) = await Check.RunAsync(url, "--send", "hello");

        Assert.True(report.RootCause() == "app.signalr", run.ToString());
        var finding = report.Finding("app.signalr")!;
        Assert.Contains("WebSockets", finding["data"]!["transports"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("@microsoft/signalr", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"withUrl(\"http://127.0.0.1:{hub.Port}{SignalRChat.HubPath}\")", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SignalR_TheNegotiateUrl_IsNotAWebSocketUrl()
    {
        await using var hub = await SignalRChat.StartAsync();

        var (report, run) = await Check.RunAsync($"ws://127.0.0.1:{hub.Port}{SignalRChat.HubPath}/negotiate");

        Assert.True(report.RootCause() == "app.signalr", run.ToString());
        Assert.Contains("negotiate endpoint", report.Finding("app.signalr")!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PlainEchoServer_GetsNoAppFinding()
    {
        // False positives are worse than misses: a healthy plain server must not be taken for any protocol.
        await using var serve = await Serve.StartAsync(Transport.Ws);

        var (report, run) = await Check.RunAsync(serve.Url.ToString(), "--send", "hello", "--expect", "hello");

        Assert.True(report["verdict"]!.GetValue<string>() == "ok", run.ToString());
        Assert.Empty(report.AppCodes());
        Assert.Equal("skipped", report.Layer("app"));
    }
}
