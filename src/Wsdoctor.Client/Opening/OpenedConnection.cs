using System.Net.WebSockets;
using Wsdoctor.Client.Tap;

namespace Wsdoctor.Client.Opening;

/// <summary>An open WebSocket, the tap under it, and the facts of how it was opened.</summary>
public sealed class OpenedConnection(WebSocket socket, FrameTap tap, ConnectionFacts facts) : IAsyncDisposable
{
    public WebSocket Socket => socket;

    public FrameTap Tap => tap;

    public ConnectionFacts Facts => facts;

    public async ValueTask DisposeAsync()
    {
        socket.Dispose();
        await tap.DisposeAsync().ConfigureAwait(false);
    }
}
