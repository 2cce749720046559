using System.Net.WebSockets;
using System.Text;

namespace Wsdoctor.Server.Tests;

/// <summary>Whole-message helpers for ClientWebSocket, every call bounded.</summary>
public static class Client
{
    public static async Task SendTextAsync(this WebSocket socket, string text)
    {
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public static async Task SendAsync(this WebSocket socket, byte[] payload, WebSocketMessageType type)
    {
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await socket.SendAsync(payload, type, true, cts.Token);
    }

    /// <summary>One whole message; type Close with the status when the server closed.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(this WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestServer.Wait);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer.ToArray());
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        var (type, payload) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(payload);
    }

    public static async Task CloseAsync(this WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await socket.CloseAsync(status, reason, cts.Token);
    }
}
