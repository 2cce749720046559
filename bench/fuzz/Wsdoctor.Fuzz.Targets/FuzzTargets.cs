using Wsdoctor.CertTool;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Scenarios.Loading;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>Every fuzz target: adding a parser is one entry here (and a seed folder bench/fuzz/corpus/NAME).
/// Bounds: Fixed covers the parser's configured limits, PerInputByte what it may keep per byte read — the
/// push parsers run three chunkings and the harness describes each result, so their factor is three parses'
/// worth and more. The bounds catch a parser that allocates by a declared length or grows faster than its input.</summary>
public static class FuzzTargets
{
    private const long KiB = 1024;

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("http-response", "ResponseHeadParser, then Sec-WebSocket-Extensions judged against our deflate offers",
            HttpHeadTargets.Response, [], new AllocationBound(256 * KiB, 256)),
        new("http-request", "RequestHeadParser, then token lists and the deflate offers a server answers",
            HttpHeadTargets.Request, [], new AllocationBound(256 * KiB, 256)),
        new("frames", "FrameReader for either side, no extension, any chunking",
            FrameTargets.Plain, [], new AllocationBound(256 * KiB, 128)),
        new("frames-deflate", "FrameReader with permessage-deflate, each compressed message inflated under a 256 KiB limit",
            FrameTargets.Deflate, [], new AllocationBound(4 * FrameTargets.InflateLimit + 256 * KiB, 128)),
        new("url", "check's url layer (UrlProbe, TargetUrl) and --page-origin",
            TextTargets.Url, [], new AllocationBound(256 * KiB, 512)),
        new("cert", "cert inspect's loader (PEM, DER, PKCS#7) and certificate details; Pem.ParseCertificates",
            CertificateTargets.Run, [typeof(CertInputException), typeof(InvalidDataException)], new AllocationBound(512 * KiB, 512)),
        new("jwt", "JwtInspector, Hs256Verifier, secret redaction of the token in headers",
            TextTargets.Jwt, [], new AllocationBound(256 * KiB, 256)),
        new("nginx", "lint nginx: tokenizer, parser, nginx -T dumps, includes, every rule",
            ConfigTargets.Nginx, [], new AllocationBound(512 * KiB, 2048)),
        new("haproxy", "lint haproxy: sections, defaults, timeouts, every rule",
            ConfigTargets.Haproxy, [], new AllocationBound(256 * KiB, 1024)),
        new("csp", "Content-Security-Policy lists (header, report-only, meta) and connect-src matching",
            TextTargets.Csp, [], new AllocationBound(256 * KiB, 1024)),
        new("harness", "Autobahn fuzzingserver protocol: request target, case=N, casetuple=",
            TextTargets.Harness, [], new AllocationBound(64 * KiB, 256)),
        new("scenario", "test FILE: the scenario YAML loader",
            ConfigTargets.Scenario, [typeof(ScenarioFileException)], new AllocationBound(1024 * KiB, 2048)),
        new("exporter-config", "exporter: the modules config loader",
            ConfigTargets.Exporter, [typeof(ConfigException)], new AllocationBound(1024 * KiB, 2048)),
        new("engineio", "Engine.IO open packets (WebSocket and long-polling), error bodies, Socket.IO packets and their encoder",
            AppProtocolTargets.EngineIo, [], new AllocationBound(64 * KiB, 512)),
        new("signalr", "SignalR JSON hub protocol: record separation, handshake answer, message types, the shown line",
            AppProtocolTargets.SignalR, [], new AllocationBound(64 * KiB, 1024)),
        new("mqtt", "MQTT 3.1.1 packets in binary messages, any chunking: fixed header, remaining length, CONNACK, PUBLISH",
            AppProtocolTargets.Mqtt, [], new AllocationBound(64 * KiB, 512)),
        new("stomp", "STOMP 1.0-1.2 frames and their encoder",
            AppProtocolTargets.Stomp, [], new AllocationBound(64 * KiB, 512)),
        new("graphql", "graphql-ws and subscriptions-transport-ws message types",
            AppProtocolTargets.Graphql, [], new AllocationBound(64 * KiB, 256)),
    ];

    /// <summary>Parsers written on other branches; each becomes one entry of <see cref="All"/> when it lands.</summary>
    public static IReadOnlyList<PendingTarget> Pending { get; } = [];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
