using System.CommandLine;
using System.Threading.Channels;
using Wsdoctor.Cli.Connect;
using Wsdoctor.Client.AppProtocols;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Reconnect;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor connect URL</c>: an interactive (wscat-like) or scriptable (websocat-like) client that,
/// when the connection cannot be opened, says why instead of printing a bare error.</summary>
public static class ConnectCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var location = new Option<bool>("--location", "-L") { Description = H("Follow 3xx redirects (browsers never do, so a redirect is otherwise a failure)", "跟随 3xx 重定向（浏览器从不跟随，所以不加此项时重定向算作失败）") };
        var execute = new Option<string[]>("--execute", "-x") { Description = H("Send this text message after connecting (repeatable), wait --wait, then close", "连接后发送这条文本消息（可重复），等待 --wait 后关闭"), Arity = ArgumentArity.ZeroOrMore };
        var wait = new Option<string?>("--wait", "-w") { Description = H("With -x: how long to wait for replies before closing (default 2s)", "配合 -x：关闭前等待回复的时长（默认 2s）") };
        var maxMessages = new Option<int?>("--max-messages") { Description = H("Close and exit after N received data messages", "收到 N 条数据消息后关闭并退出") };
        var jsonl = new Option<bool>("--jsonl") { Description = H("One JSON object per event on stdout: ts, dir, opcode, size, data", "每个事件在 stdout 上输出一个 JSON 对象：ts、dir、opcode、size、data") };
        var binary = new Option<bool>("--binary") { Description = H("Pipe mode: send each input line as a binary message; write received binary messages raw", "管道模式：每行输入作为一条二进制消息发送；收到的二进制消息原样写出") };
        var nullTerminated = new Option<bool>("--null-terminated") { Description = H("Pipe mode: messages are separated by NUL bytes instead of newlines, both ways", "管道模式：收发两个方向都用 NUL 字节而不是换行来分隔消息") };
        var exitOnEof = new Option<bool>("--exit-on-eof") { Description = H("Pipe mode: close normally when stdin ends", "管道模式：stdin 结束时正常关闭连接") };
        var showPingPong = new Option<bool>("--show-ping-pong", "-P") { Description = H("Show every ping and pong frame, both ways", "显示两个方向上的每个 ping 帧和 pong 帧") };
        var pingInterval = new Option<string?>("--ping-interval") { Description = H("Send a ping this often and print the round-trip time, e.g. 5s", "按这个间隔发送 ping 并打印往返时间，例如 5s") };
        var pingTimeout = new Option<string?>("--ping-timeout") { Description = H("Drop the connection when a ping gets no pong within this time", "ping 在这段时间内没等到 pong 就断开连接") };
        var reconnect = new Option<bool>("--reconnect") { Description = H("Reconnect after the connection drops (exponential backoff with jitter)", "连接断开后自动重连（带抖动的指数退避）") };
        var maxAttempts = new Option<int?>("--reconnect-max-attempts") { Description = H("Reconnect attempts before giving up (default 10)", "放弃前最多重连几次（默认 10）") };
        var maxDelay = new Option<string?>("--reconnect-max-delay") { Description = H("Longest wait between reconnect attempts (default 30s)", "两次重连之间的最长等待（默认 30s）") };
        var compress = new Option<bool>("--compress") { Description = H("Offer permessage-deflate compression", "请求启用 permessage-deflate 压缩") };
        var pretty = new Option<bool>("--pretty") { Description = H("Indent JSON messages", "缩进显示 JSON 消息") };
        var protocol = new Option<string?>("--protocol") { Description = H("Speak an application protocol: socketio | signalr | graphql (either GraphQL subprotocol) | graphql-ws | subscriptions-transport-ws | mqtt | stomp | none (default: from the URL and -s)", "使用一种应用层协议：socketio | signalr | graphql（两种 GraphQL 子协议均可）| graphql-ws | subscriptions-transport-ws | mqtt | stomp | none（默认：根据 URL 和 -s 判断）") };
        var query = new Option<string[]>("--query") { Description = H("GraphQL: an operation to subscribe to once the server acknowledged (repeatable)", "GraphQL：服务端确认后要订阅的操作（可重复）"), Arity = ArgumentArity.ZeroOrMore };
        var variables = new Option<string?>("--variables") { Description = H("GraphQL: variables for --query, a JSON object", "GraphQL：--query 的变量，一个 JSON 对象") };
        var topic = new Option<string[]>("--topic") { Description = H("MQTT: a topic filter to subscribe to; STOMP: a destination (repeatable)", "MQTT：要订阅的主题过滤器；STOMP：目的地（可重复）"), Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("connect", H("Open a WebSocket and talk to it: interactive on a terminal, line by line in a pipe", "打开一个 WebSocket 并与它对话：在终端里交互式使用，在管道里逐行收发"));
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
                throw new UsageException(T("--max-messages must be at least 1", "--max-messages 必须至少为 1"));
            }

            if (result.GetValue(maxAttempts) is < 1 or > 1000)
            {
                throw new UsageException(T("--reconnect-max-attempts must be between 1 and 1000", "--reconnect-max-attempts 必须在 1 到 1000 之间"));
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
                Render = new RenderOptions { ShowPingPong = result.GetValue(showPingPong), Pretty = result.GetValue(pretty), ShowSecrets = check.ShowSecrets, Language = LanguageOption.Current },
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
                throw new UsageException(T("--ping-timeout needs --ping-interval", "--ping-timeout 需要配合 --ping-interval 使用"));
            }

            if (result.GetValue(wait) is not null && settings.Execute.Count == 0 && !settings.ExitOnEof && !settings.ListenOnly)
            {
                throw new UsageException(T("--wait goes with -x/--execute, --exit-on-eof, or --query/--topic", "--wait 要与 -x/--execute、--exit-on-eof 或 --query/--topic 一起使用"));
            }

            return await RunAsync(settings, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static (AppProtocolOptions? App, Wsdoctor.Findings.Text? Detected) ReadProtocol(string? name, string[] queries, string? variables, string[] topics, Probes.CheckOptions check)
    {
        AppProtocolKind? kind = null;
        Wsdoctor.Findings.Text? detected = null;
        if (name is not null && !AppProtocol.TryParse(name, out kind, out var error))
        {
            throw new UsageException(error);
        }

        Uri.TryCreate(check.Url, UriKind.Absolute, out var uri);
        if (name is null && uri is not null && AppProtocol.Detect(uri, check.Subprotocols) is { } found)
        {
            (kind, detected) = (found.Kind, found.Why);
        }

        var graphql = kind is AppProtocolKind.Graphql or AppProtocolKind.GraphqlTransportWs or AppProtocolKind.GraphqlLegacy;
        if ((queries.Length > 0 || variables is not null) && !graphql)
        {
            throw new UsageException(T("--query and --variables go with --protocol graphql, graphql-ws or subscriptions-transport-ws", "--query 和 --variables 要与 --protocol graphql、graphql-ws 或 subscriptions-transport-ws 一起使用"));
        }

        if (topics.Length > 0 && kind is not (AppProtocolKind.Mqtt or AppProtocolKind.Stomp))
        {
            throw new UsageException(T("--topic goes with --protocol mqtt or stomp", "--topic 要与 --protocol mqtt 或 stomp 一起使用"));
        }

        var vars = variables is null ? null
            : AppProtocol.ParseJson(variables) as System.Text.Json.Nodes.JsonObject ?? throw new UsageException(T("--variables must be a JSON object, e.g. '{\"from\":3}'", "--variables 必须是 JSON 对象，例如 '{\"from\":3}'"));
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
            throw new UsageException(ex.Text);
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
