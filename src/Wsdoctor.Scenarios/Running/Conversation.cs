using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Scenarios.Matching;

namespace Wsdoctor.Scenarios.Running;

/// <summary>An open connection as the steps see it: the session's events sorted into what is waiting to be
/// consumed (data messages in order, pings and pongs from the server) and how the connection ended. One reader
/// (the scenario's task); the session writes from its own tasks through an unbounded channel.</summary>
internal sealed class Conversation : IAsyncDisposable
{
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly long _origin;
    private readonly int _maxBuffered;
    private readonly Task<SessionEnd> _run;

    public Conversation(OpenedConnection connection, TimeSpan closeTimeout, long origin, int maxBuffered)
    {
        _origin = origin;
        _maxBuffered = maxBuffered;
        Session = new ClientSession(connection, new SessionOptions { CloseTimeout = closeTimeout }, e => _events.Writer.TryWrite(e));
        _run = RunAsync();
    }

    public ClientSession Session { get; }

    public Queue<ReceivedMessage> Messages { get; } = new();

    /// <summary>Pings the server sent that no expect-ping has taken yet.</summary>
    public int Pings { get; set; }

    /// <summary>Pong payloads (hex) that no expect-pong has taken yet.</summary>
    public List<string> Pongs { get; } = [];

    /// <summary>The server's Close frame, once it arrived.</summary>
    public CloseEvent? ServerClose { get; private set; }

    /// <summary>Set when the session is over (closed either way or dropped).</summary>
    public SessionEnd? End { get; private set; }

    /// <summary>The last data message a step consumed (what capture: reads).</summary>
    public ReceivedMessage? Last { get; set; }

    public bool Overflowed { get; private set; }

    public bool IsOpen => End is null && ServerClose is null;

    /// <summary>Takes what has arrived into the buffers, waiting until <paramref name="until"/> (a Stopwatch
    /// timestamp) for something; false when nothing came in time or the session is over (then <see cref="End"/> is
    /// set).</summary>
    public async Task<bool> PumpAsync(long until, CancellationToken ct)
    {
        while (true)
        {
            if (Drain())
            {
                return true;
            }

            if (_events.Reader.Completion.IsCompleted)
            {
                End ??= await _run.ConfigureAwait(false);
                return false;
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(left);
            try
            {
                await _events.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary>Waits (bounded) for the session to finish, e.g. after our Close.</summary>
    public async Task<SessionEnd?> WaitEndAsync(TimeSpan timeout, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (End is null && await PumpAsync(until, ct).ConfigureAwait(false))
        {
        }

        return End;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await ((Task)_run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task<SessionEnd> RunAsync()
    {
        try
        {
            return await Session.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            return new SessionEnd(null, "", WeClosed: true, Error: null);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private bool Drain()
    {
        var any = false;
        while (_events.Reader.TryRead(out var e))
        {
            any = true;
            Sort(e);
        }

        return any;
    }

    private void Sort(SessionEvent e)
    {
        switch (e)
        {
            case MessageEvent { Direction: TapDirection.In } message:
                if (Messages.Count >= _maxBuffered)
                {
                    Overflowed = true;
                    return;
                }

                Messages.Enqueue(new ReceivedMessage(message.Type == WebSocketMessageType.Text, message.Data, Stopwatch.GetElapsedTime(_origin)));
                break;
            case ControlEvent { Direction: TapDirection.In, Opcode: Opcode.Ping }:
                Pings++;
                break;
            case ControlEvent { Direction: TapDirection.In, Opcode: Opcode.Pong } pong:
                Pongs.Add(Convert.ToHexString(pong.Payload));
                break;
            case CloseEvent { Direction: TapDirection.In } close:
                ServerClose ??= close;
                break;
        }
    }
}
