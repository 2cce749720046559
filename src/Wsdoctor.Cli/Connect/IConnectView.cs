using Wsdoctor.Client.Session;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli.Connect;

/// <summary>Where connect's output goes: pipe mode (data on stdout, status on stderr) or the terminal (all of it
/// above the prompt). Called from several tasks; implementations serialise.</summary>
public interface IConnectView
{
    void Status(IReadOnlyList<string> lines);

    void Event(SessionEvent e);

    /// <summary>The connection could not be opened: what failed, then check's root cause and fix.</summary>
    void Diagnosis(Text failure, CheckReport report);
}
