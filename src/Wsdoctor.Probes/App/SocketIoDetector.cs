using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;

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
        var evidence = new List<string>();
        var open = OpenPacket(s);
        var version = 4;
        string confirmedBy;
        if (open is not null)
        {
            evidence.Add($"the server's first message is the Engine.IO open packet: {AppSignals.Preview(s.TextMessages.First())}");
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
                evidence.Add(answer.Describe($"GET {request}"));
                request = $"{basePath}?EIO=3&transport=polling";
                answer = await probes.HttpAsync("GET", request).ConfigureAwait(false);
            }

            if (answer is not { Status: 200 } || EngineIo.ParsePollingOpen(answer.Body) is not { } polled)
            {
                return null;
            }

            evidence.Insert(0, s.DescribeAnswer());
            evidence.Add(answer.Describe($"GET {request}") + " (the Engine.IO handshake)");
            (open, version) = polled;
            confirmedBy = "polling-handshake";
        }

        if (EngineIo.ParseError(s.Body) is { } error)
        {
            evidence.Add($"\"{error.Message}\" is Engine.IO's error {error.Code}: {Meaning(error.Code)}");
        }

        if (s.DescribeEnd() is { } end && open is not null && confirmedBy == "open-packet")
        {
            evidence.Add(end + (s.Session!.EndedAfterSend ? ": every message must be an Engine.IO packet (a type digit first)" : ""));
        }

        if (open?.PingIntervalMs is { } interval)
        {
            evidence.Add($"pingInterval {interval} ms, pingTimeout {open.PingTimeoutMs?.ToString(CultureInfo.InvariantCulture) ?? "?"} ms: a client that does not answer the server's ping \"2\" with \"3\" is dropped");
        }

        var wsUrl = AppFindings.Url(s, $"{basePath}?EIO={version}&transport=websocket");
        var clientRight = s.Query.Contains($"EIO={version}", StringComparison.OrdinalIgnoreCase) && s.Query.Contains("transport=websocket", StringComparison.OrdinalIgnoreCase);
        var explains = s.Failed;
        var library = version >= 4 ? "socket.io-client 3 or 4" : "socket.io-client 2";
        var pathOption = basePath == "/socket.io/" ? "" : $", {{ path: \"{basePath}\" }}";
        var message = explains
            ? $"this is a Socket.IO server (Engine.IO {version}): a plain WebSocket client cannot talk to it"
            : $"the server speaks Socket.IO (Engine.IO {version}) on this connection";
        var fix = $"Use {library} (io(\"{AppFindings.HttpOrigin(s)}\"{pathOption})), not new WebSocket. A raw WebSocket client must connect to {wsUrl} and speak Engine.IO: answer \"2\" with \"3\", send \"40\" to join, events as 42[\"name\",...] (wsdoctor connect --protocol socketio does).";
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

    private static string Meaning(int code) => code switch
    {
        0 => "the upgrade lacks transport=websocket (or names an unknown transport)",
        1 => "the sid in the URL belongs to no session",
        2 => "a handshake with a method other than GET",
        3 => "a request the server cannot place (transport=polling on an upgrade, a sid on the first request)",
        4 => "refused by the server's allowRequest",
        _ => "the EIO version in the URL is not the server's (EIO=4 for Socket.IO 3/4, EIO=3 for Socket.IO 2)",
    };
}
