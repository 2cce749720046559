using Wsdoctor.Findings;

namespace Wsdoctor.Probes.Diagnosis;

/// <summary>Which finding a report leads with.</summary>
public static class RootCause
{
    /// <summary>The first error in layer order, except that an app-layer error comes first: the app layer reports an
    /// error only when the protocol it confirmed explains an earlier layer's symptom (the 400 "Transport unknown", the
    /// close 4406), and the protocol is then what the user must change. The symptom stays listed as evidence.</summary>
    public static Finding? Pick(IReadOnlyList<Finding> ordered) =>
        ordered.FirstOrDefault(f => f.Layer == Layer.App && f.Severity == Severity.Error)
        ?? ordered.FirstOrDefault(f => f.Severity == Severity.Error);
}
