using System.Text;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Probes.Tests.Http;

public class UpgradeRequestSpecTests
{
    private const string Url = "wss://example.com:8443/ws?room=1";

    private static RequestHead Build(CheckOptions options, string? origin = null)
    {
        var (text, key) = UpgradeRequestSpec.Build(options, new TargetUrl(new Uri(options.Url)), origin);
        var parser = new RequestHeadParser();
        Assert.Equal(HeadParseStatus.Complete, parser.Consume(Encoding.Latin1.GetBytes(text), out var consumed));
        Assert.Equal(text.Length, consumed);
        Assert.Equal(key, parser.Head!.Get("Sec-WebSocket-Key"));
        return parser.Head!;
    }

    private static CheckOptions Options(string? token = null, TokenPlacement? placement = null) =>
        new() { Url = Url, Token = token, TokenIn = placement ?? TokenPlacement.Bearer };

    [Fact]
    public void Build_NoOptions_IsAPlainRfc6455Upgrade()
    {
        var head = Build(Options());

        Assert.Equal("GET", head.Method);
        Assert.Equal("/ws?room=1", head.Target);
        Assert.Equal("example.com:8443", head.Get("Host"));
        Assert.True(head.HasToken("Upgrade", "websocket"));
        Assert.True(head.HasToken("Connection", "Upgrade"));
        Assert.Equal("13", head.Get("Sec-WebSocket-Version"));
        Assert.StartsWith("wsdoctor/", head.Get("User-Agent"), StringComparison.Ordinal);
        Assert.Null(head.Get("Authorization"));
        Assert.Null(head.Get("Cookie"));
        Assert.Null(head.Get("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public void Build_Key_IsSixteenRandomBytesInBase64AndFreshEachTime()
    {
        var options = Options();
        var target = new TargetUrl(new Uri(Url));

        var (_, first) = UpgradeRequestSpec.Build(options, target, null);
        var (_, second) = UpgradeRequestSpec.Build(options, target, null);

        // RFC 6455 4.1 item 7: a randomly selected 16-byte value, base64-encoded, new for every connection.
        Assert.Equal(16, Convert.FromBase64String(first).Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Build_OriginNull_SendsNoOriginHeader()
    {
        Assert.Null(Build(Options(), origin: null).Get("Origin"));
    }

    [Fact]
    public void Build_OriginGiven_SendsItAsIs()
    {
        Assert.Equal("http://localhost:3000", Build(Options(), origin: "http://localhost:3000").Get("Origin"));
    }

    [Fact]
    public void Build_TokenAsBearer_SendsAuthorizationBearer()
    {
        var head = Build(Options("abc.def.ghi"));

        Assert.Equal("Bearer abc.def.ghi", head.Get("Authorization"));
        Assert.Equal("/ws?room=1", head.Target);
    }

    [Fact]
    public void Build_TokenInNamedHeader_SendsThatHeaderOnly()
    {
        var head = Build(Options("s3cr3t", new TokenPlacement(TokenPlacementKind.Header, "X-Api-Key")));

        Assert.Equal("s3cr3t", head.Get("X-Api-Key"));
        Assert.Null(head.Get("Authorization"));
    }

    [Fact]
    public void Build_TokenInCookie_MergesWithTheCookieOption()
    {
        var options = Options("s3cr3t", new TokenPlacement(TokenPlacementKind.Cookie, "sid")) with { Cookie = "theme=dark; lang=en" };

        var head = Build(options);

        // RFC 6265 5.4: one Cookie header, pairs separated by "; ".
        Assert.Equal(new[] { "theme=dark; lang=en; sid=s3cr3t" }, head.GetAll("Cookie"));
        Assert.Null(head.Get("Authorization"));
    }

    [Fact]
    public void Build_CookieOptionAlone_SendsIt()
    {
        Assert.Equal("a=1", Build(Options() with { Cookie = "a=1" }).Get("Cookie"));
    }

    [Fact]
    public void Build_TokenInQuery_AppendsToTheExistingQueryEscaped()
    {
        var head = Build(Options("a+b/c=", new TokenPlacement(TokenPlacementKind.Query, "access_token")));

        Assert.Equal("/ws?room=1&access_token=a%2Bb%2Fc%3D", head.Target);
        Assert.Null(head.Get("Authorization"));
    }

    [Fact]
    public void Build_TokenInQueryWithoutExistingQuery_StartsTheQuery()
    {
        var options = Options("t0k", new TokenPlacement(TokenPlacementKind.Query, "token")) with { Url = "ws://localhost:8080/ws" };

        Assert.Equal("/ws?token=t0k", Build(options).Target);
    }

    [Fact]
    public void Build_TokenAsSubprotocol_OffersItAfterTheRequestedProtocols()
    {
        var options = Options("t0k", new TokenPlacement(TokenPlacementKind.Subprotocol)) with { Subprotocols = ["graphql-transport-ws"] };

        var head = Build(options);

        Assert.Equal("graphql-transport-ws, t0k", head.Get("Sec-WebSocket-Protocol"));
        Assert.Null(head.Get("Authorization"));
        Assert.Equal(new[] { "graphql-transport-ws", "t0k" }, UpgradeRequestSpec.OfferedSubprotocols(options));
    }

    [Fact]
    public void Build_Subprotocols_AreOfferedInOrder()
    {
        var head = Build(Options() with { Subprotocols = ["v2.chat", "v1.chat"] });

        Assert.Equal("v2.chat, v1.chat", head.Get("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public void Build_HeaderOption_ReplacesTheDefaultUserAgent()
    {
        var head = Build(Options() with { Headers = [new HttpHeader("user-agent", "Mozilla/5.0 test")] });

        Assert.Equal(new[] { "Mozilla/5.0 test" }, head.GetAll("User-Agent"));
    }

    [Fact]
    public void Build_AuthorizationHeaderOption_ReplacesTheTokenBearer()
    {
        var head = Build(Options("from-token") with { Headers = [new HttpHeader("Authorization", "Basic dXNlcjpwYXNz")] });

        Assert.Equal(new[] { "Basic dXNlcjpwYXNz" }, head.GetAll("Authorization"));
    }

    [Fact]
    public void Build_OriginHeaderOption_ReplacesTheProbeOrigin()
    {
        var head = Build(Options() with { Headers = [new HttpHeader("Origin", "https://app.example.com")] }, origin: "http://localhost:3000");

        Assert.Equal(new[] { "https://app.example.com" }, head.GetAll("Origin"));
    }

    [Fact]
    public void Build_SubprotocolHeaderOption_ReplacesTheOfferedList()
    {
        var options = Options() with { Subprotocols = ["chat"], Headers = [new HttpHeader("Sec-WebSocket-Protocol", "mqtt, mqttv3.1")] };

        var head = Build(options);

        Assert.Equal(new[] { "mqtt, mqttv3.1" }, head.GetAll("Sec-WebSocket-Protocol"));
        Assert.Equal(new[] { "mqtt", "mqttv3.1" }, UpgradeRequestSpec.OfferedSubprotocols(options));
    }

    [Fact]
    public void Build_VersionHeaderOption_ReplacesTheHandshakeField()
    {
        var head = Build(Options() with { Headers = [new HttpHeader("Sec-WebSocket-Version", "8")] });

        Assert.Equal(new[] { "8" }, head.GetAll("Sec-WebSocket-Version"));
    }

    [Fact]
    public void Build_ExtraHeaderOption_IsAddedAlongsideTheDefaults()
    {
        var head = Build(Options("t") with { Headers = [new HttpHeader("X-Request-Id", "42")] });

        Assert.Equal("42", head.Get("X-Request-Id"));
        Assert.Equal("Bearer t", head.Get("Authorization"));
        Assert.NotNull(head.Get("User-Agent"));
    }

    [Fact]
    public void Build_Ipv6Target_BracketsTheHostHeader()
    {
        Assert.Equal("[::1]:8080", Build(Options() with { Url = "ws://[::1]:8080/x" }).Get("Host"));
    }
}
