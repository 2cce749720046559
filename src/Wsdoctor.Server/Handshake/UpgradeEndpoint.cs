using System.Net.WebSockets;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;
using Wsdoctor.Server.Sessions;
using Wsdoctor.Server.Shutdown;

namespace Wsdoctor.Server.Handshake;

/// <summary>Every HTTP request: /healthz and /metrics, then the WebSocket path through origin, auth and admission
/// to the upgrade, then the session. Refusals are HTTP statuses with one reject log line each.</summary>
internal sealed partial class UpgradeEndpoint(ServeOptions options, EventLog log, ServerMetrics metrics, SessionHub hub, IMessageSink sink, int? metricsPort)
{
    private readonly OriginPolicy origins = new(options.AllowedOrigins);
    private readonly TokenAuthenticator? authenticator = options.RequiresAuth
        ? new TokenAuthenticator(options.Token, options.JwtSecret, options.JwtLeeway, TimeProvider.System)
        : null;

    private readonly SessionLimits limits = new(options.MaxMessageSize, options.SendQueue, options.ShutdownTimeout, options.HandshakeTimeout, options.PingInterval > TimeSpan.Zero);

    private volatile bool stopping;

    public CancellationTokenSource Stopping { get; } = new();

    public void StopAccepting() => stopping = true;

    public async Task HandleAsync(HttpContext context)
    {
        var onMetricsListener = metricsPort is { } port && context.Connection.LocalPort == port;
        if ((metricsPort is null || onMetricsListener) && HttpEndpoints.TryHandle(context, metrics, out var served))
        {
            await served.ConfigureAwait(false);
            return;
        }

        var isUpgrade = context.WebSockets.IsWebSocketRequest;
        if (onMetricsListener || !string.Equals(context.Request.Path.Value, options.Path, StringComparison.Ordinal))
        {
            if (isUpgrade)
            {
                Reject(context, StatusCodes.Status404NotFound, "not_found", $"no WebSocket endpoint at {context.Request.Path}; it is at {options.Path}");
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return;
        }

        if (!isUpgrade)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";

            // RFC 6455 4.4: a refused version is answered with the versions the server speaks. Kestrel does not see
            // an upgrade with any other version as a WebSocket request, so this is also that answer.
            context.Response.Headers["Sec-WebSocket-Version"] = "13";
            var scheme = context.Request.IsHttps ? "wss" : "ws";
            await context.Response.WriteAsync(
                $"This is a WebSocket endpoint: connect with a WebSocket client, e.g. wsdoctor connect {scheme}://{context.Request.Host}{options.Path}\n",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            // RFC 6455 4.2.1 item 1: the handshake is an HTTP/1.1 or later GET; Kestrel would upgrade an HTTP/1.0 one.
            Reject(context, StatusCodes.Status400BadRequest, "http_version", "WebSocket upgrades need HTTP/1.1 (RFC 6455 4.2.1), got HTTP/1.0");
            return;
        }

        await UpgradeAsync(context).ConfigureAwait(false);
    }

    private async Task UpgradeAsync(HttpContext context)
    {
        if (stopping)
        {
            Reject(context, StatusCodes.Status503ServiceUnavailable, "shutting_down", "server is shutting down");
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origins.Check(origin, context.Request.Host.Value) is { } originProblem)
        {
            Reject(context, StatusCodes.Status403Forbidden, "origin", originProblem);
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols.ToList();
        Credential? credential = null;
        if (authenticator is not null && !options.AuthFirstMessage
            && authenticator.Authenticate(CredentialFinder.Find(context.Request, offered), out credential) is { } authProblem)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            Reject(context, StatusCodes.Status401Unauthorized, "auth", authProblem);
            return;
        }

        if (!hub.TryReserve())
        {
            // Retry-After (RFC 9110 10.2.3) lets well-behaved clients back off instead of hammering the server.
            context.Response.Headers.RetryAfter = "1";
            Reject(context, StatusCodes.Status503ServiceUnavailable, "max_connections", $"{options.MaxConnections} connections already open (--max-connections)");
            return;
        }

        try
        {
            var subprotocol = SubprotocolSelector.Select(options.Subprotocols, offered, credential);
            await RunSessionAsync(context, subprotocol, ShownSubprotocol(subprotocol, credential)).ConfigureAwait(false);
        }
        finally
        {
            hub.Release();
        }
    }

    /// <summary>The selected subprotocol as the log may show it: when it is the entry that carried the token it is
    /// sent back to the client (browsers need one) but never written to the log.</summary>
    private static string ShownSubprotocol(string? subprotocol, Credential? credential)
    {
        if (subprotocol is null || credential?.Source != CredentialSource.Subprotocol || subprotocol != credential.Subprotocol)
        {
            return subprotocol ?? "";
        }

        var dot = subprotocol.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && subprotocol[..dot].Equals(CredentialFinder.BearerMarker, StringComparison.OrdinalIgnoreCase)
            ? subprotocol[..(dot + 1)] + Protocol.Secrets.SecretRedactor.Redact(subprotocol[(dot + 1)..])
            : Protocol.Secrets.SecretRedactor.Redact(subprotocol);
    }

    private async Task RunSessionAsync(HttpContext context, string? subprotocol, string shownSubprotocol)
    {
        var offersDeflate = options.Compress && OffersDeflate(context.Request.Headers["Sec-WebSocket-Extensions"]);
        using var accepted = offersDeflate
            ? await AcceptFrameworkAsync(context, subprotocol).ConfigureAwait(false)
            : await AcceptPipeAsync(context, subprotocol).ConfigureAwait(false);
        var session = accepted.Session;
        Opened(session, Remote(context), context.Request.Headers.Origin.ToString(),
            context.Request.Path.Value ?? "", context.Request.Headers.UserAgent.ToString(), shownSubprotocol,
            context.Response.Headers["Sec-WebSocket-Extensions"].ToString());
        await RunLoggedAsync(session).ConfigureAwait(false);
    }

    /// <summary>A connection's first request on a TLS listener, decrypted, before Kestrel's HTTP layer sees it: a plain
    /// upgrade is answered here (<see cref="ConnectionUpgrade"/>); anything else goes on to Kestrel unread. (Listeners
    /// without TLS do this in serve's own transport, <see cref="ServeSocketAsync"/>.)</summary>
    public async Task HandleConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var below = stopping || authenticator is not null ? BelowHttp.ToKestrel : await UpgradeBelowHttpAsync(connection).ConfigureAwait(false);
        if (below.Session is not { } session)
        {
            if (below.HandOn)
            {
                await next(connection).ConfigureAwait(false);
            }

            return;
        }

        try
        {
            await RunLoggedAsync(session).ConfigureAwait(false);
        }
        finally
        {
            hub.Release();
        }
    }

    /// <summary>The first read of a connection: a session that was accepted here (its slot reserved and its accept
    /// logged), nothing to do (timed out or cut), or hand the connection on to Kestrel with nothing consumed.</summary>
    private async Task<BelowHttp> UpgradeBelowHttpAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        ReadResult result;
        using (var timeout = new CancellationTokenSource(options.HandshakeTimeout))
        {
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Silent(Remote(connection));
                connection.Abort(new ConnectionAbortedException("no request within the handshake timeout"));
                return BelowHttp.Done;
            }
        }

        var buffer = result.Buffer;
        var head = ConnectionUpgrade.Eligible(buffer, options.Path, options.Compress, out var headLength);
        if (stopping || head is null || origins.Check(head.Origin, head.Host) is not null || !hub.TryReserve())
        {
            // Nothing consumed: Kestrel parses the same bytes (and answers refusals with their statuses and logs;
            // during shutdown, 503).
            input.AdvanceTo(buffer.Start);
            return BelowHttp.ToKestrel;
        }

        var accepted = false;
        try
        {
            input.AdvanceTo(buffer.GetPosition(headLength));
            if (!await ConnectionUpgrade.AcceptAsync(connection.Transport.Output, head.Key).ConfigureAwait(false))
            {
                return BelowHttp.Done;
            }

            var session = new PipeSession(hub.NextId(), connection.Transport, limits, metrics);
            Opened(session, Remote(connection), head.Origin, head.Path, head.UserAgent, "", "");
            accepted = true;
            return new BelowHttp(session, HandOn: false);
        }
        finally
        {
            if (!accepted)
            {
                hub.Release();
            }
        }
    }

    /// <summary>Not one byte within the handshake timeout: the connection is dropped and logged. Kestrel would give such a
    /// socket its keep-alive timeout on top (130 s by default), so a flood of silent sockets would hold descriptors for
    /// minutes.</summary>
    private void Silent(string remote)
    {
        metrics.Rejected("handshake_timeout");
        log.Write("reject",
            ("remote", remote),
            ("status", 408),
            ("reason", "handshake_timeout"),
            ("detail", $"no request within {options.HandshakeTimeout.TotalSeconds:0.###} s"));
    }

        /// <summary>What <see cref="UpgradeBelowHttpAsync"/> decided.</summary>
    private readonly record struct BelowHttp(PipeSession? Session, bool HandOn)
    {
        public static BelowHttp ToKestrel => new(null, HandOn: true);

        public static BelowHttp Done => new(null, HandOn: false);
    }

    /// <summary>A session starts: counted, registered and logged (the accept line carries the handshake's details,
    /// which the session itself does not keep).</summary>
    private void Opened(Session session, string remote, string origin, string path, string userAgent, string shownSubprotocol, string extensions)
    {
        metrics.Opened();
        hub.Add(session);

        // A handshake that was under way when shutdown began: the shutdown's walk of the hub may have missed this
        // session, so it closes itself the same way (a second BeginClose is a no-op).
        if (stopping)
        {
            GracefulShutdown.Close(session);
        }

        log.Write("accept",
            ("conn", session.Id),
            ("remote", remote),
            ("origin", origin),
            ("path", path),
            ("ua", userAgent),
            ("subprotocol", shownSubprotocol),
            ("extensions", extensions));
    }

    private async Task RunLoggedAsync(Session session)
    {
        CloseDecision close;
        try
        {
            close = await session.RunAsync(sink, FirstMessageAuth, Stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            hub.Remove(session);
        }

        Closed(session, close);
    }

    /// <summary>--auth-first-message: the check of the session's first message.</summary>
    private Func<Outgoing, string?>? FirstMessageAuth => options.AuthFirstMessage ? AuthenticateFirstMessage : null;

    /// <summary>A session ended: counted and logged with its close and its traffic.</summary>
    private void Closed(Session session, CloseDecision close)
    {
        if (session.Reaped)
        {
            metrics.Reaped();
            log.Write("reaped", ("conn", session.Id));
        }

        metrics.Closed(close.Code);
        var (inMessages, inBytes, outMessages, outBytes) = session.Counters;
        log.Write("close",
            ("conn", session.Id),
            ("code", close.Code),
            ("reason", close.Reason),
            ("duration_ms", (long)session.Duration.TotalMilliseconds),
            ("in_msgs", inMessages),
            ("in_bytes", inBytes),
            ("out_msgs", outMessages),
            ("out_bytes", outBytes),
            ("by", close.By));
    }

    /// <summary>permessage-deflate is left to System.Net.WebSockets (it negotiates the parameters and compresses);
    /// every other connection runs on serve's own frame loop over the connection's pipes.</summary>
    private static bool OffersDeflate(Microsoft.Extensions.Primitives.StringValues extensions) =>
        extensions.Any(e => e is not null && e.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase));

    private async Task<Accepted> AcceptFrameworkAsync(HttpContext context, string? subprotocol)
    {
        if (DeflateOfferFilter.Filter(context.Request.Headers["Sec-WebSocket-Extensions"].Where(v => v is not null)!) is { } offers)
        {
            context.Request.Headers["Sec-WebSocket-Extensions"] = offers;
        }

        var accept = new WebSocketAcceptContext
        {
            SubProtocol = subprotocol,
            DangerousEnableCompression = true,
            KeepAliveInterval = options.PingInterval > TimeSpan.Zero ? options.PingInterval : TimeSpan.Zero,
            KeepAliveTimeout = options.PingInterval > TimeSpan.Zero ? options.PingTimeout : Timeout.InfiniteTimeSpan,
        };
        var socket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
        return new Accepted(new FrameworkSession(hub.NextId(), socket, limits, metrics), socket);
    }

    private async Task<Accepted> AcceptPipeAsync(HttpContext context, string? subprotocol)
    {
        // RFC 6455 4.2.2: the 101 response; Kestrel validated the request (IsWebSocketRequest) and sends the status.
        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = Protocol.Frames.HandshakeKeys.ComputeAccept(context.Request.Headers.SecWebSocketKey.ToString());
        if (subprotocol is not null)
        {
            headers.SecWebSocketProtocol = subprotocol;
        }

        var upgraded = await context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);

        // The connection's own pipes (under TLS, the decrypted ones) are read and written directly: nothing else
        // reads or writes them while the upgraded request runs. Without them, pipes over the upgraded stream.
        if (context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionTransportFeature>()?.Transport is { } transport)
        {
            return new Accepted(new PipeSession(hub.NextId(), transport, limits, metrics), null);
        }

        var pipe = new StreamDuplexPipe(
            System.IO.Pipelines.PipeReader.Create(upgraded, new System.IO.Pipelines.StreamPipeReaderOptions(leaveOpen: true, useZeroByteReads: true)),
            System.IO.Pipelines.PipeWriter.Create(upgraded, new System.IO.Pipelines.StreamPipeWriterOptions(leaveOpen: true)));
        return new Accepted(new PipeSession(hub.NextId(), pipe, limits, metrics), upgraded);
    }

    private sealed record StreamDuplexPipe(System.IO.Pipelines.PipeReader Input, System.IO.Pipelines.PipeWriter Output) : System.IO.Pipelines.IDuplexPipe;

    /// <summary>A session and what its connection holds until it ends.</summary>
    private readonly record struct Accepted(Session Session, IDisposable? Resource) : IDisposable
    {
        public void Dispose() => Resource?.Dispose();
    }

    private string? AuthenticateFirstMessage(Outgoing message)
    {
        var text = message.Type == WebSocketMessageType.Text ? System.Text.Encoding.UTF8.GetString(message.Payload.Span) : "";
        var failure = authenticator!.Authenticate([TokenAuthenticator.FromFirstMessage(text)], out _);
        if (failure is not null)
        {
            metrics.Rejected("auth");
        }

        return failure;
    }

    private void Reject(HttpContext context, int status, string reason, string detail)
    {
        metrics.Rejected(reason);
        context.Response.StatusCode = status;
        log.Write("reject", ("remote", Remote(context)), ("status", status), ("reason", reason), ("detail", detail));
    }

    private static string Remote(HttpContext context) => Remote(context.Connection.RemoteIpAddress, context.Connection.RemotePort);

    private static string Remote(ConnectionContext connection) => Remote(connection.RemoteEndPoint);

    private static string Remote(System.Net.EndPoint? endpoint) =>
        endpoint is System.Net.IPEndPoint remote ? Remote(remote.Address, remote.Port) : Remote(null, 0);

    private static string Remote(System.Net.IPAddress? address, int port)
    {
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{port}"
            : $"{address}:{port}";
    }
}
