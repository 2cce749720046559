using System.Text;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Lab.Servers;

/// <summary>Scripted servers that answer the way application-protocol servers do, byte for byte where it matters, so
/// that the lab reproduces the app.* findings without Node: Engine.IO's 400 and polling handshake, graphql-ws's 4406,
/// an MQTT broker's CONNACK, a STOMP broker's ERROR and CONNECTED.</summary>
public static class AppProtocolScripts
{
    /// <summary>Engine.IO 4: an upgrade without transport=websocket is aborted with 400 and the bare message "Transport
    /// unknown" (as engine.io's abortUpgrade writes it); the polling handshake gets the open packet.</summary>
    public static Func<Stream, CancellationToken, Task> EngineIo => async (stream, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(stream, ct).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var query = request.Target.Contains('?', StringComparison.Ordinal) ? request.Target[request.Target.IndexOf('?', StringComparison.Ordinal)..] : "";
        if (!request.Target.StartsWith("/socket.io/", StringComparison.Ordinal))
        {
            await RawHttp.WriteAsync(stream, RawHttp.Response(404, "Not Found", "not found\n"), ct).ConfigureAwait(false);
        }
        else if (query.Contains("transport=polling", StringComparison.Ordinal) && request.Get("Upgrade") is null)
        {
            await RawHttp.WriteAsync(stream, RawHttp.Response(200, "OK",
                "0{\"sid\":\"lab-sid-1\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
                "Content-Type: text/plain; charset=UTF-8"), ct).ConfigureAwait(false);
        }
        else if (query.Contains("transport=websocket", StringComparison.Ordinal) && request.Get("Upgrade") is not null)
        {
            await RawHttp.WriteAsync(stream, RawHttp.SwitchingProtocols(request), ct).ConfigureAwait(false);
            await RawHttp.WriteAsync(stream, FrameWriter.Build(Opcode.Text, "0{\"sid\":\"lab-sid-2\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}"u8, mask: false), ct).ConfigureAwait(false);
            await FrameLoop.RunAsync(stream, ct, echo: false).ConfigureAwait(false);
        }
        else
        {
            await RawHttp.WriteAsync(stream, RawHttp.Response(400, "Bad Request", "Transport unknown", "Content-type: text/html"), ct).ConfigureAwait(false);
        }
    };

    /// <summary>graphql-ws: without the subprotocol graphql-transport-ws the connection is closed with 4406; with it,
    /// connection_init is acknowledged.</summary>
    public static Func<Stream, CancellationToken, Task> GraphqlTransportWs => async (stream, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(stream, ct).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var offered = Offered(request);
        var speaks = offered.Contains(GraphqlWs.TransportWs);
        // Like Node ws, the first offered subprotocol is selected; graphql-ws then checks it.
        await RawHttp.WriteAsync(stream, offered.Count > 0 ? RawHttp.SwitchingProtocols(request, false, $"Sec-WebSocket-Protocol: {(speaks ? GraphqlWs.TransportWs : offered[0])}") : RawHttp.SwitchingProtocols(request), ct).ConfigureAwait(false);
        if (!speaks)
        {
            await RawHttp.WriteAsync(stream, FrameWriter.BuildClose(4406, "Subprotocol not acceptable", mask: false), ct).ConfigureAwait(false);
            await FrameLoop.RunAsync(stream, ct, echo: false).ConfigureAwait(false);
            return;
        }

        await AnswerAsync(stream, m => GraphqlWs.TypeOf(Encoding.UTF8.GetString(m.Payload)) == "connection_init" ? Text("{\"type\":\"connection_ack\"}") : null, ct).ConfigureAwait(false);
    };

    /// <summary>An MQTT broker: any subprotocol, a binary CONNECT answered with CONNACK 0, anything else the end of the connection.</summary>
    public static Func<Stream, CancellationToken, Task> MqttBroker => async (stream, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(stream, ct).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var offered = Offered(request);
        await RawHttp.WriteAsync(stream, offered.Contains("mqtt") ? RawHttp.SwitchingProtocols(request, false, "Sec-WebSocket-Protocol: mqtt") : RawHttp.SwitchingProtocols(request), ct).ConfigureAwait(false);
        // Like aedes: anything but an MQTT packet ends the connection without a Close frame.
        await AnswerAsync(stream, m => IsConnect(m) ? FrameWriter.Build(Opcode.Binary, [0x20, 0x02, 0x00, 0x00], mask: false) : [], ct,
            endAfterAnswer: m => !IsConnect(m)).ConfigureAwait(false);
    };

    private static bool IsConnect(MessageReceived m) => m.Opcode == Opcode.Binary && m.Payload.Length > 0 && m.Payload[0] == 0x10;

    /// <summary>A STOMP broker: CONNECT gets CONNECTED, anything else an ERROR frame and a close.</summary>
    public static Func<Stream, CancellationToken, Task> StompBroker => async (stream, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(stream, ct).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var selected = StompFrame.Subprotocols.FirstOrDefault(Offered(request).Contains);
        await RawHttp.WriteAsync(stream, selected is null ? RawHttp.SwitchingProtocols(request) : RawHttp.SwitchingProtocols(request, false, $"Sec-WebSocket-Protocol: {selected}"), ct).ConfigureAwait(false);
        await AnswerAsync(stream, m =>
        {
            if (StompFrame.Parse(Encoding.UTF8.GetString(m.Payload)) is { Command: "CONNECT" or "STOMP" })
            {
                return Text(new StompFrame("CONNECTED", [new("version", "1.2"), new("heart-beat", "0,0")], "").Encode());
            }

            return [.. Text(new StompFrame("ERROR", [new("message", "expected a CONNECT frame")], "").Encode()), .. FrameWriter.BuildClose(1002, "STOMP protocol error", mask: false)];
        }, ct, endAfterAnswer: m => StompFrame.Parse(Encoding.UTF8.GetString(m.Payload)) is not { Command: "CONNECT" or "STOMP" }).ConfigureAwait(false);
    };

    private static List<string> Offered(RequestHead request) =>
        (request.Get("Sec-WebSocket-Protocol") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static byte[] Text(string text) => FrameWriter.Build(Opcode.Text, Encoding.UTF8.GetBytes(text), mask: false);

    /// <summary><see cref="FrameLoop"/> answering each data message with <paramref name="answer"/>'s bytes instead of the echo.</summary>
    private static Task AnswerAsync(Stream stream, Func<MessageReceived, byte[]?> answer, CancellationToken ct, Func<MessageReceived, bool>? endAfterAnswer = null) =>
        FrameLoop.RunAsync(stream, ct, echo: false, answer: answer, endAfterAnswer: endAfterAnswer);
}
