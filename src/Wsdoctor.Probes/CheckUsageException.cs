using Wsdoctor.Findings;

namespace Wsdoctor.Probes;

/// <summary>The user asked for something that cannot be done (a missing file, a malformed option):
/// the CLI prints the message on one line, in the output language, and exits 2.</summary>
public sealed class CheckUsageException(Text message) : Exception(message?.En)
{
    /// <summary>The message in every output language (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = message ?? Text.Empty;
}
