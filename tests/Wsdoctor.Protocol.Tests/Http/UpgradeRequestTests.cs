using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Protocol.Tests.Http;

public class UpgradeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Fact]
    public void Build_NoExtraHeaders_Rfc6455HandshakeInOrder()
    {
        var text = UpgradeRequest.Build("server.example.com", "/chat", Key, []);

        Assert.Equal(
            "GET /chat HTTP/1.1\r\n" +
            "Host: server.example.com\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n",
            text);
    }

    [Fact]
    public void Build_ExtraHeaders_AppendedInGivenOrder()
    {
        var text = UpgradeRequest.Build("h", "/?a=1&b=2", Key,
            [new("Origin", "http://example.com"), new("Sec-WebSocket-Protocol", "chat, superchat"), new("Cookie", "sid=1")]);

        Assert.EndsWith(
            "Sec-WebSocket-Version: 13\r\n" +
            "Origin: http://example.com\r\n" +
            "Sec-WebSocket-Protocol: chat, superchat\r\n" +
            "Cookie: sid=1\r\n" +
            "\r\n",
            text);
        Assert.StartsWith("GET /?a=1&b=2 HTTP/1.1\r\n", text);
    }

    [Fact]
    public void Build_HeaderNamedLikeDefault_ReplacesDefaultInPlace()
    {
        var text = UpgradeRequest.Build("h", "/", Key,
            [new("sec-websocket-version", "8"), new("X-Trace", "1"), new("HOST", "other:81")]);

        Assert.Equal(
            "GET / HTTP/1.1\r\n" +
            "HOST: other:81\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "sec-websocket-version: 8\r\n" +
            "X-Trace: 1\r\n" +
            "\r\n",
            text);
    }

    [Theory]
    [InlineData("X-Evil", "a\r\nInjected: yes")]
    [InlineData("X-Evil", "a\nb")]
    [InlineData("X-Evil\r\nInjected", "yes")]
    [InlineData("X Evil", "yes")]
    [InlineData("", "yes")]
    public void Build_InjectionInHeader_ArgumentException(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => UpgradeRequest.Build("h", "/", Key, [new(name, value)]));
    }

    [Theory]
    [InlineData("h\r\nX: y", "/", Key)]
    [InlineData("h", "/ HTTP/1.1\r\nX: y", Key)]
    [InlineData("h", "/a b", Key)]
    [InlineData("h", "", Key)]
    [InlineData("h", "/", "key\r\n")]
    public void Build_InjectionInHostPathOrKey_ArgumentException(string host, string path, string key)
    {
        Assert.Throws<ArgumentException>(() => UpgradeRequest.Build(host, path, key, []));
    }
}
