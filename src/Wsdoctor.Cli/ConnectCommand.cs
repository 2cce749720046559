using System.CommandLine;
using System.Threading.Channels;
using Wsdoctor.Cli.Connect;
using Wsdoctor.Client.AppProtocols;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Reconnect;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor connect URL</c>: an interactive (wscat-like) or scriptable (websocat-like) client that,
/// when the connection cannot be opened, says why instead of printing a bare error.</summary>
public static class ConnectCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var location = new Option<bool>("--location", "-L") { Description = "Follow 3xx redirects (browsers never do, so a redirect is otherwise a failure)" };
        var execute = new Option<string[]>("--execute", "-x") { Description = "Send this text message after connecting (repeatable), wait --wait, then close", Arity = ArgumentArity.ZeroOrMore };
        var wait = new Option<string?>("--wait", "-w") { Description = "With -x: how long to wait for replies before closing (default 2s)" };
        var maxMessages = new Option<int?>("--max-messages") { Description = "Close and exit after N received data messages" };
        var jsonl = new Option<bool>("--jsonl") { Description = "One JSON object per event on stdout: ts, dir, opcode, size, data" };
        var binary = new Option<bool>("--binary") { Description = "Pipe mode: send each input line as a binary message; write received binary messages raw" };
        var nullTerminated = new Option<bool>("--null-terminated") { Description = "Pipe mode: messages are separated by NUL bytes instead of newlines, both ways" };
        var exitOnEof = new Option<bool>("--exit-on-eof") { Description = "Pipe mode: close normally when stdin ends" };
        var showPingPong = new Option<bool>("--show-ping-pong", "-P") { Description = "Show every ping and pong frame, both ways" };
        var pingInterval = new Option<string?>("--ping-interval") { Description = "Send a ping this often and print the round-trip time, e.g. 5s" };
        var pingTimeout = new Option<string?>("--ping-timeout") { Description = "Drop the connection when a ping gets no pong within this time" };
        var reconnect = new Option<bool>("--reconnect") { Description = "Reconnect after the connection drops (exponential backoff with jitter)" };
        var maxAttempts = new Option<int?>("--reconnect-max-attempts") { Description = "Reconnect attempts before giving up (default 10)" };
        var maxDelay = new Option<string?>("--reconnect-max-delay") { Description = "Longest wait between reconnect attempts (default 30s)" };
        var compress = new Option<bool>("--compress") { Description = "Offer permessage-deflate compression" };
        var pretty = new Option<bool>("--pretty") { Description = "Indent JSON messages" };
        var protocol = new Option<string?>("--protocol") { Description = "Speak an application protocol: socketio | signalr | graphql (either GraphQL subprotocol) | graphql-ws | subscriptions-transport-ws | mqtt | stomp | none (default: from the URL and -s)" };
        var query = new Option<string[]>("--query") { Description = "GraphQL: an operation to subscribe to once the server acknowledged (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var variables = new Option<string?>("--variables") { Description = "GraphQL: variables for --query, a JSON object" };
        var topic = new Option<string[]>("--topic") { Description = "MQTT: a topic filter to subscribe to; STOMP: a destination (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("connect", "Open a WebSocket and talk to it: interactive on a terminal, line by line in a pipe");
        connection.AddTo(command);
        foreach (var option in new Option[] { location, execute, wait, maxMessages, jsonl, binary, nullTerminated, exitOnEof, showPingPong, pingInterval, pingTimeout, reconnect, maxAttempts, maxDelay, compress, pretty, protocol, query, variables, topic })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var check = connection.Read(result);
            if (result.GetValue(maxMessages) is < 1)
            {
                throw new UsageException("--max-messages must be at least 1");
            }

            if (result.GetValue(maxAttempts) is < 1 or > 1000)
            {
                throw new UsageException("--reconnect-max-attempts must be between 1 and 1000");
            }

            var (app, detected) = ReadProtocol(result.GetValue(protocol), result.GetValue(query) ?? [], result.GetValue(variables), result.GetValue(topic) ?? [], check);
            if (app is not null)
            {
                // The URL the protocol needs (Socket.IO's /socket.io/?EIO=4&transport=websocket) and its subprotocols.
                var offered = check.Subprotocols.Count > 0 ? check.Subprotocols : AppProtocol.Create(app).Subprotocols;
                check = check with { Url = AppProtocol.Url(app.Kind, check.Url), Subprotocols = offered };
            }

            // --query/--topic with -w and no -x: subscribe, listen -w, close (a script's way to watch a subscription).
            var listenOnly = app is { } a && (a.Queries.Count > 0 || a.Topics.Count > 0) && result.GetValue(wait) is not null && result.GetValue(execute) is not { Length: > 0 };
            var settings = new ConnectSettings
            {
                App = app,
                AppDetectedBecause = detected,
                Open = new OpenOptions { Check = check, Compress = result.GetValue(compress), FollowRedirects = result.GetValue(location) },
                Session = new SessionOptions
                {
                    PingInterval = result.GetValue(pingInterval) is { } pi ? DurationText.Parse(pi, "--ping-interval") : null,
                    PingTimeout = result.GetValue(pingTimeout) is { } pt ? DurationText.Parse(pt, "--ping-timeout") : null,
                    CloseTimeout = check.StepTimeout,
                },
                Render = new RenderOptions { ShowPingPong = result.GetValue(showPingPong), Pretty = result.GetValue(pretty), ShowSecrets = check.ShowSecrets },
                // The prompt needs a terminal on both sides; -x and --jsonl are for scripts even when run from one.
                Interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected && result.GetValue(execute) is not { Length: > 0 } && !result.GetValue(jsonl) && !listenOnly,
                ListenOnly = listenOnly,
                Jsonl = result.GetValue(jsonl),
                Binary = result.GetValue(binary),
                NullTerminated = result.GetValue(nullTerminated),
                ExitOnEof = result.GetValue(exitOnEof),
                Execute = result.GetValue(execute) ?? [],
                Wait = result.GetValue(wait) is { } w ? DurationText.Parse(w, "--wait") : TimeSpan.FromSeconds(2),
                EofWait = result.GetValue(wait) is { } ew && result.GetValue(exitOnEof) ? DurationText.Parse(ew, "--wait") : TimeSpan.Zero,
                MaxMessages = result.GetValue(maxMessages),
                Reconnect = result.GetValue(reconnect)
                    ? new BackoffPolicy(result.GetValue(maxAttempts) ?? 10, TimeSpan.FromMilliseconds(500),
                        result.GetValue(maxDelay) is { } md ? DurationText.Parse(md, "--reconnect-max-delay") : TimeSpan.FromSeconds(30), Random.Shared)
                    : null,
            };
            if (settings.Session.PingTimeout is not null && settings.Session.PingInterval is null)
            {
                throw new UsageException("--ping-timeout needs --ping-interval");
            }

            if (result.GetValue(wait) is not null && settings.Execute.Count == 0 && !settings.ExitOnEof && !settings.ListenOnly)
            {
                throw new UsageException("--wait goes with -x/--execute, --exit-on-eof, or --query/--topic");
            }

            return await RunAsync(settings, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static (AppProtocolOptions? App, string? Detected) ReadProtocol(string? name, string[] queries, string? variables, string[] topics, Probes.CheckOptions check)
    {
        AppProtocolKind? kind;
        string? detected = null;
        try
        {
            kind = name is null ? null : AppProtocol.Parse(name);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        Uri.TryCreate(check.Url, UriKind.Absolute, out var uri);
        if (name is null && uri is not null && AppProtocol.Detect(uri, check.Subprotocols) is { } found)
        {
            (kind, detected) = (found.Kind, found.Why);
        }

        var graphql = kind is AppProtocolKind.Graphql or AppProtocolKind.GraphqlTransportWs or AppProtocolKind.GraphqlLegacy;
        if ((queries.Length > 0 || variables is not null) && !graphql)
        {
            throw new UsageException("--query and --variables go with --protocol graphql, graphql-ws or subscriptions-transport-ws");
        }

        if (topics.Length > 0 && kind is not (AppProtocolKind.Mqtt or AppProtocolKind.Stomp))
        {
            throw new UsageException("--topic goes with --protocol mqtt or stomp");
        }

        var vars = variables is null ? null
            : AppProtocol.ParseJson(variables) as System.Text.Json.Nodes.JsonObject ?? throw new UsageException("--variables must be a JSON object, e.g. '{\"from\":3}'");
        return kind is { } k
            ? (new AppProtocolOptions { Kind = k, Queries = queries, Variables = vars, Topics = topics, Host = uri?.Host ?? "localhost" }, detected)
            : (null, null);
    }

    private static async Task<int> RunAsync(ConnectSettings settings, CancellationToken ct)
    {
        var input = Channel.CreateBounded<InputItem>(new BoundedChannelOptions(64) { SingleReader = true });
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(ct);
        IConnectView view;
        TerminalView? terminal = null;
        if (settings.Interactive)
        {
            terminal = new TerminalView(settings, Console.Out);
            view = terminal;
        }
        else
        {
            view = new PipeView(settings, Console.OpenStandardOutput(), Console.Error);
        }

        try
        {
            return await RunWithInputAsync(settings, view, terminal, input, stopInput.Token, ct).ConfigureAwait(false);
        }
        catch (Probes.CheckUsageException ex)
        {
            throw new UsageException(ex.Message);
        }
        finally
        {
            terminal?.Finish();
            await stopInput.CancelAsync().ConfigureAwait(false);
        }
    }

    private static Task<int> RunWithInputAsync(ConnectSettings settings, IConnectView view, TerminalView? terminal, Channel<InputItem> input, CancellationToken inputToken, CancellationToken ct)
    {
        if (terminal is not null)
        {
            terminal.StartKeyboard(input.Writer, inputToken);
        }
        else if (settings.Execute.Count == 0)
        {
            PipeInput.Start(Console.OpenStandardInput(), settings, input.Writer, inputToken);
        }

        return ConnectRunner.RunAsync(settings, view, input.Reader, ct);
    }
}
