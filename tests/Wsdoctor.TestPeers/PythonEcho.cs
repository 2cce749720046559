namespace Wsdoctor.TestPeers;

/// <summary>A Python <c>websockets</c> echo server on a free loopback port. Unlike Kestrel it refuses an upgrade
/// request that is not HTTP/1.1, as RFC 6455 section 4.1 asks, which makes it the upstream that shows what nginx's
/// HTTP/1.0 default really breaks.</summary>
public static class PythonEcho
{
    private const string Script = """
        import asyncio, websockets
        async def echo(ws, path=None):
            async for message in ws:
                await ws.send(message)
        async def main():
            async with websockets.serve(echo, "127.0.0.1", 0) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.Future()
        asyncio.run(main())
        """;

    public static async Task<(PeerProcess Process, int Port)> StartAsync()
    {
        var (process, portLine) = await PeerProcess.StartAsync(Peers.Require(Peers.Python), ["-c", Script], TimeSpan.FromSeconds(20));
        return (process, int.Parse(portLine.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
