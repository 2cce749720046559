using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Wsdoctor.Server.Observability;

/// <summary>Turns Kestrel's own "TLS handshake failed" diagnostics into <c>event=tls-error</c> lines. A client
/// that does not trust the certificate fails before any HTTP request exists, so this is the only place the
/// server can say so ("alert unknown ca" = the client lacks the CA: see the --tls-dev trust instructions).</summary>
internal sealed class TlsFailureLog(EventLog log, ServerMetrics metrics) : ILoggerProvider, ISupportExternalScope
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

    private void Report(Exception? exception, string message)
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
        var remote = connectionId is not null && remotes.TryGetValue(connectionId, out var endpoint) ? endpoint?.ToString() : null;
        metrics.Rejected("tls");
        var detail = Innermost(exception)?.Message ?? message;
        log.Write("tls-error", ("remote", remote ?? ""), ("detail", detail), ("hint", Hint(detail)));
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

    private sealed class Listener(TlsFailureLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Kestrel's HTTPS middleware: AuthenticationFailed and HttpsHandshakeTimedOut.
            if (eventId.Name is "AuthenticationFailed" or "AuthenticationTimedOut" or "HttpsHandshakeTimedOut")
            {
                owner.Report(exception, formatter(state, exception));
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
