using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

/// <summary>A real browser: Chromium fails a handshake that offered subprotocols and got none back, and sends the
/// page's Origin, so these are the rules a browser client depends on.</summary>
public class ChromiumTests
{
    [SkippableFact]
    public async Task Chromium_TokenAsSubprotocol_OpensEchoesAndSeesTheSelectedProtocol()
    {
        Peers.Require(Peers.Chromium);
        Peers.RequireNodeModule("playwright-core");
        await using var server = await TestServer.StartAsync(new() { Token = "browser-token-1" });

        // The page comes from the server's own origin (its 426 page), so the default same-host rule applies.
        var result = await RunAsync(server.Http("/").ToString(), server.Url.ToString(), "bearer", "browser-token-1");

        Assert.False(result.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal("bearer", result.GetProperty("protocol").GetString());
        Assert.Equal("from chromium", result.GetProperty("echo").GetString());
        var accept = await server.LineAsync("accept");
        Assert.Equal($"http://{server.Url.Authority}", ServeProcess.Field(accept, "origin"));
        Assert.DoesNotContain("browser-token-1", server.Log.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunAsync(params string[] args)
    {
        await using var node = LongRunningProcess.Start(Peers.Node, [Path.Combine(Peers.NodeProject, "serve-chromium.js"), .. args]);
        node.Stdin.Close();
        await node.WaitForExitAsync(TimeSpan.FromSeconds(120));
        var line = node.Stdout.Lines.LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"serve-chromium.js printed nothing:\n{node.Stderr}");
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
