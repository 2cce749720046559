using System.Globalization;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using System.Threading.Channels;
using Wsdoctor.Client.AppProtocols;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

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
            view.Status(EventText.Connected(connection.Facts, settings.Render.ShowSecrets, settings.Render.Language));
            if (settings.App is { } app)
            {
                var driver = AppProtocol.Create(app);
                var why = settings.AppDetectedBecause is { } because ? T($" ({because}; --protocol none for raw messages)", $"（{because}；--protocol none 收发原始消息）") : Empty;
                view.Status([T($"  protocol:     {driver.Name}{why}", $"  应用协议：  {driver.Name}{why}").In(settings.Render.Language), T($"  input:        {driver.InputHint}", $"  输入：      {driver.InputHint}").In(settings.Render.Language)]);
            }

            var (end, userDone, protocolFailed) = await RunSessionAsync(connection, settings, view, input, received, ct).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            view.Status(EndLines(end, settings.Render.Language));
            if (!end.WorthReconnecting || userDone || settings.Reconnect is not { } policy)
            {
                // -x with --protocol: nothing was sent when the protocol's own handshake failed, so the run failed.
                return end.IsNormal && !protocolFailed ? ExitCodes.Ok : ExitCodes.Failure;
            }

            OpenFailure? last = null;
            OpenedConnection? next = null;
            for (var attempt = 1; next is null && policy.DelayBefore(attempt) is { } delay; attempt++)
            {
                var wait = delay.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                view.Status([T($"reconnecting in {wait} s (attempt {attempt} of {policy.MaxAttempts})", $"{wait} s 后重连（第 {attempt} 次，共 {policy.MaxAttempts} 次）").In(settings.Render.Language)]);
                await Task.Delay(delay, ct).ConfigureAwait(false);
                var result = await OpenAsync(settings, ct).ConfigureAwait(false);
                next = result.Connection;
                last = result.Failure;
                if (last is not null)
                {
                    view.Status([T($"attempt {attempt} failed: {last.Message}", $"第 {attempt} 次重连失败：{last.Message}").In(settings.Render.Language)]);
                }
            }

            if (next is null)
            {
                view.Status([T($"gave up after {policy.MaxAttempts} reconnect attempts", $"重连 {policy.MaxAttempts} 次后放弃").In(settings.Render.Language)]);
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
            return OpenResult.PastDeadline(settings.Open.Check.Deadline);
        }
    }

    private static async Task DiagnoseAsync(ConnectSettings settings, IConnectView view, OpenFailure failure, CancellationToken ct)
    {
        var report = await CheckRunner.RunAsync(settings.Open.Check with { NoFollowUpProbes = false }, ct).ConfigureAwait(false);
        view.Diagnosis(failure.Message, report);
    }

    private static async Task<(SessionEnd End, bool UserDone, bool ProtocolFailed)> RunSessionAsync(
        OpenedConnection connection, ConnectSettings settings, IConnectView view, ChannelReader<InputItem> input, StrongBox<int> received, CancellationToken ct)
    {
        // --max-messages counts over the whole run, reconnects included.
        var driver = settings.App is { } options ? AppProtocol.Create(options) : null;
        var sawFirst = 0;
        ClientSession? session = null;
        session = new ClientSession(connection, settings.Session, e =>
        {
            if (e is MessageEvent raw)
            {
                if (driver is not null && driver.Read(raw.Direction, raw.Type, raw.Data) is { Text: { } text } read)
                {
                    e = new AppMessageEvent(raw.At, raw.Direction, driver.Name, text, read.Housekeeping, raw);
                }
                else if (driver is null && raw.Direction == TapDirection.In && Interlocked.Exchange(ref sawFirst, 1) == 0 && AppHint(raw) is { } hint)
                {
                    view.Event(new NoteEvent(raw.At, hint.En, IsProblem: false) { Translated = hint });
                }
            }

            if (e is MessageEvent { Direction: TapDirection.In } or AppMessageEvent { Direction: TapDirection.In, Housekeeping: false } && settings.MaxMessages is { } max)
            {
                var count = Interlocked.Increment(ref received.Value);
                if (count > max)
                {
                    return;
                }

                view.Event(e);
                if (count == max)
                {
                    _ = CloseAsync(session!, driver, 1000, "", ct);
                }

                return;
            }

            view.Event(e);
        });

        var run = session.RunAsync(ct);
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var protocolTasks = Task.CompletedTask;
        if (driver is not null)
        {
            driver.Start(connection.Facts.Subprotocol);
            protocolTasks = Task.WhenAll(DrainAsync(driver, session, stopInput.Token), KeepAliveAsync(driver, session, stopInput.Token));
        }

        var app = new AppContext(session, driver, view);
        var driverTask = settings.Execute.Count > 0 || settings.ListenOnly
            ? ExecuteAsync(app, settings, run, stopInput.Token)
            : PumpAsync(app, settings, input, stopInput.Token);
        var end = await run.ConfigureAwait(false);
        driver?.Finish();
        await stopInput.CancelAsync().ConfigureAwait(false);
        var userDone = await driverTask.ConfigureAwait(false);
        await protocolTasks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return (end, userDone, app.ProtocolFailed);
    }

    /// <summary>What the user's input goes through: the session, and the protocol's driver when one is spoken.</summary>
    private sealed record AppContext(ClientSession Session, AppProtocolDriver? Driver, IConnectView View)
    {
        /// <summary>-x: the protocol's handshake was refused or did not complete, so nothing was sent.</summary>
        public bool ProtocolFailed { get; set; }

        /// <summary>A text line the user gave: as is, or encoded by the protocol (a line that does not fit is reported, not sent).</summary>
        public async Task SendTextAsync(string text, CancellationToken ct)
        {
            if (Driver is null)
            {
                await Session.SendTextAsync(text, ct).ConfigureAwait(false);
                return;
            }

            IReadOnlyList<AppOutgoing> messages;
            try
            {
                messages = Driver.Encode(text);
            }
            catch (FormatException ex)
            {
                var reason = ex is InputFormatException input ? input.Reason : Verbatim(ex.Message);
                View.Status([T($"! not sent: {reason}", $"! 没有发送：{reason}").In(LanguageOption.Current)]);
                return;
            }

            foreach (var message in messages)
            {
                await Session.SendAsync(message.Type, message.Data, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The driver's own messages (pongs, the handshake, subscriptions), in order, until the session ends.</summary>
    private static async Task DrainAsync(AppProtocolDriver driver, ClientSession session, CancellationToken ct)
    {
        try
        {
            await foreach (var message in driver.Outgoing.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await session.SendAsync(message.Type, message.Data, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The session ended; its end says how.
        }
    }

    private static async Task KeepAliveAsync(AppProtocolDriver driver, ClientSession session, CancellationToken ct)
    {
        if (driver.KeepAliveInterval is not { } interval)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                foreach (var message in driver.KeepAlive())
                {
                    await session.SendAsync(message.Type, message.Data, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The session ended; its end says how.
        }
    }

    /// <summary>The protocol's goodbye (MQTT and STOMP DISCONNECT), then the closing handshake.</summary>
    private static async Task CloseAsync(ClientSession session, AppProtocolDriver? driver, int code, string reason, CancellationToken ct)
    {
        try
        {
            foreach (var message in driver?.Goodbye() ?? [])
            {
                await session.SendAsync(message.Type, message.Data, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Closing anyway.
        }

        await session.CloseAsync(code, reason, ct).ConfigureAwait(false);
    }

    /// <summary>A raw connection whose first message shows an application protocol: the hint to speak it.</summary>
    private static Text? AppHint(MessageEvent first)
    {
        if (first.Type != WebSocketMessageType.Text)
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(first.Data);
        return Protocol.AppProtocols.EngineIo.ParseOpen(text) is not null
            ? T("this is Socket.IO's Engine.IO open packet: the server drops clients that do not answer its pings; wsdoctor connect --protocol socketio speaks it",
                "这是 Socket.IO 的 Engine.IO open 包：服务端会断开不回应其 ping 的客户端；用 wsdoctor connect --protocol socketio 可以按这个协议收发")
            : null;
    }

    /// <summary>-x: send each message (with --protocol, once the protocol's handshake is done), wait -w for replies (or
    /// until the server closes), then close normally.</summary>
    private static async Task<bool> ExecuteAsync(AppContext app, ConnectSettings settings, Task sessionRun, CancellationToken ct)
    {
        try
        {
            if (app.Driver is { } driver && !await HandshakeAsync(driver, app.View, settings.Open.Check.StepTimeout, ct).ConfigureAwait(false))
            {
                app.ProtocolFailed = true;
                await CloseAsync(app.Session, driver, 1000, "", ct).ConfigureAwait(false);
                return true;
            }

            foreach (var message in settings.Execute)
            {
                await app.SendTextAsync(message, ct).ConfigureAwait(false);
            }

            await Task.WhenAny(sessionRun, Task.Delay(settings.Wait, ct)).ConfigureAwait(false);
            await CloseAsync(app.Session, app.Driver, 1000, "", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The session ended under us; its end says why.
        }

        return true;
    }

    /// <summary>Waits, within --timeout, for the protocol's own handshake; false (and a line saying why) when it failed.</summary>
    private static async Task<bool> HandshakeAsync(AppProtocolDriver driver, IConnectView view, TimeSpan timeout, CancellationToken ct)
    {
        var done = await Task.WhenAny(driver.Ready, Task.Delay(timeout, ct)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (done != driver.Ready)
        {
            var seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            view.Status([T($"! the {driver.Name} handshake did not complete within {seconds} s (--timeout); nothing sent", $"! {driver.Name} 握手没有在 {seconds} s 内完成（--timeout）；什么也没有发送").In(LanguageOption.Current)]);
            return false;
        }

        if (await driver.Ready.ConfigureAwait(false) is { } refused)
        {
            view.Status([T($"! {refused}; nothing sent", $"! {refused}；什么也没有发送").In(LanguageOption.Current)]);
            return false;
        }

        return true;
    }

    private static async Task<bool> PumpAsync(AppContext app, ConnectSettings settings, ChannelReader<InputItem> input, CancellationToken ct)
    {
        var session = app.Session;
        try
        {
            while (true)
            {
                var item = await input.ReadAsync(ct).ConfigureAwait(false);
                switch (item)
                {
                    case InputItem.Send { Type: WebSocketMessageType.Text } send when app.Driver is not null:
                        await app.SendTextAsync(System.Text.Encoding.UTF8.GetString(send.Data), ct).ConfigureAwait(false);
                        break;
                    case InputItem.Send send:
                        await session.SendAsync(send.Type, send.Data, ct).ConfigureAwait(false);
                        break;
                    case InputItem.Ping ping:
                        await session.PingAsync(ping.Payload, ct).ConfigureAwait(false);
                        break;
                    case InputItem.Close close:
                        await CloseAsync(session, app.Driver, close.Code, close.Reason, ct).ConfigureAwait(false);
                        return true;
                    case InputItem.EndOfInput when settings.ExitOnEof && !settings.Interactive && settings.EofWait > TimeSpan.Zero:
                        // Bounded: the session ending cancels ct, which ends the wait at once.
                        await Task.Delay(settings.EofWait, ct).ConfigureAwait(false);
                        await CloseAsync(session, app.Driver, 1000, "", ct).ConfigureAwait(false);
                        return true;
                    case InputItem.EndOfInput when settings.Interactive || settings.ExitOnEof:
                    case InputItem.Quit:
                        await CloseAsync(session, app.Driver, 1000, "", ct).ConfigureAwait(false);
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

    public static IReadOnlyList<string> EndLines(SessionEnd end, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (end.Error is { } error)
        {
            return [.. CloseExplanation.Dropped(error).Select(t => t.In(language))];
        }

        if (end.WeClosed)
        {
            var reason = end.Reason.Length > 0 ? $" \"{end.Reason}\"" : "";
            var code = end.Code?.ToString(CultureInfo.InvariantCulture);
            return [T($"closed: the server confirmed with {code ?? "an empty Close"}{reason}", $"已关闭：服务端以 {code ?? "空的 Close"}{reason} 确认").In(language)];
        }

        return [.. CloseExplanation.Lines(CloseExplanation.Server, end.Code, end.Reason).Select(t => t.In(language))];
    }
}
