using Wsdoctor.Findings;

namespace Wsdoctor.CertTool;

/// <summary>Misuse or unreadable input (a missing file, no certificate in it, an encrypted key): one line for the user,
/// in the output language, exit 2. A certificate that is wrong is a finding, never this.</summary>
public sealed class CertInputException(Text message) : Exception(message?.En)
{
    /// <summary>The message in every output language (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = message ?? Text.Empty;
}
