using System.Net;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Protocol.Auth;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class AuthTests
{
    private const string Secret = "s3cr3t-token-value";

    [Fact]
    public async Task Token_BearerHeader_Accepted()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret });
        using var client = await server.ConnectAsync(o => o.SetRequestHeader("Authorization", "Bearer " + Secret));
        await AssertEchoAsync(client);
    }

    [Fact]
    public async Task Token_Query_Accepted_AndNotLogged()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret });
        using var client = await server.ConnectAsync(url: new Uri(server.Url, "/?token=" + Secret));
        await AssertEchoAsync(client);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
        await server.CloseLineAsync();
        Assert.DoesNotContain(Secret, server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Cookie_Accepted()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret });
        using var client = await server.ConnectAsync(o =>
        {
            o.Cookies = new CookieContainer();
            o.Cookies.Add(server.Url.ToHttp(), new Cookie("token", Secret));
        });
        await AssertEchoAsync(client);
    }

    [Fact]
    public async Task Token_Subprotocol_AcceptedAndBearerMarkerSelected()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret });
        using var client = await server.ConnectAsync(o =>
        {
            o.AddSubProtocol("bearer");
            o.AddSubProtocol(Secret);
        });
        Assert.Equal("bearer", client.SubProtocol);
        await AssertEchoAsync(client);
    }

    [Fact]
    public async Task Token_SubprotocolBearerDot_AcceptedAndConfiguredSubprotocolPreferred()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret, Subprotocols = ["chat.v1"] });
        using var client = await server.ConnectAsync(o =>
        {
            o.AddSubProtocol("chat.v1");
            o.AddSubProtocol("bearer." + Secret);
        });
        Assert.Equal("chat.v1", client.SubProtocol);
        var accept = await server.LineAsync("accept");
        Assert.Equal("chat.v1", ServeProcess.Field(accept, "subprotocol"));
    }

    [Fact]
    public async Task Token_MissingOrWrong_401AndReasonLogged_SecretNeverLogged()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret });

        var missing = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync());
        Assert.Contains("401", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(o => o.SetRequestHeader("Authorization", "Bearer wrong-" + Secret)));

        await server.Log.WaitForAsync(l => l.Contains("does not match", StringComparison.Ordinal), TestServer.Wait, "second reject");
        var rejects = server.Log.Lines.Where(l => l.Contains(" event=reject ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rejects.Count);
        Assert.All(rejects, r => Assert.Equal(("auth", "401"), (ServeProcess.Field(r, "reason"), ServeProcess.Field(r, "status"))));
        Assert.DoesNotContain(Secret, server.Log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("valid", true)]
    [InlineData("expired", false)]
    [InlineData("nbf", false)]
    [InlineData("wrong-signature", false)]
    [InlineData("alg-none", false)]
    public async Task Jwt_Handshake(string kind, bool accepted)
    {
        const string key = "jwt-signing-key";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = kind switch
        {
            "valid" => Hs256Verifier.Sign($$"""{"sub":"u1","exp":{{now + 300}}}""", Encoding.UTF8.GetBytes(key)),
            "expired" => Hs256Verifier.Sign($$"""{"sub":"u1","exp":{{now - 300}}}""", Encoding.UTF8.GetBytes(key)),
            "nbf" => Hs256Verifier.Sign($$"""{"sub":"u1","nbf":{{now + 300}}}""", Encoding.UTF8.GetBytes(key)),
            "wrong-signature" => Hs256Verifier.Sign($$"""{"sub":"u1","exp":{{now + 300}}}""", "other-key"u8),
            _ => Hs256VerifierTestsTokens.AlgNone($$"""{"sub":"u1","exp":{{now + 300}}}"""),
        };
        await using var server = await TestServer.StartAsync(new() { JwtSecret = key });

        if (accepted)
        {
            using var client = await server.ConnectAsync(o => o.SetRequestHeader("Authorization", "Bearer " + token));
            await AssertEchoAsync(client);
            return;
        }

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(o => o.SetRequestHeader("Authorization", "Bearer " + token)));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        var reject = await server.LineAsync("reject");
        Assert.Contains(kind switch { "expired" => "expired", "nbf" => "nbf", "wrong-signature" => "signature", _ => "HS256" }, ServeProcess.Field(reject, "detail"), StringComparison.Ordinal);
        Assert.DoesNotContain(token, server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthFirstMessage_Wrong_Closed1008_Right_Echoes()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret, AuthFirstMessage = true });

        using var good = await server.ConnectAsync();
        await good.SendTextAsync($$"""{"token":"{{Secret}}"}""");
        await AssertEchoAsync(good);

        using var bad = await server.ConnectAsync();
        await bad.SendTextAsync("not-the-token");
        var (type, _) = await bad.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, bad.CloseStatus);
    }

    [Fact]
    public async Task AuthFirstMessage_Silent_Closed1008AfterHandshakeTimeout()
    {
        await using var server = await TestServer.StartAsync(new() { Token = Secret, AuthFirstMessage = true, HandshakeTimeout = TimeSpan.FromMilliseconds(500) });
        using var silent = await server.ConnectAsync();
        var (type, _) = await silent.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, silent.CloseStatus);
    }

    private static async Task AssertEchoAsync(ClientWebSocket client)
    {
        await client.SendTextAsync("ping?");
        Assert.Equal("ping?", await client.ReceiveTextAsync());
    }
}

internal static class Hs256VerifierTestsTokens
{
    public static string AlgNone(string claims) =>
        System.Buffers.Text.Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8) + "." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims)) + ".";
}

internal static class UriExtensions
{
    public static Uri ToHttp(this Uri ws) => new($"{(ws.Scheme == "wss" ? "https" : "http")}://{ws.Authority}/");
}
