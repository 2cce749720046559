using System.Net;
using System.Net.Sockets;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Cli.Tests.Bench;

/// <summary>Loopback servers that fail the way a loaded server does, for bench's error classification.</summary>
public static class BenchServers
{
    public static RawServer Status(int status, string reason, params string[] headers) => RawServer.Start(async (stream, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(stream, ct) is not null)
        {
            await RawHttp.WriteAsync(stream, RawHttp.Response(status, reason, $"{status} {reason}", headers), ct);
        }
    });

    /// <summary>Upgrades, then answers the first message with Close 1013 (Try Again Later).</summary>
    public static RawServer ClosesWith1013() => RawServer.Start(FrameLoop.Upgrade(async (stream, ct) =>
    {
        await FirstMessageAsync(stream, ct);
        await RawHttp.WriteAsync(stream, FrameWriter.BuildClose(1013, "try again later", mask: false), ct);
        await FirstMessageAsync(stream, ct);
    }));

    /// <summary>Upgrades, then drops the TCP connection when the first message arrives (no Close frame).</summary>
    public static RawServer DropsTheConnection() => RawServer.Start(FrameLoop.Upgrade(async (stream, ct) =>
    {
        await FirstMessageAsync(stream, ct);
    }));

    /// <summary>An echo that answers every message <paramref name="delay"/> late.</summary>
    public static RawServer SlowEcho(TimeSpan delay) => RawServer.Start(FrameLoop.Upgrade(async (stream, ct) =>
    {
        var reader = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true });
        var events = new List<FrameEvent>();
        var buffer = new byte[16 * 1024];
        while (!reader.IsFaulted)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0)
            {
                return;
            }

            events.Clear();
            reader.Consume(buffer.AsSpan(0, n), events);
            foreach (var e in events)
            {
                switch (e)
                {
                    case MessageReceived message:
                        await Task.Delay(delay, ct);
                        await RawHttp.WriteAsync(stream, FrameWriter.Build(message.Opcode, message.Payload, mask: false), ct);
                        break;
                    case CloseReceived close:
                        await RawHttp.WriteAsync(stream, FrameWriter.BuildClose(close.Code ?? 1000, "", mask: false), ct);
                        return;
                }
            }
        }
    }));

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task FirstMessageAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        _ = await stream.ReadAsync(buffer, ct);
    }
}
