namespace Wsdoctor.Conform.Client;

/// <summary>The server under test: where to connect and what to put in the request line and Host header.</summary>
public sealed record ServerTarget(string Host, int Port, string HostHeader, string PathAndQuery)
{
    /// <summary>Null and a reason for URLs the suite cannot test (only ws:// for now).</summary>
    public static (ServerTarget? Target, string? Problem) FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            return (null, $"'{text}' is not a ws:// URL");
        }

        if (url.Scheme is "wss" or "https")
        {
            return (null, "wss:// is not supported by conform yet: run it against the plain ws:// port (the cases test the WebSocket layer)");
        }

        if (!string.IsNullOrEmpty(url.Fragment))
        {
            return (null, "a WebSocket URL has no #fragment (RFC 6455 3)");
        }

        var host = url.IdnHost.Trim('[', ']');
        var hostHeader = url.IsDefaultPort ? url.Authority : $"{url.Host}:{url.Port}";
        return (new ServerTarget(host, url.Port, hostHeader, url.PathAndQuery), null);
    }

    public override string ToString() => $"ws://{HostHeader}{PathAndQuery}";
}
