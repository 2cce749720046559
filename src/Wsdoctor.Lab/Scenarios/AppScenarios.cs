using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

/// <summary>The app layer: servers that speak an application protocol on top of WebSocket, reached by a plain client.</summary>
internal static class AppScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return Scripted("app-socketio-transport-unknown", Codes.AppSocketIo, T("Engine.IO aborts an upgrade to /socket.io/ without transport=websocket: 400 \"Transport unknown\"", "Engine.IO 中止了一个没带 transport=websocket 的 /socket.io/ 升级请求：400 \"Transport unknown\""),
            AppProtocolScripts.EngineIo, "/socket.io/",
            Expect.All(Expect.DataEquals(Codes.AppSocketIo, "confirmedBy", "polling-handshake"), Expect.FixContains(Codes.AppSocketIo, "/socket.io/?EIO=4&transport=websocket")));
        yield return Scripted("app-graphql-no-subprotocol", Codes.AppGraphql, T("graphql-ws closes with 4406 when graphql-transport-ws is not offered", "客户端没有提供 graphql-transport-ws 子协议，graphql-ws 以 4406 关闭连接"),
            AppProtocolScripts.GraphqlTransportWs, "/graphql", Expect.DataContains(Codes.AppGraphql, "serverSubprotocols", "graphql-transport-ws"));
        yield return Scripted("app-mqtt-plain-client", Codes.AppMqtt, T("an MQTT broker drops a plain message; CONNECT with subprotocol mqtt gets CONNACK", "MQTT broker 丢弃普通消息；带 mqtt 子协议发送 CONNECT 才会收到 CONNACK"),
            AppProtocolScripts.MqttBroker, "/mqtt", Expect.DataEquals(Codes.AppMqtt, "connAckCode", 0), send: "hello");
        yield return Scripted("app-stomp-error-frame", Codes.AppStomp, T("a STOMP broker answers a plain message with an ERROR frame and closes", "STOMP broker 对普通消息回一个 ERROR 帧然后关闭连接"),
            AppProtocolScripts.StompBroker, "/stomp", Expect.DataEquals(Codes.AppStomp, "stompVersion", "1.2"), send: "hello");
        yield return new("app-signalr-hub", Codes.AppSignalR, T("a real ASP.NET Core SignalR hub sent a plain message instead of its handshake", "向真实的 ASP.NET Core SignalR hub 发送普通消息，而不是先发它的握手"),
            async (env, ct) =>
            {
                var hub = await SignalRChat.StartAsync(ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{hub.Port}{SignalRChat.HubPath}") with { Send = "hello" },
                    Expect.All(Expect.DataContains(Codes.AppSignalR, "transports", "WebSockets"), Expect.DataEquals(Codes.AppSignalR, "hubUrl", $"http://127.0.0.1:{hub.Port}{SignalRChat.HubPath}")), hub);
            });
    }

    private static LabScenario Scripted(string name, string code, Text description, Func<Stream, CancellationToken, Task> script, string path,
        Func<Probes.Diagnosis.CheckReport, Text?> evidence, string? send = null) =>
        new(name, code, description, (env, _) =>
        {
            var server = RawServer.Start(script);
            return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}{path}") with { Send = send }, evidence, server));
        });
}
