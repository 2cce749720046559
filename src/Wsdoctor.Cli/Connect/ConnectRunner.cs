using System.Globalization;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using System.Threading.Channels;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Cli.Connect;

/// <summary>The life of `wsdoctor connect`: open (or explain why not), run the session with its input, report how
/// it closed, and with --reconnect open again after a drop, within the backoff policy's attempts.</summary>
public static class ConnectRunner
{
    public static async Task<int> RunAsync(ConnectSettings settings, IConnectView view, ChannelReader<InputItem> input, CancellationToken ct)
    {
        var received = new StrongBox<int>();
        var opened = await OpenAsync(settings, ct).ConfigureAwait(false);
        if (opened.Connection is not { } connection)
        {
            await DiagnoseAsync(settings, view, opened.Failure!, ct).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        while (true)
        {
            view.Status(EventText.Connected(connection.Facts, settings.Render.ShowSecrets));
            var (end, userDone) = await RunSessionAsync(connection, settings, view, input, received, ct).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            view.Status(EndLines(end));
            if (!end.WorthReconnecting || userDone || settings.Reconnect is not { } policy)
            {
                return end.IsNormal ? ExitCodes.Ok : ExitCodes.Failure;
            }

            OpenFailure? last = null;
            OpenedConnection? next = null;
            for (var attempt = 1; next is null && policy.DelayBefore(attempt) is { } delay; attempt++)
            {
                view.Status([$"reconnecting in {delay.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s (attempt {attempt} of {policy.MaxAttempts})"]);
                await Task.Delay(delay, ct).ConfigureAwait(false);
                var result = await OpenAsync(settings, ct).ConfigureAwait(false);
                next = result.Connection;
                last = result.Failure;
                if (last is not null)
                {
                    view.Status([$"attempt {attempt} failed: {last.Message}"]);
                }
            }

            if (next is null)
            {
                view.Status([$"gave up after {policy.MaxAttempts} reconnect attempts"]);
                await DiagnoseAsync(settings, view, last!, ct).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            connection = next;
        }
    }

    /// <summary>One opening attempt, bounded by --deadline as a whole (each step also has --timeout).</summary>
    private static async Task<OpenResult> OpenAsync(ConnectSettings settings, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(settings.Open.Check.Deadline);
        try
        {
            return await Opener.OpenAsync(settings.Open, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return OpenResult.Fail(OpenStage.Connect, $"the connection did not open within the --deadline of {settings.Open.Check.Deadline.TotalSeconds:0.#} s");
        }
    }

    private static async Task DiagnoseAsync(ConnectSettings settings, IConnectView view, OpenFailure failure, CancellationToken ct)
    {
        var report = await CheckRunner.RunAsync(settings.Open.Check with { NoFollowUpProbes = false }, ct).ConfigureAwait(false);
        view.Diagnosis(failure.Message, report);
    }

    private static async Task<(SessionEnd End, bool UserDone)> RunSessionAsync(
        OpenedConnection connection, ConnectSettings settings, IConnectView view, ChannelReader<InputItem> input, StrongBox<int> received, CancellationToken ct)
    {
        // --max-messages counts over the whole run, reconnects included.
        ClientSession? session = null;
        session = new ClientSession(connection, settings.Session, e =>
        {
            if (e is MessageEvent { Direction: TapDirection.In } && settings.MaxMessages is { } max)
            {
                var count = Interlocked.Increment(ref received.Value);
                if (count > max)
                {
                    return;
                }

                view.Event(e);
                if (count == max)
                {
                    _ = session!.CloseAsync(1000, "", ct);
                }

                return;
            }

            view.Event(e);
        });

        var run = session.RunAsync(ct);
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var driver = settings.Execute.Count > 0
            ? ExecuteAsync(session, settings, run, stopInput.Token)
            : PumpAsync(session, settings, input, stopInput.Token);
        var end = await run.ConfigureAwait(false);
        await stopInput.CancelAsync().ConfigureAwait(false);
        var userDone = await driver.ConfigureAwait(false);
        return (end, userDone);
    }

    /// <summary>-x: send each message, wait -w for replies (or until the server closes), then close normally.</summary>
    private static async Task<bool> ExecuteAsync(ClientSession session, ConnectSettings settings, Task sessionRun, CancellationToken ct)
    {
        try
        {
            foreach (var message in settings.Execute)
            {
                await session.SendTextAsync(message, ct).ConfigureAwait(false);
            }

            await Task.WhenAny(sessionRun, Task.Delay(settings.Wait, ct)).ConfigureAwait(false);
            await session.CloseAsync(1000, "", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The session ended under us; its end says why.
        }

        return true;
    }

    private static async Task<bool> PumpAsync(ClientSession session, ConnectSettings settings, ChannelReader<InputItem> input, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var item = await input.ReadAsync(ct).ConfigureAwait(false);
                switch (item)
                {
                    case InputItem.Send send:
                        await session.SendAsync(send.Type, send.Data, ct).ConfigureAwait(false);
                        break;
                    case InputItem.Ping ping:
                        await session.PingAsync(ping.Payload, ct).ConfigureAwait(false);
                        break;
                    case InputItem.Close close:
                        await session.CloseAsync(close.Code, close.Reason, ct).ConfigureAwait(false);
                        return true;
                    case InputItem.EndOfInput when settings.ExitOnEof && !settings.Interactive && settings.EofWait > TimeSpan.Zero:
                        // Bounded: the session ending cancels ct, which ends the wait at once.
                        await Task.Delay(settings.EofWait, ct).ConfigureAwait(false);
                        await session.CloseAsync(1000, "", ct).ConfigureAwait(false);
                        return true;
                    case InputItem.EndOfInput when settings.Interactive || settings.ExitOnEof:
                    case InputItem.Quit:
                        await session.CloseAsync(1000, "", ct).ConfigureAwait(false);
                        return true;
                    case InputItem.EndOfInput:
                        // websocat's default: stdin ending does not end the conversation; the server may still talk.
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException or ObjectDisposedException or ChannelClosedException)
        {
            return false;
        }
    }

    public static IReadOnlyList<string> EndLines(SessionEnd end)
    {
        if (end.Error is { } error)
        {
            return CloseExplanation.Dropped(error);
        }

        if (end.WeClosed)
        {
            return [$"closed: the server confirmed with {end.Code?.ToString(CultureInfo.InvariantCulture) ?? "an empty Close"}{(end.Reason.Length > 0 ? $" \"{end.Reason}\"" : "")}"];
        }

        return CloseExplanation.Lines("the server", end.Code, end.Reason);
    }
}
