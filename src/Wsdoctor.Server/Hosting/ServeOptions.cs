using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Server.Observability;

namespace Wsdoctor.Server.Hosting;

/// <summary>Everything <c>wsdoctor serve</c> can be told. Defaults are the documented CLI defaults.</summary>
public sealed record ServeOptions
{
    public IReadOnlyList<ListenEndpoint> Listen { get; init; } = [new(System.Net.IPAddress.Loopback, 8080)];

    public string Path { get; init; } = "/";

    public ServeMode Mode { get; init; } = ServeMode.Echo;

    /// <summary>Leaf with its private key; null for plain ws://.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>What is sent after the leaf (intermediates).</summary>
    public X509Certificate2Collection? CertificateChain { get; init; }

    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public string? Token { get; init; }

    public string? JwtSecret { get; init; }

    public TimeSpan JwtLeeway { get; init; } = TimeSpan.FromSeconds(10);

    public bool AuthFirstMessage { get; init; }

    /// <summary>Zero turns pings off.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxConnections { get; init; } = 10_000;

    public long MaxMessageSize { get; init; } = 64L * 1024 * 1024;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int SendQueue { get; init; } = 1024;

    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    public bool Compress { get; init; }

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public ListenEndpoint? MetricsListen { get; init; }

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where stdio mode writes received messages.</summary>
    public TextWriter? StdioOut { get; init; }

    /// <summary>Where stdio mode reads lines to send.</summary>
    public TextReader? StdioIn { get; init; }

    public bool RequiresAuth => Token is not null || JwtSecret is not null;
}
