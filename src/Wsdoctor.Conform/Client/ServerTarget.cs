using Wsdoctor.Conform.Engine;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Conform.Client;

/// <summary>The server under test: where to connect, what to put in the request line and Host header, and for
/// wss:// the TLS settings (SNI and certificate check as <c>check</c> does them, --ca, --insecure).</summary>
public sealed record ServerTarget(string Host, int Port, string HostHeader, string PathAndQuery)
{
    /// <summary>Null for ws://.</summary>
    public ClientTls? Tls { get; init; }

    /// <summary>Null and a reason for URLs the suite cannot test. wss:// (and https://) get TLS with the system store;
    /// <see cref="Tls"/> can be replaced for --ca/--insecure.</summary>
    public static (ServerTarget? Target, Text? Problem) FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            return (null, T($"'{text}' is not a ws:// or wss:// URL", $"“{text}”不是 ws:// 或 wss:// URL"));
        }

        if (!string.IsNullOrEmpty(url.Fragment))
        {
            return (null, T("a WebSocket URL has no #fragment (RFC 6455 3)", "WebSocket URL 不能带 #fragment（RFC 6455 3）"));
        }

        var host = url.IdnHost.Trim('[', ']');
        var hostHeader = url.IsDefaultPort ? url.Authority : $"{url.Host}:{url.Port}";
        var secure = url.Scheme is "wss" or "https";
        return (new ServerTarget(host, url.Port, hostHeader, url.PathAndQuery) { Tls = secure ? new ClientTls(host, null, false) : null }, null);
    }

    public Task<Transport> ConnectAsync(CancellationToken ct) => Transport.ConnectAsync(Host, Port, Tls, ct);

    public override string ToString() => $"{(Tls is null ? "ws" : "wss")}://{HostHeader}{PathAndQuery}";
}
