using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;

namespace Wsdoctor.Lab.Scenarios;

/// <summary>The app layer: servers that speak an application protocol on top of WebSocket, reached by a plain client.</summary>
internal static class AppScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return Scripted("app-socketio-transport-unknown", Codes.AppSocketIo, "Engine.IO aborts an upgrade to /socket.io/ without transport=websocket: 400 \"Transport unknown\"",
            AppProtocolScripts.EngineIo, "/socket.io/",
            Expect.All(Expect.DataEquals(Codes.AppSocketIo, "confirmedBy", "polling-handshake"), Expect.FixContains(Codes.AppSocketIo, "/socket.io/?EIO=4&transport=websocket")));
        yield return Scripted("app-graphql-no-subprotocol", Codes.AppGraphql, "graphql-ws closes with 4406 when graphql-transport-ws is not offered",
            AppProtocolScripts.GraphqlTransportWs, "/graphql", Expect.DataContains(Codes.AppGraphql, "serverSubprotocols", "graphql-transport-ws"));
        yield return Scripted("app-mqtt-plain-client", Codes.AppMqtt, "an MQTT broker drops a plain message; CONNECT with subprotocol mqtt gets CONNACK",
            AppProtocolScripts.MqttBroker, "/mqtt", Expect.DataEquals(Codes.AppMqtt, "connAckCode", 0), send: "hello");
        yield return Scripted("app-stomp-error-frame", Codes.AppStomp, "a STOMP broker answers a plain message with an ERROR frame and closes",
            AppProtocolScripts.StompBroker, "/stomp", Expect.DataEquals(Codes.AppStomp, "stompVersion", "1.2"), send: "hello");
        yield return new("app-signalr-hub", Codes.AppSignalR, "a real ASP.NET Core SignalR hub sent a plain message instead of its handshake",
            async (env, ct) =>
            {
                var hub = await SignalRChat.StartAsync(ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{hub.Port}{SignalRChat.HubPath}") with { Send = "hello" },
                    Expect.All(Expect.DataContains(Codes.AppSignalR, "transports", "WebSockets"), Expect.DataEquals(Codes.AppSignalR, "hubUrl", $"http://127.0.0.1:{hub.Port}{SignalRChat.HubPath}")), hub);
            });
    }

    private static LabScenario Scripted(string name, string code, string description, Func<Stream, CancellationToken, Task> script, string path,
        Func<Probes.Diagnosis.CheckReport, string?> evidence, string? send = null) =>
        new(name, code, description, (env, _) =>
        {
            var server = RawServer.Start(script);
            return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}{path}") with { Send = send }, evidence, server));
        });
}
