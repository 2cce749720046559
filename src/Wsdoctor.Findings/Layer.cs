namespace Wsdoctor.Findings;

/// <summary>The layers of a WebSocket connection, in the order a connection crosses them.
/// The first layer with a failure finding is the root cause; later layers are "not reached".</summary>
public enum Layer
{
    Url,
    Dns,
    Tcp,
    Proxy,
    Tls,
    Http,
    Ws,
    Session,

    /// <summary>The application protocol on top of the WebSocket (Socket.IO, SignalR, GraphQL, MQTT, STOMP).</summary>
    App,
    Browser,
    Lint,
}

public enum Severity
{
    Info,
    Warning,
    Error,
}

public static class LayerNames
{
    public static string Name(this Layer layer) => layer switch
    {
        Layer.Url => "url",
        Layer.Dns => "dns",
        Layer.Tcp => "tcp",
        Layer.Proxy => "proxy",
        Layer.Tls => "tls",
        Layer.Http => "http",
        Layer.Ws => "ws",
        Layer.Session => "session",
        Layer.App => "app",
        Layer.Browser => "browser",
        Layer.Lint => "lint",
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    public static string Name(this Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };
}
