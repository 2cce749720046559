using System.Diagnostics;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Url;

namespace Wsdoctor.Probes.Diagnosis;

/// <summary>State shared by the layer probes during one check: findings, layer lines, timings, facts.</summary>
internal sealed class DiagnosisContext(CheckOptions options, CancellationToken deadline)
{
    private readonly List<Finding> findings = [];
    private readonly Dictionary<Layer, LayerReport> layers = [];

    // The message a warning takes when Escalate makes it an error (without its "the server accepted it anyway").
    private readonly Dictionary<Finding, Text> messagesAsError = new(ReferenceEqualityComparer.Instance);

    public CheckOptions Options { get; } = options;
    public CancellationToken Deadline { get; } = deadline;
    public TargetUrl Target { get; set; } = null!;
    public Timings Timings { get; set; } = new();
    public ConnectionFacts Facts { get; set; } = new();

    /// <summary>How follow-up probes reach the target; set once the tcp (and proxy) layers succeeded.</summary>
    public Net.Route? Route { get; set; }

    /// <summary>The addresses the tcp layer was given (the target's, or --connect-to's); null without a direct connection.</summary>
    public IReadOnlyList<System.Net.IPAddress>? TargetAddresses { get; set; }

    /// <summary>The reverse proxy, load balancer or CDN recognised in the upgrade's answer; null when none shows.</summary>
    public ReverseProxies.ProxyIdentity? Intermediary { get; set; }

    /// <summary>The proxy the connection goes through, if any.</summary>
    public Net.ProxyEndpoint? Proxy { get; set; }

    /// <summary>Set when the server asked for a client certificate during the TLS handshake.</summary>
    public Tls.ClientCertificateRequest? ClientCertificateRequest { get; set; }
    /// <summary>The answer to the upgrade request (a 101, another status, or how it failed); null before the http layer ran.</summary>
    public Http.ExchangeResult? UpgradeAnswer { get; set; }

    /// <summary>What the session layer saw (messages, close, what we sent); null when it did not run.</summary>
    public Session.SessionTranscript? Transcript { get; set; }

    public IReadOnlyList<Finding> Findings => findings;
    public IReadOnlyDictionary<Layer, LayerReport> Layers => layers;

    public void Add(Finding finding) => findings.Add(finding);

    /// <summary>Adds a warning that <see cref="Escalate"/> may make an error; it then reads <paramref name="messageAsError"/>.</summary>
    public void Add(Finding finding, Text messageAsError)
    {
        findings.Add(finding);
        messagesAsError[finding] = messageAsError;
    }

    public void AddRange(IEnumerable<Finding> items) => findings.AddRange(items);

    /// <summary>Swaps a finding for a better-informed version of itself (same code, more evidence).</summary>
    public void Replace(int index, Finding finding) => findings[index] = finding;

    /// <summary>Makes warnings of this code errors: a symptom seen later (401, a 1008 close) proves they mattered.</summary>
    public void Escalate(string code)
    {
        for (var i = 0; i < findings.Count; i++)
        {
            if (findings[i].Code == code && findings[i].Severity == Severity.Warning)
            {
                findings[i] = findings[i] with { Severity = Severity.Error, Message = messagesAsError.GetValueOrDefault(findings[i], findings[i].Message) };
            }
        }
    }

    public bool HasError(Layer layer) => findings.Any(f => f.Layer == layer && f.Severity == Severity.Error);

    public bool HasAnyError => findings.Any(f => f.Severity == Severity.Error);

    public void Layer(Layer layer, LayerStatus status, double? ms, Text summary) =>
        layers[layer] = new LayerReport(layer, status, ms, summary);

    /// <summary>Status derived from the findings of that layer, for layers that ran.</summary>
    public LayerStatus StatusOf(Layer layer) =>
        HasError(layer) ? LayerStatus.Failed
        : findings.Any(f => f.Layer == layer && f.Severity == Severity.Warning) ? LayerStatus.Warning
        : LayerStatus.Passed;

    /// <summary>A token that fires after one step timeout or at the overall deadline, whichever is first.</summary>
    public CancellationTokenSource Step(TimeSpan? timeout = null)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(Deadline);
        cts.CancelAfter(timeout ?? Options.StepTimeout);
        return cts;
    }

    public static double Ms(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
