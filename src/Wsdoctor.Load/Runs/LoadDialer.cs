using System.Net.WebSockets;
using Wsdoctor.Client.Opening;
using Wsdoctor.Load.Connections;
using Wsdoctor.Load.Errors;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Load.Runs;

/// <summary>One open WebSocket of a run, with whatever else must be disposed with it (the opener's frame tap).</summary>
public sealed class LoadSocket(WebSocket socket, IAsyncDisposable? owner, ClientFrameSender? frames = null) : IAsyncDisposable
{
    public WebSocket Socket => socket;

    /// <summary>On the engine's own path without a heartbeat: data frames written straight to the socket.</summary>
    public ClientFrameSender? Frames => frames;

    public async ValueTask DisposeAsync()
    {
        socket.Dispose();
        if (owner is not null)
        {
            await owner.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>How a run opens its connections. A plain ws:// URL with nothing but the URL to send goes through the
/// engine's own lean handshake (<see cref="WebSocketDialer"/>: no frame tap, nothing parsed twice on the hot
/// path). Everything else (wss://, --ca, client certificates, headers, token, Origin, subprotocols, a proxy from
/// the options or the environment, --connect-to, -4/-6, --compress) goes through connect's opener, the one
/// implementation of dialing, proxies, TLS and the upgrade for the whole tool.</summary>
public sealed class LoadDialer
{
    private readonly OpenOptions open;
    private readonly OpenOptions held;
    private readonly LoadTarget? raw;
    private readonly TimeSpan timeout;

    /// <exception cref="CheckUsageException">An unreadable --ca/--cert/--key or an unusable proxy URL.</exception>
    public LoadDialer(OpenOptions options, TimeSpan heartbeat)
    {
        ArgumentNullException.ThrowIfNull(options);
        var material = TlsMaterial.Load(options.Check);
        open = options with { Material = material, FollowRedirects = false };
        // A held connection's heartbeat is the runtime's Ping; a Pong missing for --timeout ends it (session.no-pong).
        held = open with
        {
            KeepAliveInterval = heartbeat,
            KeepAliveTimeout = heartbeat > TimeSpan.Zero ? options.Check.StepTimeout : Timeout.InfiniteTimeSpan,
        };
        timeout = options.Check.StepTimeout;
        raw = IsPlain(options) && Uri.TryCreate(options.Check.Url, UriKind.Absolute, out var url) && url.Scheme == "ws" && url.Fragment.Length == 0
            ? new LoadTarget(url)
            : null;
        Heartbeat = heartbeat;
    }

    /// <summary>"raw" (the engine's own handshake) or "opener" (connect's), for the report.</summary>
    public string Path => raw is null ? "opener" : "raw";

    public TimeSpan Heartbeat { get; }

    /// <summary>Opens one connection within the step timeout (each step of the opener has it too). Never throws
    /// for the network: a failure is a classified error.</summary>
    public async Task<(LoadSocket? Socket, LoadError? Error)> OpenAsync(bool hold, CancellationToken ct)
    {
        var keepAlive = hold ? Heartbeat : TimeSpan.Zero;
        if (raw is not null)
        {
            try
            {
                var (socket, tcp) = await WebSocketDialer.ConnectRawAsync(raw, timeout, keepAlive, keepAlive > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
                // A heartbeat's Pings are written by the runtime's timer at any time: only without one are the
                // sends the conversation's alone.
                return (new LoadSocket(socket, null, keepAlive > TimeSpan.Zero ? null : new ClientFrameSender(tcp)), null);
            }
            catch (DialException ex)
            {
                return (null, ex.Error);
            }
        }

        // The opener bounds each step by --timeout; the whole (dial, proxy, TLS, upgrade) gets three of them.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(timeout * 3);
        try
        {
            var result = await Opener.OpenAsync(hold ? held : open, bound.Token).ConfigureAwait(false);
            return result.Connection is { } connection
                ? (new LoadSocket(connection.Socket, connection.Tap), null)
                : (null, ErrorClassifier.FromOpenFailure(result.Failure!));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, new LoadError(Findings.Codes.HttpNoResponse, "timeout", ErrorStage.Connect, $"the connection did not open within {(timeout * 3).TotalSeconds:0.#} s"));
        }
    }

    /// <summary>Nothing but the URL: no option changes what is sent or where it goes.</summary>
    private static bool IsPlain(OpenOptions options)
    {
        var c = options.Check;
        return !options.Compress && c.Headers.Count == 0 && c.Origin is null && c.Subprotocols.Count == 0 && c.Token is null
            && c.Cookie is null && c.ConnectTo is null && c.Family == AddressFamilyPreference.Any && c.CertFile is null
            && Uri.TryCreate(c.Url, UriKind.Absolute, out var url) && ProxySelection.For(url, c) is null;
    }
}
