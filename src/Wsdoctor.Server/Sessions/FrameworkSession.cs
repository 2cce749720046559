using System.Net.WebSockets;
using System.Threading.Channels;
using Wsdoctor.Server.Observability;

namespace Wsdoctor.Server.Sessions;

/// <summary>A session on System.Net.WebSockets (permessage-deflate): a receive loop
/// (<c>FrameworkSession.Receive.cs</c>) that reassembles messages and hands them to the mode, and a writer
/// (<c>FrameworkSession.Send.cs</c>) that drains a bounded queue, so no sender ever waits on another client's
/// socket.</summary>
public sealed partial class FrameworkSession : Session
{
    private readonly WebSocket socket;
    private readonly SessionLimits limits;
    private readonly Channel<Outgoing> queue;
    private readonly CancellationTokenSource abort = new();

    public FrameworkSession(long id, WebSocket socket, SessionLimits limits, ServerMetrics metrics)
        : base(id, limits, metrics)
    {
        this.socket = socket;
        this.limits = limits;
        queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(limits.SendQueue)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public override bool TryEnqueue(Outgoing message) => queue.Writer.TryWrite(message);

    public override async ValueTask<bool> EnqueueAsync(Outgoing message, CancellationToken ct)
    {
        // Echo is the only caller, with a message of this session's own receive loop: an array of its own
        // (FrameworkSession.Receive.cs), which the queue may keep as it is.
        while (await queue.Writer.WaitToWriteAsync(ct).ConfigureAwait(false))
        {
            if (queue.Writer.TryWrite(message))
            {
                return true;
            }
        }

        return false;
    }

    private protected override void OnCloseDecided()
    {
        queue.Writer.TryComplete();

        // Bounds the whole closing: a peer that never answers our close frame, or never reads, is cut off.
        abort.CancelAfter(limits.CloseTimeout);
    }

    private protected override void Cut() => abort.Cancel();

    public override async Task<CloseDecision> RunAsync(IMessageSink sink, Func<Outgoing, string?>? firstMessageAuth, CancellationToken ct)
    {
        using var link = ct.Register(() => abort.Cancel());
        var writer = Task.Run(() => SendLoopAsync(abort.Token), CancellationToken.None);
        try
        {
            await ReceiveLoopAsync(sink, firstMessageAuth, abort.Token).ConfigureAwait(false);
        }
        finally
        {
            queue.Writer.TryComplete();

            // Unless a close handshake is under way, the writer may be blocked on a send that never finishes.
            if (socket.State is not (WebSocketState.CloseReceived or WebSocketState.Closed))
            {
                abort.Cancel();
            }

            await writer.ConfigureAwait(false);
        }

        return Decision ?? new CloseDecision(CloseDecision.Abnormal, "connection lost", CloseDecision.ByClient);
    }
}
