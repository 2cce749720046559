using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Client.Tests.Rendering;

public sealed class RenderingTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 9, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void HexDump_OffsetHexAscii_LikeHexdumpC()
    {
        var lines = HexDump.Lines(Encoding.ASCII.GetBytes("Hello, WebSocket!\x01"));

        Assert.Equal("00000000  48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74  |Hello, WebSocket|", lines[0]);
        Assert.Equal("00000010  21 01" + new string(' ', 44) + " |!.|", lines[1]);
    }

    [Fact]
    public void HexDump_Long_Truncated()
    {
        var lines = HexDump.Lines(new byte[100], maxBytes: 32);

        Assert.Equal(3, lines.Count);
        Assert.Equal("... 68 more bytes", lines[2]);
    }

    [Fact]
    public void Jsonl_TextMessage_FieldsInOrder()
    {
        var line = JsonlRecord.Render(new MessageEvent(At, TapDirection.In, WebSocketMessageType.Text, Encoding.UTF8.GetBytes("héllo \"x\"")));

        Assert.Equal("{\"ts\":\"2026-11-21T09:30:00.123Z\",\"dir\":\"in\",\"opcode\":\"text\",\"size\":10,\"data\":\"héllo \\\"x\\\"\"}", line);
    }

    [Fact]
    public void Jsonl_Binary_Base64WithEncoding()
    {
        using var doc = JsonDocument.Parse(JsonlRecord.Render(new MessageEvent(At, TapDirection.Out, WebSocketMessageType.Binary, [0, 255, 16]))!);

        Assert.Equal("out", doc.RootElement.GetProperty("dir").GetString());
        Assert.Equal("binary", doc.RootElement.GetProperty("opcode").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("size").GetInt32());
        Assert.Equal("AP8Q", doc.RootElement.GetProperty("data").GetString());
        Assert.Equal("base64", doc.RootElement.GetProperty("encoding").GetString());
    }

    [Fact]
    public void Jsonl_Close_AddsCodeAndReason_PongAddsRtt()
    {
        using var close = JsonDocument.Parse(JsonlRecord.Render(new CloseEvent(At, TapDirection.In, 1008, "expired"))!);
        Assert.Equal(1008, close.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("expired", close.RootElement.GetProperty("reason").GetString());
        Assert.Equal("close", close.RootElement.GetProperty("opcode").GetString());

        using var pong = JsonDocument.Parse(JsonlRecord.Render(new ControlEvent(At, TapDirection.In, Opcode.Pong, Encoding.ASCII.GetBytes("p"), 1.23456))!);
        Assert.Equal(1.235, pong.RootElement.GetProperty("rttMs").GetDouble());
        Assert.Equal("pong", pong.RootElement.GetProperty("opcode").GetString());
    }

    [Fact]
    public void PrettyJson_IndentsJson_LeavesOtherTextAlone()
    {
        Assert.Equal("{\n  \"a\": [\n    1,\n    2\n  ]\n}", PrettyJson.Format("{\"a\":[1,2]}").ReplaceLineEndings("\n"));
        Assert.Equal("{not json", PrettyJson.Format("{not json"));
        Assert.Equal("plain", PrettyJson.Format("plain"));
    }

    [Fact]
    public void CloseExplanation_UsesCatalogueTexts()
    {
        var server = Wsdoctor.Findings.Text.T("the server", "服务端");
        var lines = CloseExplanation.Lines(server, 1011, "boom");

        Assert.Equal("closed by the server: 1011 Internal Error \"boom\"", lines[0].En);
        Assert.Contains(CloseCodes.Describe(1011).Fix, lines[3].En, StringComparison.Ordinal);
        Assert.StartsWith("closed by the server: 1005 No Status Received", CloseExplanation.Lines(server, null, "")[0].En, StringComparison.Ordinal);

        // In Chinese: who closed, then the catalogue's own Chinese meaning, cause and fix of the code.
        var info = CloseCodes.Describe(1011);
        Assert.Equal("服务端关闭了连接：1011 Internal Error \"boom\"", lines[0].Zh);
        Assert.Contains(Wsdoctor.Probes.Session.SessionTexts.Meaning(info).Zh, lines[1].Zh, StringComparison.Ordinal);
        Assert.Contains(Wsdoctor.Probes.Session.SessionTexts.Fix(info).Zh, lines[3].Zh, StringComparison.Ordinal);
        Assert.DoesNotContain(info.Fix, lines[3].Zh, StringComparison.Ordinal);
        Assert.StartsWith("连接中断：1006", CloseExplanation.Dropped("reset")[0].Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void EventText_PongAnsweringOurPing_ShowsRtt_OtherPongsOnlyWithP()
    {
        var ours = new ControlEvent(At, TapDirection.In, Opcode.Pong, Encoding.ASCII.GetBytes("x"), 2.5);
        var unsolicited = new ControlEvent(At, TapDirection.In, Opcode.Pong, [], null);

        Assert.Equal("< pong \"x\" rtt 2.5 ms", Assert.Single(EventText.Lines(ours, new RenderOptions())!));
        Assert.Null(EventText.Lines(unsolicited, new RenderOptions()));
        Assert.Equal("< pong (empty)", Assert.Single(EventText.Lines(unsolicited, new RenderOptions { ShowPingPong = true })!));
    }
}
