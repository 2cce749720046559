using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>Socket.IO: the Engine.IO open packet on the connection itself, or the long-polling handshake
/// <c>GET /socket.io/?EIO=4&amp;transport=polling</c> answered with <c>0{"sid":…}</c>.</summary>
internal sealed class SocketIoDetector : IAppDetector
{
    public string Name => "Socket.IO";

    public bool Hinted(AppSignals s) =>
        s.PathHas("/socket.io") || s.Query.Contains("EIO=", StringComparison.OrdinalIgnoreCase)
        || EngineIo.ParseError(s.Body) is not null || OpenPacket(s) is not null
        // Engine.IO's HTTP server holds an upgrade to any other path for a second and closes it without a byte; a 404
        // or 400 on a wrong path is the other common symptom. One GET tells.
        || s.ClosedWithoutAnswer || s.Status is 400 or 404;

    public async Task<Finding?> ConfirmAsync(AppSignals s, AppProbes probes, bool followUps)
    {
        var basePath = BasePath(s.Path);
        var evidence = new List<Text>();
        var open = OpenPacket(s);
        var version = 4;
        string confirmedBy;
        if (open is not null)
        {
            var preview = AppSignals.Preview(s.TextMessages.First());
            evidence.Add(T($"the server's first message is the Engine.IO open packet: {preview}", $"服务端的第一条消息是 Engine.IO 的 open 包：{preview}"));
            confirmedBy = "open-packet";
        }
        else
        {
            if (!followUps)
            {
                return null;
            }

            var request = $"{basePath}?EIO=4&transport=polling";
            var answer = await probes.HttpAsync("GET", request).ConfigureAwait(false);
            if (answer is not null && EngineIo.ParseError(answer.Body) is { Code: 5 })
            {
                // Socket.IO 2 (Engine.IO 3) refuses EIO=4 with "Unsupported protocol version".
                evidence.Add(answer.Describe(Verbatim($"GET {request}")));
                request = $"{basePath}?EIO=3&transport=polling";
                answer = await probes.HttpAsync("GET", request).ConfigureAwait(false);
            }

            if (answer is not { Status: 200 } || EngineIo.ParsePollingOpen(answer.Body) is not { } polled)
            {
                return null;
            }

            evidence.Insert(0, s.DescribeAnswer());
            evidence.Add(answer.Describe(Verbatim($"GET {request}")) + T(" (the Engine.IO handshake)", "（Engine.IO 握手）"));
            (open, version) = polled;
            confirmedBy = "polling-handshake";
        }

        if (EngineIo.ParseError(s.Body) is { } error)
        {
            var meaning = Meaning(error.Code);
            evidence.Add(T($"\"{error.Message}\" is Engine.IO's error {error.Code}: {meaning}", $"\"{error.Message}\" 是 Engine.IO 的错误 {error.Code}：{meaning}"));
        }

        if (s.DescribeEnd() is { } end && open is not null && confirmedBy == "open-packet")
        {
            evidence.Add(end + (s.Session!.EndedAfterSend ? T(": every message must be an Engine.IO packet (a type digit first)", "：每条消息都必须是 Engine.IO 包（以表示类型的数字开头）") : Text.Empty));
        }

        if (open?.PingIntervalMs is { } interval)
        {
            var pingTimeout = open.PingTimeoutMs?.ToString(CultureInfo.InvariantCulture) ?? "?";
            evidence.Add(T($"pingInterval {interval} ms, pingTimeout {pingTimeout} ms: a client that does not answer the server's ping \"2\" with \"3\" is dropped",
                $"pingInterval {interval} ms，pingTimeout {pingTimeout} ms：客户端如果不用 \"3\" 回应服务端的 ping \"2\"，就会被断开"));
        }

        var wsUrl = AppFindings.Url(s, $"{basePath}?EIO={version}&transport=websocket");
        var clientRight = s.Query.Contains($"EIO={version}", StringComparison.OrdinalIgnoreCase) && s.Query.Contains("transport=websocket", StringComparison.OrdinalIgnoreCase);
        var explains = s.Failed;
        var library = version >= 4 ? T("socket.io-client 3 or 4", "socket.io-client 3 或 4") : Verbatim("socket.io-client 2");
        var pathOption = basePath == "/socket.io/" ? "" : $", {{ path: \"{basePath}\" }}";
        var message = explains
            ? T($"this is a Socket.IO server (Engine.IO {version}): a plain WebSocket client cannot talk to it", $"这是一个 Socket.IO 服务端（Engine.IO {version}）：普通的 WebSocket 客户端无法与它通信")
            : T($"the server speaks Socket.IO (Engine.IO {version}) on this connection", $"服务端在这个连接上使用 Socket.IO（Engine.IO {version}）");
        var origin = AppFindings.HttpOrigin(s);
        var fix = T($"Use {library} (io(\"{origin}\"{pathOption})), not new WebSocket. A raw WebSocket client must connect to {wsUrl} and speak Engine.IO: answer \"2\" with \"3\", send \"40\" to join, events as 42[\"name\",...] (wsdoctor connect --protocol socketio does).",
            $"使用 {library}（io(\"{origin}\"{pathOption})），而不是 new WebSocket。原生 WebSocket 客户端必须连接 {wsUrl} 并使用 Engine.IO 协议：用 \"3\" 回应 \"2\"，发送 \"40\" 加入，事件格式为 42[\"name\",...]（wsdoctor connect --protocol socketio 就是这样做的）。");
        return Finding.Create(Codes.AppSocketIo, message, evidence, fix, new Dictionary<string, object?>
        {
            ["protocol"] = "socketio",
            ["engineIo"] = version,
            ["confirmedBy"] = confirmedBy,
            ["suggestedUrl"] = wsUrl,
        }, AppFindings.SeverityFor(explains, clientRight));
    }

    private static EngineIo.OpenPacket? OpenPacket(AppSignals s) => s.TextMessages.Select(EngineIo.ParseOpen).FirstOrDefault(p => p is not null);

    /// <summary>Where Engine.IO is mounted: the path up to its "/socket.io/" segment, or Socket.IO's default.</summary>
    public static string BasePath(string path)
    {
        var at = path.IndexOf("/socket.io", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? "/socket.io/" : path[..(at + "/socket.io".Length)] + "/";
    }

    private static Text Meaning(int code) => code switch
    {
        0 => T("the upgrade lacks transport=websocket (or names an unknown transport)", "升级请求缺少 transport=websocket（或指定了未知的传输方式）"),
        1 => T("the sid in the URL belongs to no session", "URL 中的 sid 不属于任何会话"),
        2 => T("a handshake with a method other than GET", "握手请求用的不是 GET 方法"),
        3 => T("a request the server cannot place (transport=polling on an upgrade, a sid on the first request)", "服务端无法处理的请求（在升级请求上用了 transport=polling，或第一个请求就带了 sid）"),
        4 => T("refused by the server's allowRequest", "被服务端的 allowRequest 拒绝"),
        _ => T("the EIO version in the URL is not the server's (EIO=4 for Socket.IO 3/4, EIO=3 for Socket.IO 2)", "URL 中的 EIO 版本与服务端不符（Socket.IO 3/4 用 EIO=4，Socket.IO 2 用 EIO=3）"),
    };
}
