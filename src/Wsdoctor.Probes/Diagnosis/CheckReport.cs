using Wsdoctor.Findings;

namespace Wsdoctor.Probes.Diagnosis;

public enum Verdict
{
    Ok,
    Warn,
    Fail,
}

public enum LayerStatus
{
    Passed,
    Warning,
    Failed,
    Skipped,
    NotReached,
}

/// <summary>One line of the timing waterfall: what a layer did, how long it took.</summary>
public sealed record LayerReport(Layer Layer, LayerStatus Status, double? DurationMs, Text Summary);

/// <summary>Durations of the connection steps, in milliseconds; null when the step did not run.</summary>
public sealed record Timings
{
    public double? DnsMs { get; init; }
    public double? ConnectMs { get; init; }
    public double? ProxyMs { get; init; }
    public double? TlsMs { get; init; }
    public double? UpgradeMs { get; init; }
    public double? PingRttMs { get; init; }
    public double? FirstMessageRttMs { get; init; }
}

/// <summary>What the connection looked like when it worked (or as far as it got).</summary>
public sealed record ConnectionFacts
{
    public string? RemoteEndpoint { get; init; }

    /// <summary>The proxy the connection went through (password masked unless --show-secrets); null when direct.</summary>
    public string? Proxy { get; init; }
    public string? TlsProtocol { get; init; }
    public string? CipherSuite { get; init; }
    public string? Alpn { get; init; }
    public string? CertificateSubject { get; init; }
    public string? CertificateIssuer { get; init; }
    public DateTimeOffset? CertificateNotAfter { get; init; }
    public IReadOnlyList<string>? CertificateNames { get; init; }

    /// <summary>The earliest expiry among all the certificates the server sent (leaf and intermediates): an
    /// intermediate that runs out before the leaf breaks every client on that day (blackbox_exporter's
    /// probe_ssl_earliest_cert_expiry).</summary>
    public DateTimeOffset? ChainEarliestNotAfter { get; init; }

    /// <summary>The earliest expiry in the chain built from what the server sent up to a trusted root (the root
    /// included; no AIA download); null when that chain does not verify now (blackbox_exporter's
    /// probe_ssl_last_chain_expiry_timestamp_seconds).</summary>
    public DateTimeOffset? VerifiedChainNotAfter { get; init; }

    public int? HttpStatus { get; init; }
    public string? Server { get; init; }

    /// <summary>The reverse proxy, load balancer or CDN recognised in the answer (nginx 1.22.1, HAProxy, Cloudflare...).</summary>
    public string? Intermediary { get; init; }
    public string? Subprotocol { get; init; }
    public string? Extensions { get; init; }
    public string? RequestHead { get; init; }
    public string? ResponseHead { get; init; }
}

/// <summary>The result of <c>wsdoctor check</c>: JSON schema version 1 (docs/json-schema.md).</summary>
public sealed record CheckReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Target { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required double TotalMs { get; init; }
    public required Verdict Verdict { get; init; }
    public Finding? RootCause { get; init; }
    public required IReadOnlyList<LayerReport> Layers { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required Timings Timings { get; init; }
    public required ConnectionFacts Connection { get; init; }

    /// <summary>What real browsers saw (check --browser, probe); empty otherwise.</summary>
    public IReadOnlyList<Browser.BrowserObservation> Browsers { get; init; } = [];

    /// <summary>The finding a one-line summary leads with: the root cause, else the most important warning.</summary>
    public Finding? Headline => RootCause ?? Findings.FirstOrDefault(f => f.Severity == Severity.Warning);
}
