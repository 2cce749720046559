using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Watch.Analysis;

namespace Wsdoctor.Watch.Engine;

/// <summary>One connection of the watch, held until it drops or the watch ends: the session (with --ping-interval),
/// the --send/--every loop, and the bookkeeping that classifies the end (age, silence, what moved).</summary>
internal sealed class WatchedConnection(OpenedConnection connection, int number, WatchOptions options, Action<Func<DateTimeOffset, TimeSpan, WatchEvent>> emit, SummaryBuilder summary)
{
    private const int ShownTextChars = 200;

    private readonly long openedAt = Stopwatch.GetTimestamp();
    private long lastFrameAt = Stopwatch.GetTimestamp();
    private int pingsSent;
    private int pongs;
    private int serverPings;
    private int messagesIn;
    private int messagesOut;
    private volatile bool noPong;

    private TimeSpan Age => Stopwatch.GetElapsedTime(openedAt);

    /// <summary>The drop, or null when the watch ended first (the connection is then closed normally).</summary>
    public async Task<Drop?> RunAsync(CancellationToken watchEnd)
    {
        var sessionOptions = new SessionOptions
        {
            PingInterval = options.PingInterval,
            PingTimeout = options.PingInterval is null ? null : options.PingTimeout,
            CloseTimeout = options.Open.Check.StepTimeout,
        };

        // The session has a token of its own: the end of the watch closes it with a Close frame instead of cutting it.
        using var sessionStop = new CancellationTokenSource();
        var session = new ClientSession(connection, sessionOptions, OnEvent);
        var run = session.RunAsync(sessionStop.Token);
        using var senderStop = CancellationTokenSource.CreateLinkedTokenSource(watchEnd);
        var sender = options.Send is { } text && options.SendEvery is { } every ? SendLoopAsync(session, text, every, senderStop.Token) : Task.CompletedTask;
        try
        {
            var ended = await Task.WhenAny(run, Task.Delay(Timeout.Infinite, watchEnd)).ConfigureAwait(false);
            if (ended != run)
            {
                await CloseAsync(session, run).ConfigureAwait(false);
                return null;
            }

            var end = await run.ConfigureAwait(false);
            return end.WeClosed && end.Error is null ? null : Classify(end);
        }
        finally
        {
            await senderStop.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await sessionStop.CancelAsync().ConfigureAwait(false);
            await ((Task)run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The watch is over: 1000, then at most --timeout for the server's Close (the session aborts after it).</summary>
    private async Task CloseAsync(ClientSession session, Task<SessionEnd> run)
    {
        using var step = new CancellationTokenSource(options.Open.Check.StepTimeout);
        try
        {
            await session.CloseAsync(1000, "watch ended", step.Token).ConfigureAwait(false);
            await run.WaitAsync(options.Open.Check.StepTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Left to the finally: the session is cancelled and the socket disposed.
        }
    }

    private Drop Classify(SessionEnd end)
    {
        var age = Age.TotalSeconds;
        var silent = Stopwatch.GetElapsedTime(Interlocked.Read(ref lastFrameAt)).TotalSeconds;
        var kind = noPong ? DropKind.NoPong : end.Code is not null || end.Error is null ? DropKind.Close : end.Reset ? DropKind.Reset : DropKind.Fin;
        var heartbeats = options.PingInterval is not null || (options.Send is not null && options.SendEvery is not null);
        var drop = new Drop(number, "", kind, end.Code, end.Reason, age, Math.Min(silent, age), heartbeats,
            pingsSent, pongs, serverPings, messagesIn, messagesOut, end.Error ?? "");
        return DropClassifier.Classify(drop);
    }

    private async Task SendLoopAsync(ClientSession session, string text, TimeSpan every, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await session.SendTextAsync(text, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection ended; the session's end says how.
        }
    }

    private void OnEvent(SessionEvent e)
    {
        switch (e)
        {
            case ControlEvent { Opcode: Opcode.Pong, Direction: TapDirection.In, RttMs: { } rtt }:
                Interlocked.Increment(ref pongs);
                summary.Rtt(rtt);
                emit((now, elapsed) => new RttEvent(now, elapsed, rtt));
                break;
            case ControlEvent { Opcode: Opcode.Ping, Direction: TapDirection.Out }:
                Interlocked.Increment(ref pingsSent);
                break;
            case ControlEvent { Opcode: Opcode.Ping, Direction: TapDirection.In }:
                Interlocked.Increment(ref serverPings);
                break;
            case MessageEvent m:
                Interlocked.Increment(ref m.Direction == TapDirection.In ? ref messagesIn : ref messagesOut);
                var shown = m.Type == WebSocketMessageType.Text ? Shorten(Encoding.UTF8.GetString(m.Data)) : null;
                emit((now, elapsed) => new MessageWatchEvent(now, elapsed, m.Direction == TapDirection.In, m.Data.Length, shown));
                break;
            case NoteEvent { IsProblem: true } note when note.Text.StartsWith("no pong", StringComparison.Ordinal):
                noPong = true;
                break;
        }

        if (e is ControlEvent or MessageEvent)
        {
            Interlocked.Exchange(ref lastFrameAt, Stopwatch.GetTimestamp());
        }
    }

    private static string Shorten(string text) => text.Length <= ShownTextChars ? text : text[..ShownTextChars] + "…";
}
