namespace Wsdoctor.Findings;

/// <summary>One entry of the failure catalogue (shared/failure-catalogue.md): the stable code, where it sits,
/// how bad it is by default, and the short fix printed under a finding. The long text lives in
/// <c>Explanations/CODE.md</c> and is printed by <c>wsdoctor explain CODE</c>.</summary>
public sealed record CatalogueEntry(
    string Code,
    Layer Layer,
    Severity Severity,
    string Milestone,
    string Title,
    string Fix);
