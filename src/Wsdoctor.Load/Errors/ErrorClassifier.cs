using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using Wsdoctor.Client.Opening;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Load.Errors;

/// <summary>Names what went wrong with the catalogue's codes. A load run sees thousands of failures, so this works
/// from what each one already showed (the socket error, the status line, the close frame) and does not probe
/// further the way <c>check</c> does; a run that opened nothing is diagnosed by <c>check</c> itself afterwards.</summary>
public static class ErrorClassifier
{
    public static LoadError FromOpenFailure(OpenFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return Classify(failure) with { Text = failure.Message };
    }

    private static LoadError Classify(OpenFailure failure)
    {
        var message = failure.Message.En;
        return failure.Stage switch
        {
            OpenStage.Url => new LoadError(Codes.UrlInvalid, null, ErrorStage.Connect, message),
            OpenStage.Resolve => new LoadError(Codes.DnsNotFound, null, ErrorStage.Connect, message),
            OpenStage.Connect => FromSocketError(failure.SocketError ?? SocketError.SocketError, message),
            OpenStage.Proxy => new LoadError(Codes.ProxyConnectRefused, Status(failure.StatusCode), ErrorStage.Connect, message),
            OpenStage.Tls => new LoadError(Tls(message), null, ErrorStage.Connect, message),
            OpenStage.Redirect => new LoadError(Codes.HttpRedirect, Status(failure.StatusCode), ErrorStage.Connect, message),
            _ when failure.StatusCode is { } status and not 101 => ForStatus(status, failure.Response, message),
            _ when failure.StatusCode is 101 => new LoadError(Codes.WsBadAccept, "101", ErrorStage.Connect, message),
            _ when message.Contains("not HTTP", StringComparison.Ordinal) => new LoadError(Codes.HttpInvalidResponse, null, ErrorStage.Connect, message),
            _ => new LoadError(Codes.HttpNoResponse, null, ErrorStage.Connect, message),
        };
    }

    public static LoadError FromSocketError(SocketError error, string message) => error switch
    {
        SocketError.ConnectionRefused => new LoadError(Codes.TcpRefused, null, ErrorStage.Connect, message),
        SocketError.TimedOut => new LoadError(Codes.TcpTimeout, null, ErrorStage.Connect, message),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown
            => new LoadError(Codes.TcpUnreachable, null, ErrorStage.Connect, message),
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new LoadError(Codes.DnsNotFound, null, ErrorStage.Connect, message),
        // Out of ports or descriptors on our side (EADDRNOTAVAIL, EMFILE): still the TCP layer, named by its errno.
        _ => new LoadError(Codes.TcpUnreachable, error.ToString(), ErrorStage.Connect, message),
    };

    /// <summary>The catalogue's http table, by status alone: 429 (and 503 with Retry-After) is a rate limit,
    /// 502/503/504 and Cloudflare's 52x an upstream error. check refines 403 (Origin) and 400/426 (a proxy
    /// dropping Upgrade) with follow-up requests; under load the status is all there is.</summary>
    public static LoadError ForStatus(int status, ResponseHead? head, string message)
    {
        var code = status switch
        {
            >= 200 and < 300 => Codes.HttpNotUpgraded,
            >= 300 and < 400 => Codes.HttpRedirect,
            400 => Codes.HttpBadRequest,
            401 => Codes.HttpUnauthorized,
            403 => Codes.HttpForbidden,
            404 => Codes.HttpNotFound,
            426 => Codes.HttpUpgradeRequired,
            429 => Codes.HttpRateLimited,
            503 when head?.Get("Retry-After") is not null => Codes.HttpRateLimited,
            502 or 503 or 504 or (>= 520 and <= 527) or 530 => Codes.HttpUpstreamError,
            _ => Codes.HttpUnexpectedStatus,
        };
        return new LoadError(code, Status(status), ErrorStage.Connect, message);
    }

    /// <summary>The server's Close frame where a reply was expected (or while held idle).</summary>
    public static LoadError ClosedByServer(WebSocket socket, ErrorStage stage)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var code = (int?)socket.CloseStatus;
        var name = code is { } c ? CloseCodes.Describe(c).Name : "no status";
        var reason = string.IsNullOrEmpty(socket.CloseStatusDescription) ? "" : $" \"{socket.CloseStatusDescription}\"";
        return new LoadError(Codes.SessionClosedByServer, code?.ToString(CultureInfo.InvariantCulture) ?? "1005", stage,
            $"the server closed the connection with {code?.ToString(CultureInfo.InvariantCulture) ?? "an empty Close frame"} ({name}){reason}");
    }

    /// <summary>What an exception from a live WebSocket means: a drop without a Close frame (1006), a frame the
    /// runtime refused, or a heartbeat without its Pong.</summary>
    public static LoadError FromSessionException(Exception exception, ErrorStage stage)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = Probes.Net.ExceptionText.Chain(exception);
        if (exception is WebSocketException ws)
        {
            if (Chain(exception).Any(e => e is TimeoutException) || text.Contains("Pong", StringComparison.Ordinal))
            {
                return new LoadError(Codes.SessionNoPong, null, stage, $"no Pong to a heartbeat Ping: {text}");
            }

            if (ws.WebSocketErrorCode is WebSocketError.InvalidMessageType or WebSocketError.HeaderError or WebSocketError.UnsupportedProtocol
                || (ws.WebSocketErrorCode == WebSocketError.Faulted && Chain(exception).All(e => e is not IOException and not SocketException)))
            {
                return new LoadError(Codes.SessionProtocolViolation, null, stage, text);
            }
        }

        return new LoadError(Codes.SessionAbnormalClose, "1006", stage, $"the connection was lost without a Close frame: {text}");
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static string? Status(int? status) => status?.ToString(CultureInfo.InvariantCulture);

    /// <summary>The certificate errors the runtime names in its message; anything else is a failed handshake.</summary>
    private static string Tls(string message) =>
        message.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal) ? Codes.TlsNameMismatch
        : message.Contains("UntrustedRoot", StringComparison.Ordinal) || message.Contains("PartialChain", StringComparison.Ordinal) ? Codes.TlsUntrustedRoot
        : message.Contains("NotTimeValid", StringComparison.Ordinal) ? Codes.TlsExpired
        : message.Contains("wrong version number", StringComparison.OrdinalIgnoreCase) ? Codes.TlsPlaintextPort
        : Codes.TlsHandshakeFailed;
}
