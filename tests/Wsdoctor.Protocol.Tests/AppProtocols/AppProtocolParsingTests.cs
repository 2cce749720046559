using System.Text;
using Wsdoctor.Protocol.AppProtocols;

namespace Wsdoctor.Protocol.Tests.AppProtocols;

public sealed class AppProtocolParsingTests
{
    [Fact]
    public void MqttPacketReader_AnyCut_YieldsTheSamePackets()
    {
        // CONNACK 0, then a PUBLISH of "hello" on "a/b" whose remaining length needs one byte, then PINGRESP.
        byte[] stream = [0x20, 0x02, 0x00, 0x00, .. MqttPackets.Publish("a/b", "hello"u8), 0xD0, 0x00];

        var packets = Replay.Identical(stream, chunks =>
        {
            var reader = new MqttPacketReader();
            var output = new List<MqttPacket>();
            foreach (var chunk in chunks)
            {
                reader.Consume(chunk.Span, output);
            }

            return output;
        }, list => string.Join(";", list.Select(p => $"{p.Type}:{Convert.ToHexString(p.Body)}")));

        Assert.Equal([MqttPacketType.ConnAck, MqttPacketType.Publish, MqttPacketType.PingResp], packets.Select(p => p.Type));
        Assert.Equal(0, packets[0].ConnAckCode);
        Assert.Equal(("a/b", "hello"), packets[1].AsPublish() is { } p ? (p.Topic, Encoding.UTF8.GetString(p.Payload)) : default);
    }

    [Fact]
    public void MqttPackets_RemainingLength_UsesSevenBitsPerByte()
    {
        // 200 payload bytes + 2 + 1 topic bytes = 203 = 0xCB: encoded 0xCB 0x01 (MQTT 3.1.1 section 2.2.3).
        var publish = MqttPackets.Publish("t", new byte[200]);

        Assert.Equal([0x30, 0xCB, 0x01], publish[..3]);
    }

    [Fact]
    public void MqttPacketReader_AFifthLengthByte_Faults()
    {
        var reader = new MqttPacketReader();
        reader.Consume([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], []);

        Assert.True(reader.IsFaulted);
    }

    [Theory]
    [InlineData("{\"code\":0,\"message\":\"Transport unknown\"}", 0)]
    [InlineData("Transport unknown", 0)]
    [InlineData("{\"code\":5,\"message\":\"Unsupported protocol version\"}", 5)]
    public void EngineIo_ErrorBodies_AreRecognised(string body, int code) =>
        Assert.Equal(code, EngineIo.ParseError(body)?.Code);

    [Theory]
    [InlineData("{\"code\":0,\"message\":\"something else\"}")]
    [InlineData("Bad request")]
    [InlineData("{\"code\":3}")]
    public void EngineIo_OtherBodies_AreNotEngineIo(string body) => Assert.Null(EngineIo.ParseError(body));

    [Fact]
    public void EngineIo_PollingOpen_TellsProtocol3FromProtocol4()
    {
        const string open = "0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000}";

        Assert.Equal(4, EngineIo.ParsePollingOpen(open)?.Protocol);
        Assert.Equal(3, EngineIo.ParsePollingOpen($"{open.Length}:{open}")?.Protocol);
        Assert.Null(EngineIo.ParsePollingOpen("0{\"nosid\":1}"));
    }

    [Theory]
    [InlineData("2[\"chat\",\"hi\"]", SocketIoType.Event, "/", null, "chat")]
    [InlineData("2/admin,7[\"kick\",1]", SocketIoType.Event, "/admin", 7L, "kick")]
    [InlineData("3[5]", SocketIoType.Ack, "/", null, null)]
    public void SocketIoPacket_Parse(string text, SocketIoType type, string ns, long? ack, string? eventName)
    {
        var packet = SocketIoPacket.Parse(text)!;

        Assert.Equal((type, ns, ack, eventName), (packet.Type, packet.Namespace, packet.AckId, packet.AsEvent()?.Name));
        Assert.Equal(text, packet.Encode());
    }

    [Fact]
    public void SignalRHub_Records_SplitOnTheRecordSeparator()
    {
        var text = "{}\u001e{\"type\":1,\"target\":\"Welcome\",\"arguments\":[\"lab\"]}\u001e";

        Assert.True(SignalRHub.LooksLikeHubMessage(text));
        Assert.False(SignalRHub.LooksLikeHubMessage("{}"));
        Assert.Equal("Welcome(\"lab\")", SignalRHub.Describe(SignalRHub.Records(text)[1]));
    }

    [Fact]
    public void StompFrame_RoundTrips_AndRefusesAPlainMessage()
    {
        var frame = new StompFrame("MESSAGE", [new("destination", "/topic/a"), new("message-id", "1")], "hi");

        Assert.Equal(frame.Encode(), StompFrame.ParseServerFrame(frame.Encode())!.Encode());
        Assert.Null(StompFrame.ParseServerFrame("hello"));
        Assert.Null(StompFrame.ParseServerFrame(StompFrame.Connect("h").Encode()));
    }

    // Found by the fuzzer (bench/fuzz/regressions): each threw out of the parser, so a server sending it crashed
    // connect --protocol and check's app layer with a stack trace.
    [Fact]
    public void SocketIoPacket_AckIdPastLongsRange_IsNotAPacket()
    {
        Assert.Null(SocketIoPacket.Parse("212345678901234567890123[\"a\"]"));
        Assert.Equal(9223372036854775807L, SocketIoPacket.Parse("39223372036854775807[1]")!.AckId);
    }

    [Fact]
    public void SignalRAndGraphql_ObjectNamingAPropertyTwice_IsNotAMessage()
    {
        const string twice = "{\"type\":1,\"type\":2}";
        Assert.Null(SignalRHub.TypeOf(twice));
        Assert.Null(SignalRHub.ParseHandshakeResponse(twice));
        Assert.Equal(twice, SignalRHub.Describe(twice));
        Assert.False(SignalRHub.LooksLikeHubMessage(twice + SignalRHub.RecordSeparator));
        Assert.Null(GraphqlWs.TypeOf("{\"type\":\"next\",\"type\":\"error\"}"));
        Assert.Equal(SignalRMessageType.Completion, SignalRHub.TypeOf("{\"type\":3}"));
    }

    /// <summary>StrictJson.ParseObject answers null for everything that is not one JSON object, whether it is refused
    /// before the parser (no braces) or by it; whitespace around the object is JSON's own.</summary>
    [Theory]
    [InlineData("{\"type\":6}", true)]
    [InlineData(" \r\n{\"type\":6}\t\n", true)]
    [InlineData("{}", true)]
    [InlineData("[{\"type\":6}]", false)]
    [InlineData("\"{}\"", false)]
    [InlineData("{\"type\":6", false)]
    [InlineData("{\"type\" 6}", false)]
    [InlineData("{\"a\":1,\"a\":2}", false)]
    [InlineData("{} {}", false)]
    [InlineData("M\u0016\u001e", false)]
    [InlineData("", false)]
    public void StrictJson_ParseObject_OnlyOneObject(string text, bool isObject)
    {
        Assert.Equal(isObject, Wsdoctor.Protocol.Text.StrictJson.ParseObject(text) is not null);
        Assert.Equal(isObject, SignalRHub.LooksLikeHubMessage(text + SignalRHub.RecordSeparator) && text.Trim().Length > 0);
    }
}
