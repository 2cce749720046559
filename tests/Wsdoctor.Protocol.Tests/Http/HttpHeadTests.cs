using System.Text;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Protocol.Tests.Http;

public class HttpHeadTests
{
    private static readonly ResponseHead Head = ParseResponse(
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: WebSocket\r\n" +
        "Connection: keep-alive, Upgrade\r\n" +
        "connection: close\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate\r\n" +
        "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n" +
        "X-Empty:\r\n" +
        "\r\n");

    [Fact]
    public void Get_RepeatedField_JoinedWithCommaSpace()
    {
        Assert.Equal("permessage-deflate, x-webkit-deflate-frame", Head.Get("sec-websocket-extensions"));
    }

    [Fact]
    public void Get_AbsentField_Null()
    {
        Assert.Null(Head.Get("Sec-WebSocket-Accept"));
    }

    [Fact]
    public void Get_EmptyValue_EmptyStringNotNull()
    {
        Assert.Equal("", Head.Get("x-empty"));
    }

    [Fact]
    public void GetAll_DifferentCase_AllValuesInOrder()
    {
        Assert.Equal(["keep-alive, Upgrade", "close"], Head.GetAll("CONNECTION"));
    }

    [Theory]
    [InlineData("Connection", "upgrade", true)]
    [InlineData("Connection", "KEEP-ALIVE", true)]
    [InlineData("Connection", "close", true)]
    [InlineData("Connection", "keep", false)]
    [InlineData("Upgrade", "websocket", true)]
    [InlineData("Upgrade", "web", false)]
    [InlineData("Sec-WebSocket-Accept", "x", false)]
    public void HasToken_CommaSeparatedList_MatchesWholeTokensIgnoringCase(string name, string token, bool expected)
    {
        Assert.Equal(expected, Head.HasToken(name, token));
    }

    private static ResponseHead ParseResponse(string text)
    {
        var parser = new ResponseHeadParser();
        Assert.Equal(HeadParseStatus.Complete, parser.Consume(Encoding.ASCII.GetBytes(text), out _));
        return parser.Head!;
    }
}
