using Wsdoctor.Client.AppProtocols;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Client.Tests.AppProtocols;

public sealed class AppProtocolTests
{
    [Theory]
    [InlineData("chat, \"hi\"", "chat", "\"hi\"")]
    [InlineData("chat, hello there", "chat", "\"hello there\"")]
    [InlineData("add, 2, 3", "add", "2, 3")]
    [InlineData("ping", "ping", "")]
    [InlineData("[\"move\", {\"x\": 1}]", "move", "{\"x\":1}")]
    public void SplitCall_NameThenJsonArguments(string line, string name, string args)
    {
        var (n, a) = AppProtocol.SplitCall(line);

        Assert.Equal((name, args), (n, AppProtocol.Json(a)));
    }

    [Theory]
    [InlineData(", 1")]
    [InlineData("[1, 2]")]
    public void SplitCall_WithoutAName_IsRefused(string line)
    {
        var refused = Assert.Throws<InputFormatException>(() => AppProtocol.SplitCall(line));

        // connect prints the reason in the output language.
        Assert.Equal(refused.Message, refused.Reason.En);
        Assert.Matches(EnglishProse.Cjk(), refused.Reason.Zh);
    }

    [Theory]
    [InlineData("ws://h:1", "ws://h:1/socket.io/?EIO=4&transport=websocket")]
    [InlineData("ws://h:1/socket.io/?EIO=3&transport=polling&token=t", "ws://h:1/socket.io/?EIO=4&transport=websocket&token=t")]
    [InlineData("ws://h:1/app/socket.io/", "ws://h:1/app/socket.io/?EIO=4&transport=websocket")]
    public void Url_SocketIo_GetsItsPathAndQuery(string given, string opened) =>
        Assert.Equal(opened, AppProtocol.Url(AppProtocolKind.SocketIo, given));

    [Fact]
    public void Url_SignalRNegotiate_BecomesTheHub() =>
        Assert.Equal("ws://h:1/chatHub", AppProtocol.Url(AppProtocolKind.SignalR, "ws://h:1/chatHub/negotiate?negotiateVersion=1"));

    [Theory]
    [InlineData("ws://h/socket.io/", new string[0], AppProtocolKind.SocketIo)]
    [InlineData("ws://h/graphql", new[] { "graphql-transport-ws" }, AppProtocolKind.GraphqlTransportWs)]
    [InlineData("ws://h/ws", new[] { "mqtt" }, AppProtocolKind.Mqtt)]
    public void Detect_FromTheUrlOrTheSubprotocol(string url, string[] subprotocols, AppProtocolKind kind) =>
        Assert.Equal(kind, AppProtocol.Detect(new Uri(url), subprotocols)?.Kind);

    [Fact]
    public void Detect_APlainUrl_IsNothing() => Assert.Null(AppProtocol.Detect(new Uri("ws://h/chat"), ["chat.v1"]));
}
