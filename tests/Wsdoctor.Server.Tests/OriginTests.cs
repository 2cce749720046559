using System.Net.WebSockets;
using Wsdoctor.Server.Handshake;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class OriginTests
{
    [Theory]
    [InlineData("*.example.com", "https://app.example.com", true)]
    [InlineData("*.example.com", "http://a.b.example.com:8443", true)]
    [InlineData("*.example.com", "https://example.com", false)]
    [InlineData("*.example.com", "https://evilexample.com", false)]
    [InlineData("https://app.example.com", "https://app.example.com", true)]
    [InlineData("https://app.example.com", "http://app.example.com", false)]
    [InlineData("https://app.example.com:8443", "https://app.example.com:8443", true)]
    [InlineData("https://app.example.com:8443", "https://app.example.com", false)]
    [InlineData("*", "https://anything.invalid", true)]
    public void Matches_Patterns(string pattern, string origin, bool expected) =>
        Assert.Equal(expected, OriginPolicy.Matches(pattern, new Uri(origin)));

    [Fact]
    public async Task Origin_Foreign_403AndReasonLogged_SameHostAndNoOriginAllowed()
    {
        await using var server = await TestServer.StartAsync();

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(o => o.SetRequestHeader("Origin", "https://evil.example.com")));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        var reject = await server.LineAsync("reject");
        Assert.Equal("origin", ServeProcess.Field(reject, "reason"));
        Assert.Equal("403", ServeProcess.Field(reject, "status"));
        Assert.Contains("evil.example.com", ServeProcess.Field(reject, "detail"), StringComparison.Ordinal);

        using var sameHost = await server.ConnectAsync(o => o.SetRequestHeader("Origin", $"http://{server.Url.Authority}"));
        using var noOrigin = await server.ConnectAsync();
        Assert.Equal(WebSocketState.Open, sameHost.State);
    }

    [Fact]
    public async Task Origin_Allowlist_WildcardAccepted_OtherRefused()
    {
        await using var server = await TestServer.StartAsync(new() { AllowedOrigins = ["*.example.com"] });

        using var allowed = await server.ConnectAsync(o => o.SetRequestHeader("Origin", "https://app.example.com"));
        await allowed.SendTextAsync("hi");
        Assert.Equal("hi", await allowed.ReceiveTextAsync());
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(o => o.SetRequestHeader("Origin", "https://example.org")));
        Assert.Equal("origin", ServeProcess.Field(await server.LineAsync("reject"), "reason"));
    }
}
