using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.AppProtocols;

/// <summary>`wsdoctor connect --protocol` talking to each real server in scripted mode (-x, -w): what it printed on
/// stdout is what the protocol carried, decoded; the servers' own logs confirm what arrived.</summary>
public sealed class ConnectProtocolTests
{
    [SkippableFact]
    public async Task SocketIo_EventsAndAcknowledgements()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        // The root URL: --protocol socketio adds /socket.io/?EIO=4&transport=websocket.
        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/", "--protocol", "socketio", "-x", "chat, \"hi\"", "-x", "add, 2, 3", "-w", "2s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("engine.io open: sid ", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.StartsWith("event welcome, {\"id\":", StringComparison.Ordinal));
        Assert.Contains("event chat, \"echo: hi\"", run.StdoutLines);
        Assert.Contains("ack 2: 5", run.StdoutLines);
        Assert.Contains($"connected to {server.Base}/socket.io/?EIO=4&transport=websocket", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SocketIo_IsSpokenWithoutAskingWhenTheUrlIsASocketIoUrl()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/socket.io/", "-x", "chat, plain words", "-w", "2s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("protocol:     Socket.IO (the URL is a Socket.IO endpoint; --protocol none for raw messages)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("event chat, \"echo: plain words\"", run.StdoutLines);
    }

    [SkippableFact]
    public async Task SocketIo_WithProtocolNone_ShowsTheRawOpenPacketAndAHint()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/socket.io/?EIO=4&transport=websocket", "--protocol", "none", "-w", "1s", "-x", "40");

        Assert.Contains(run.StdoutLines, l => l.StartsWith("0{\"sid\":", StringComparison.Ordinal));
        Assert.Contains("wsdoctor connect --protocol socketio speaks it", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GraphqlWs_SubscriptionFromTheCommandLineAndAQueryTyped()
    {
        await using var server = await AppServer.StartAsync("graphql-server.js");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/graphql", "--protocol", "graphql-ws",
            "--query", "subscription ($n: Int) { countdown(from: $n) }", "--variables", "{\"n\":2}", "-x", "{ hello }", "-w", "3s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("subprotocol:  graphql-transport-ws", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("connection_ack", run.StdoutLines[0]);
        Assert.Equal(["next 1: {\"data\":{\"countdown\":2}}", "next 1: {\"data\":{\"countdown\":1}}", "next 1: {\"data\":{\"countdown\":0}}", "complete 1"],
            run.StdoutLines.Where(l => l.Contains(" 1", StringComparison.Ordinal)));
        Assert.Contains("next 2: {\"data\":{\"hello\":\"world\"}}", run.StdoutLines);
    }

    [SkippableFact]
    public async Task Graphql_SpeaksTheLegacyProtocolWhenTheServerSelectsIt()
    {
        await using var server = await AppServer.StartAsync("graphql-server.js", "--protocol", "legacy");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/graphql", "--protocol", "graphql", "--query", "subscription { countdown(from: 1) }", "-w", "3s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("subprotocol:  graphql-ws", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("data 1: {\"data\":{\"countdown\":0}}", run.StdoutLines);
        Assert.Contains("complete 1", run.StdoutLines);
    }

    [SkippableFact]
    public async Task Mqtt_SubscribeAndPublish()
    {
        await using var server = await AppServer.StartAsync("mqtt-broker.js");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/mqtt", "--protocol", "mqtt", "--topic", "chat/#", "-x", "chat/room1, hello broker", "-w", "2s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("subprotocol:  mqtt", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("connack 0 (connection accepted)", run.StdoutLines[0]);
        Assert.Contains("suback 1: qos 0", run.StdoutLines);
        Assert.Contains("publish chat/room1: hello broker", run.StdoutLines);
        await server.Stdout.WaitForAsync(l => l == "{\"topic\":\"chat/room1\",\"payload\":\"hello broker\"}", TimeSpan.FromSeconds(10), "the broker to log the publish");
    }

    [SkippableFact]
    public async Task Graphql_SpeaksTheNewProtocolWhenTheServerSelectsIt()
    {
        await using var server = await AppServer.StartAsync("graphql-server.js");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/graphql", "--protocol", "graphql", "--query", "subscription { countdown(from: 1) }", "-w", "3s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("subprotocol:  graphql-transport-ws", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("next 1: {\"data\":{\"countdown\":0}}", run.StdoutLines);
    }

    [SkippableFact]
    public async Task Stomp_SubscribeAndSend()
    {
        await using var server = await AppServer.StartAsync("stomp-broker.js");

        var run = await WsdoctorProcess.RunAsync("connect", $"{server.Base}/stomp", "--protocol", "stomp", "--topic", "/topic/news", "-x", "/topic/news, extra extra", "-w", "2s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("subprotocol:  v12.stomp", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("connected (STOMP 1.2, wsdoctor-test-stomp/1)", run.StdoutLines[0]);
        Assert.Contains("message /topic/news: extra extra", run.StdoutLines);
    }

    [SkippableFact]
    public async Task SignalR_HandshakeInvocationsAndCompletions()
    {
        await using var hub = await SignalRChat.StartAsync();

        var run = await WsdoctorProcess.RunAsync("connect", $"ws://127.0.0.1:{hub.Port}{SignalRChat.HubPath}", "--protocol", "signalr",
            "-x", "Add, 2, 3", "-x", "SendMessage, \"ann\", \"hi there\"", "-w", "2s");

        Assert.True(run.ExitCode == 0, run.ToString());
        // The hub sends its handshake answer and the first invocation in one message: shown as one line.
        Assert.StartsWith("handshake accepted", run.StdoutLines[0], StringComparison.Ordinal);
        // Records that arrive in one message share a line, joined by "; ".
        var records = run.StdoutLines.SelectMany(l => l.Split("; ")).ToArray();
        Assert.Contains("Welcome(\"lab\")", records);
        Assert.Contains("completion 1: 5", records);
        Assert.Contains("ReceiveMessage(\"ann\", \"hi there\")", records);
    }

    [SkippableFact]
    public async Task PipedLines_AreEncodedByTheProtocol()
    {
        await using var server = await AppServer.StartAsync("socketio-server.js");

        var run = await WsdoctorProcess.RunWithStdinAsync(["connect", $"{server.Base}/socket.io/", "--exit-on-eof", "-w", "2s"], "chat, one\nadd, [1, 2\nchat, two\n");

        Assert.Contains("event chat, \"echo: one\"", run.StdoutLines);
        Assert.Contains("event chat, \"echo: two\"", run.StdoutLines);
    }

    [SkippableFact]
    public async Task UnknownProtocol_IsAUsageError()
    {
        var run = await WsdoctorProcess.RunAsync("connect", "ws://127.0.0.1:9/", "--protocol", "amqp");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains("--protocol must be one of", run.Stderr, StringComparison.Ordinal);
    }
}
