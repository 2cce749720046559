using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Lab;

/// <summary>One reproducible failure: a server that misbehaves in exactly one way, the finding <c>check</c> must
/// name for it, and the key evidence that must come with it.</summary>
/// <param name="ExpectedCode">The expected root cause (or, for warning scenarios, headline) code; "ok" for healthy endpoints.</param>
public sealed record LabScenario(string Name, string ExpectedCode, Text Description, Func<LabEnvironment, CancellationToken, Task<LabInstance>> StartAsync)
{
    public const string Healthy = "ok";
}

/// <summary>A started scenario: what to check, and how to judge the evidence.</summary>
public sealed class LabInstance(CheckOptions options, Func<CheckReport, Wsdoctor.Findings.Text?> verifyEvidence, params IAsyncDisposable[] servers) : IAsyncDisposable
{
    public CheckOptions Options { get; } = options;

    /// <summary>Returns null when the report carries the key evidence, else what is missing.</summary>
    public Func<CheckReport, Wsdoctor.Findings.Text?> VerifyEvidence { get; } = verifyEvidence;

    /// <summary>Exceptions the scenario's scripted servers threw: a broken script must fail its scenario, not hide.</summary>
    public IReadOnlyList<Exception> ServerFaults =>
        servers.OfType<Servers.RawServer>().SelectMany(s => { lock (s.Faults) { return s.Faults.ToArray(); } }).ToArray();

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
