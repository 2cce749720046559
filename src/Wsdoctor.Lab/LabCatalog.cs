using Wsdoctor.Lab.Scenarios;

namespace Wsdoctor.Lab;

/// <summary>Every scenario of the fault lab, in layer order.</summary>
public static class LabCatalog
{
    public static IReadOnlyList<LabScenario> All { get; } =
        [.. UrlDnsTcpScenarios.All(), .. ProxyScenarios.All(), .. TlsScenarios.All(), .. HttpScenarios.All(), .. WsSessionScenarios.All(), .. AppScenarios.All(), .. BrowserScenarios.All(), .. IntermediaryScenarios.All()];

    public static LabScenario? Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
