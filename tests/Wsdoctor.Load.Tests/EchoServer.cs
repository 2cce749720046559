using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wsdoctor.Load.Connections;

namespace Wsdoctor.Load.Tests;

/// <summary>What the echo server does wrong, once, to the message numbered <see cref="EchoServer.FaultAt"/>
/// (counted over all connections).</summary>
public enum EchoFault
{
    None,
    FlipOneByte,
    RepeatPreviousMessage,
    DropLastByte,
    AnswerAsText,
}

/// <summary>A real Kestrel WebSocket echo server on 127.0.0.1:0 that can break one echo on purpose, and counts the
/// connections it holds.</summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EchoFault fault;
    private long messages;
    private int open;
    private int accepted;
    private int closedByClient;

    private readonly Stall? stall;
    private long firstMessage;
    private int stalled;

    private EchoServer(WebApplication app, EchoFault fault, Stall? stall)
    {
        this.app = app;
        this.fault = fault;
        this.stall = stall;
    }

    /// <summary>Once, the first message that arrives <paramref name="After"/> after the server's first message
    /// waits <paramref name="For"/> before its echo (a GC pause, a blocked event loop).</summary>
    public sealed record Stall(TimeSpan After, TimeSpan For);

    public const long FaultAt = 5;

    public LoadTarget Target { get; private set; } = null!;

    public int OpenConnections => Volatile.Read(ref open);

    public int Accepted => Volatile.Read(ref accepted);

    public int ClosedByClient => Volatile.Read(ref closedByClient);

    public static async Task<EchoServer> StartAsync(EchoFault fault = EchoFault.None, Stall? stall = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new EchoServer(app, fault, stall);
        app.UseWebSockets();
        app.Run(server.EchoAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Target = new LoadTarget(new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/echo"));
        return server;
    }

    /// <summary>Waits (bounded) until the server holds exactly <paramref name="count"/> connections.</summary>
    public async Task<bool> WaitForOpenAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (OpenConnections != count)
        {
            if (cts.IsCancellationRequested)
            {
                return false;
            }

            // Kestrel has no event for "connection count changed"; poll briefly.
            await Task.Delay(20, CancellationToken.None);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(cts.Token);
        await app.DisposeAsync();
    }

    private async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref accepted);
        Interlocked.Increment(ref open);
        var buffer = new byte[1 << 20];
        var previous = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), context.RequestAborted);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref closedByClient);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", context.RequestAborted);
                    return;
                }

                var message = buffer.AsMemory(0, count);
                var type = result.MessageType;
                if (Interlocked.Increment(ref messages) == FaultAt)
                {
                    (message, type) = Break(message, previous, type);
                }

                previous = buffer.AsSpan(0, count).ToArray();
                await StallOnceAsync(context.RequestAborted);
                await socket.SendAsync(message, type, true, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away (the load engine aborts a connection once its echo is wrong).
        }
        finally
        {
            Interlocked.Decrement(ref open);
        }
    }

    private async Task StallOnceAsync(CancellationToken ct)
    {
        if (stall is null)
        {
            return;
        }

        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref firstMessage, now, 0);
        if (System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref firstMessage), now) >= stall.After
            && Interlocked.Exchange(ref stalled, 1) == 0)
        {
            await Task.Delay(stall.For, ct);
        }
    }

    private (Memory<byte>, WebSocketMessageType) Break(Memory<byte> message, byte[] previous, WebSocketMessageType type)
    {
        switch (fault)
        {
            case EchoFault.FlipOneByte:
                message.Span[message.Length / 2] ^= 0x20;
                return (message, type);
            case EchoFault.RepeatPreviousMessage:
                return (previous, type);
            case EchoFault.DropLastByte:
                return (message[..^1], type);
            case EchoFault.AnswerAsText:
                return (message, WebSocketMessageType.Text);
            default:
                return (message, type);
        }
    }
}
