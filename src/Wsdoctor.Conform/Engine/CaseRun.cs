using System.Net.Sockets;
using System.Threading.Channels;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Conform.Engine;

/// <summary>One case on one open connection, the way Autobahn runs it: the case script sends (possibly broken)
/// frames and states what it expects; a receive pump records every message, ping and pong, answers pings, answers
/// and completes close handshakes, and fails the connection on any protocol violation by the peer. When what was
/// received matches the OK expectation and the fuzzer is to close, it closes at once, so a conforming peer finishes
/// a case in milliseconds and the timeouts only bound the misbehaving ones. <c>CaseRun.Send.cs</c> holds the sending
/// side, <c>CaseRun.Grade.cs</c> the grading.</summary>
public sealed partial class CaseRun : IAsyncDisposable
{
    /// <summary>How long the closing side waits for the other end after the close frames (Autobahn: 1 s).</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private const long MaxMessageBytes = 64L * 1024 * 1024;

    private readonly Socket socket;
    private readonly FuzzerRole role;
    private readonly FrameReader reader;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly Lock gate = new();
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<Observation> messages = Channel.CreateUnbounded<Observation>();
    private readonly CancellationToken ct;
    private readonly RawDeflate? compressor;
    private readonly RawDeflate? decompressor;
    private readonly byte[] leftover;
    private Task? pump;

    private bool closeSent;
    private bool closeReceived;
    private bool? closedByMe;
    private bool wasClean;
    private bool droppedByMe;
    private bool tcpClosed;
    private int? remoteCloseCode;
    private string? remoteCloseReason;
    private int? localCloseCode;
    private string? peerViolation;
    private string? forcedBehavior;
    private string? forcedResult;

    internal CaseRun(OpenedConnection connection, FuzzerRole role, CancellationToken ct)
    {
        socket = connection.Socket;
        socket.NoDelay = true;
        this.role = role;
        this.ct = ct;
        leftover = connection.Leftover;
        Deflate = connection.Deflate;
        reader = new FrameReader(new FrameReaderOptions
        {
            ExpectMaskedFrames = role == FuzzerRole.Server,
            PerMessageDeflate = connection.Deflate is not null,
            MaxMessageBytes = MaxMessageBytes,
        });
        if (connection.Deflate is { } agreement)
        {
            compressor = agreement.CreateCompressor(role == FuzzerRole.Client);
            decompressor = agreement.CreateDecompressor(role == FuzzerRole.Client);
        }
    }

    public WireLog Log { get; } = new();

    /// <summary>What the case accepts, by grade (OK, NON-STRICT): the exact list of observations.</summary>
    public Dictionary<string, List<Observation>> Expected { get; } = [];

    public ExpectedClose ExpectedClose { get; set; } = ExpectedClose.Normal;

    /// <summary>Autobahn's suppressClose: the case closes (badly) on purpose, so a match does not trigger our close.</summary>
    public bool SuppressClose { get; set; }

    /// <summary>Off for the performance cases: thousands of echoes are counted by the case, not listed.</summary>
    public bool RecordReceived { get; set; } = true;

    /// <summary>Off for the performance cases: frames are not written to the wire log one by one.</summary>
    public bool LogFrames { get; set; } = true;

    public List<Observation> Received { get; } = [];

    public DeflateAgreement? Deflate { get; }

    /// <summary>Neither side has sent a Close frame and TCP is up (Autobahn's STATE_OPEN).</summary>
    public bool IsOpen
    {
        get
        {
            lock (gate)
            {
                return !closeSent && !closeReceived && !tcpClosed;
            }
        }
    }

    public bool IsFinished => finished.Task.IsCompleted;

    public CancellationToken Token => ct;

    internal void Start()
    {
        pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>The case grades itself (performance and compression cases, informational cases).</summary>
    public void Verdict(string behavior, string result)
    {
        forcedBehavior = behavior;
        forcedResult = result;
    }

    /// <summary>Records a marker such as ("timeout", "A") in the received list.</summary>
    public void Mark(string mark)
    {
        lock (gate)
        {
            Received.Add(Observation.Timeout(mark));
        }

        Log.Add("--", $"timeout {mark}: the connection is still open");
    }

    /// <summary>Waits, but not past the end of the connection; true when it is still open afterwards.</summary>
    public async Task<bool> PauseAsync(TimeSpan time)
    {
        await Task.WhenAny(finished.Task, Task.Delay(time, ct)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return IsOpen;
    }

    /// <summary>The next data message (the performance cases read echoes one by one); null on timeout or close.</summary>
    public async Task<Observation?> NextMessageAsync(TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return await messages.Reader.ReadAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            ct.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Autobahn's killAfter: if the connection is not over after <paramref name="time"/>, drop TCP.</summary>
    public async Task KillAfterAsync(TimeSpan time)
    {
        if (!await WaitFinishedAsync(time).ConfigureAwait(false))
        {
            Log.Add("--", $"not closed after {time.TotalMilliseconds:0} ms: dropping TCP");
            Drop();
        }

        await WaitFinishedAsync(CloseTimeout).ConfigureAwait(false);
    }

    /// <summary>Autobahn's closeAfter: if the connection is not over after <paramref name="time"/>, start the
    /// closing handshake (1000), and drop TCP if it does not complete.</summary>
    public async Task CloseAfterAsync(TimeSpan time)
    {
        if (await WaitFinishedAsync(time).ConfigureAwait(false))
        {
            return;
        }

        await SendCloseAsync(1000).ConfigureAwait(false);
        if (!await WaitFinishedAsync(CloseTimeout).ConfigureAwait(false))
        {
            Log.Add("--", "closing handshake did not complete: dropping TCP");
            Drop();
            await WaitFinishedAsync(CloseTimeout).ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitFinishedAsync(TimeSpan time)
    {
        await Task.WhenAny(finished.Task, Task.Delay(time, ct)).ConfigureAwait(false);
        return finished.Task.IsCompleted;
    }

    /// <summary>Ends the case: drops the connection if it is still up and waits for the pump.</summary>
    internal async Task FinishAsync()
    {
        if (!finished.Task.IsCompleted)
        {
            Drop();
        }

        if (pump is not null)
        {
            await pump.WaitAsync(CloseTimeout, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[256 * 1024];
        var events = new List<FrameEvent>();
        try
        {
            if (leftover.Length > 0)
            {
                reader.Consume(leftover, events);
                await HandleAsync(events).ConfigureAwait(false);
            }

            // Bounded: every pass consumes bytes from the peer; the connection ends by EOF, reset or our drop.
            while (true)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(buffer, SocketFlags.None, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    break;
                }

                if (reader.IsFaulted)
                {
                    continue;
                }

                reader.Consume(buffer.AsSpan(0, read), events);
                await HandleAsync(events).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (gate)
            {
                tcpClosed = true;

                // A peer that hangs up before any Close frame has ended the connection itself (Autobahn counts it
                // so); only a connection the fuzzer dropped without a Close frame has no closing side.
                if (closedByMe is null && !droppedByMe)
                {
                    closedByMe = false;
                }
            }

            Log.Add("--", droppedByMe ? "TCP connection closed (by the fuzzer)" : "TCP connection closed by the peer");
            messages.Writer.TryComplete();
            finished.TrySetResult();
        }
    }

    private async Task HandleAsync(List<FrameEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case MessageReceived message:
                    await OnMessageAsync(message).ConfigureAwait(false);
                    break;
                case PingReceived ping:
                    Log.Add("rx", $"PING {Observation.Preview(ping.Payload, true)}");
                    Record(Observation.Ping(ping.Payload));
                    if (!closeSent)
                    {
                        await SendControlAsync(Opcode.Pong, ping.Payload).ConfigureAwait(false);
                    }

                    break;
                case PongReceived pong:
                    Log.Add("rx", $"PONG {Observation.Preview(pong.Payload, true)}");
                    Record(Observation.Pong(pong.Payload));
                    await FinishWhenDoneAsync().ConfigureAwait(false);
                    break;
                case CloseReceived close:
                    await OnCloseAsync(close).ConfigureAwait(false);
                    break;
                case ProtocolViolation violation:
                    await OnViolationAsync(violation.Description, violation.Kind == ViolationKind.InvalidUtf8 ? 1007 : 1002).ConfigureAwait(false);
                    break;
            }
        }

        events.Clear();
    }

    private async Task OnMessageAsync(MessageReceived message)
    {
        var payload = message.Payload;
        if (message.Compressed)
        {
            if (decompressor?.DecompressMessage(payload, MaxMessageBytes) is not { } inflated)
            {
                await OnViolationAsync("a compressed message is not valid DEFLATE data (RFC 7692 7.2.2)", 1002).ConfigureAwait(false);
                return;
            }

            if (message.Opcode == Opcode.Text && !System.Text.Unicode.Utf8.IsValid(inflated))
            {
                await OnViolationAsync("a compressed Text message is not valid UTF-8 once inflated (RFC 6455 8.1)", 1007).ConfigureAwait(false);
                return;
            }

            payload = inflated;
        }

        var binary = message.Opcode == Opcode.Binary;
        if (LogFrames)
        {
            Log.Add("rx", $"{(binary ? "BINARY" : "TEXT")} message in {message.FrameCount} frame(s){(message.Compressed ? $", compressed {message.Payload.Length} bytes" : "")}: {payload.Length} bytes {Observation.Preview(payload, !binary)}");
        }

        var observation = Observation.Message(payload, binary);
        if (RecordReceived)
        {
            Record(observation);
        }

        messages.Writer.TryWrite(observation);
        await FinishWhenDoneAsync().ConfigureAwait(false);
    }

    private void Record(Observation observation)
    {
        lock (gate)
        {
            Received.Add(observation);
        }
    }

    private async Task OnCloseAsync(CloseReceived close)
    {
        Log.Add("rx", $"CLOSE {(close.Code is { } c ? $"code {c}" : "without code")}{(close.Reason.Length > 0 ? $" reason \"{close.Reason}\"" : "")}");
        bool reply;
        lock (gate)
        {
            if (closeReceived)
            {
                return;
            }

            closeReceived = true;
            remoteCloseCode = close.Code;
            remoteCloseReason = close.Reason;
            reply = !closeSent;
            if (reply)
            {
                closedByMe = false;
            }
        }

        if (reply)
        {
            // RFC 6455 5.5.1: answer with a Close frame, typically echoing the status code received.
            await WriteCloseAsync(close.Code, close.Code is null ? [] : System.Text.Encoding.UTF8.GetBytes(""), isReply: true).ConfigureAwait(false);
        }

        lock (gate)
        {
            wasClean = true;
        }

        EndTcpAfterClose();
    }

    /// <summary>RFC 6455 7.1.1: after the closing handshake the server closes TCP first; a client waits for it.</summary>
    private void EndTcpAfterClose()
    {
        if (role == FuzzerRole.Server)
        {
            Drop();
            return;
        }

        _ = Task.Run(async () =>
        {
            if (!await WaitFinishedAsync(CloseTimeout).ConfigureAwait(false))
            {
                Log.Add("--", $"the server did not close TCP within {CloseTimeout.TotalSeconds:0} s of the closing handshake: dropping it");
                Drop();
            }
        }, CancellationToken.None);
    }

    private async Task OnViolationAsync(string description, int code)
    {
        peerViolation ??= description;
        Log.Add("rx", $"protocol violation: {description}");
        await SendCloseAsync(code).ConfigureAwait(false);
        Drop();
    }

    /// <summary>Autobahn's finishWhenDone: once the OK expectation is met and the fuzzer is the one to close, close.</summary>
    private async Task FinishWhenDoneAsync()
    {
        if (SuppressClose || !ExpectedClose.ClosedByMe || closeSent || !Expected.TryGetValue(Grades.Ok, out var ok))
        {
            return;
        }

        bool matched;
        lock (gate)
        {
            matched = Observation.SameSequence(Received, ok);
        }

        if (matched)
        {
            await SendCloseAsync(ExpectedClose.Codes[0]).ConfigureAwait(false);
        }
    }

    /// <summary>Cuts the TCP connection now (FIN; pending data is still delivered).</summary>
    public void Drop()
    {
        lock (gate)
        {
            if (tcpClosed || droppedByMe)
            {
                return;
            }

            droppedByMe = true;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        compressor?.Dispose();
        decompressor?.Dispose();
        sendLock.Dispose();
        socket.Dispose();
    }
}
