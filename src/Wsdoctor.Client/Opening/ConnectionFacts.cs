namespace Wsdoctor.Client.Opening;

/// <summary>What a user wants to see once the socket is open (printed on the "connected" line).</summary>
public sealed record ConnectionFacts
{
    /// <summary>The URL finally connected to, after any -L hops; secrets not yet redacted.</summary>
    public required Uri Url { get; init; }

    public required int StatusCode { get; init; }
    public string? Subprotocol { get; init; }
    public string? Extensions { get; init; }
    public bool Deflate { get; init; }
    public string? TlsVersion { get; init; }
    public string? CipherSuite { get; init; }
    public string? CertificateSubject { get; init; }

    /// <summary>SHA-256 fingerprint (hex) of the server's leaf certificate; watch notices when it changes.</summary>
    public string? CertificateThumbprint { get; init; }

    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>The reverse proxy or load balancer the 101 names (Server, Via...), when it shows one.</summary>
    public Probes.ReverseProxies.ProxyIdentity? Intermediary { get; init; }
    public required string RemoteEndPoint { get; init; }

    /// <summary>The proxy the tunnel went through, displayed without its password.</summary>
    public string? Proxy { get; init; }

    public required double TotalMs { get; init; }

    /// <summary>Each -L hop as "301 -> URL" (redacted by the renderer), with a note when it changed origin.</summary>
    public IReadOnlyList<string> Redirects { get; init; } = [];
}
