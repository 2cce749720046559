using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Wsdoctor.Server.Observability;

/// <summary>Turns the few Kestrel diagnostics that concern a client into log lines: a failed TLS handshake
/// (<c>event=tls-error</c>; a client that does not trust the certificate fails before any HTTP request exists, so
/// this is the only place the server can say so) and a request head Kestrel refused, such as one that did not
/// arrive within --handshake-timeout (<c>event=reject reason=handshake_timeout</c>, the slowloris case).</summary>
internal sealed class KestrelDiagnostics(EventLog log, ServerMetrics metrics) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, EndPoint?> remotes = new(StringComparer.Ordinal);
    private IExternalScopeProvider? scopes;

    /// <summary>Remembers the remote address of a connection while it is open (called by connection middleware).</summary>
    public IDisposable Track(string connectionId, EndPoint? remote)
    {
        remotes[connectionId] = remote;
        return new Forget(remotes, connectionId);
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) ? new Listener(this) : NullLogger.Instance;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void ReportBadRequest(Exception? exception, string message)
    {
        var status = exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : 400;
        var reason = status == 408 ? "handshake_timeout" : "bad_request";
        metrics.Rejected(reason);
        log.Write("reject", ("remote", Remote() ?? ""), ("status", status), ("reason", reason), ("detail", exception?.Message ?? message));
    }

    private void ReportTls(Exception? exception, string message)
    {
        var detail = Innermost(exception)?.Message ?? message;
        metrics.Rejected("tls");
        log.Write("tls-error", ("remote", Remote() ?? ""), ("detail", detail), ("hint", Hint(detail)));
    }

    /// <summary>The remote address of the connection the current log call belongs to (Kestrel's log scope
    /// carries its ConnectionId).</summary>
    private string? Remote()
    {
        string? connectionId = null;
        scopes?.ForEachScope<object?>((scope, _) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "ConnectionId" && value is string id)
                    {
                        connectionId = id;
                    }
                }
            }
        }, null);
        return connectionId is not null && remotes.TryGetValue(connectionId, out var endpoint) ? endpoint?.ToString() : null;
    }

    // What the usual failures mean from the server's side (OpenSSL alert texts, SslStream's EOF message).
    private static string Hint(string detail) =>
        detail.Contains("unknown ca", StringComparison.OrdinalIgnoreCase) || detail.Contains("bad certificate", StringComparison.OrdinalIgnoreCase) || detail.Contains("certificate unknown", StringComparison.OrdinalIgnoreCase)
            ? "the client does not trust the certificate: give it the CA (with --tls-dev: ca.pem) or serve the full chain"
            : detail.Contains("EOF", StringComparison.Ordinal) || detail.Contains("0 bytes", StringComparison.Ordinal)
                ? "the client hung up during the TLS handshake: usually it rejected the certificate (untrusted CA, missing intermediate, wrong name)"
                : "";

    private static Exception? Innermost(Exception? e)
    {
        for (var depth = 0; e?.InnerException is not null && depth < 8; depth++)
        {
            e = e.InnerException;
        }

        return e;
    }

    private sealed class Listener(KestrelDiagnostics owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Event names of Kestrel's HTTPS middleware and of KestrelTrace (stable: they are its public log contract).
            if (eventId.Name is "AuthenticationFailed" or "AuthenticationTimedOut" or "HttpsHandshakeTimedOut")
            {
                owner.ReportTls(exception, formatter(state, exception));
            }
            else if (eventId.Name == "ConnectionBadRequest")
            {
                owner.ReportBadRequest(exception, formatter(state, exception));
            }
        }
    }

    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }

    private sealed class Forget(ConcurrentDictionary<string, EndPoint?> remotes, string id) : IDisposable
    {
        public void Dispose() => remotes.TryRemove(id, out _);
    }
}
