using Wsdoctor.Findings;

namespace Wsdoctor.Cli;

/// <summary>A command-line mistake: printed as one line, in the output language, exit code 2.</summary>
public sealed class UsageException(Text message) : Exception(message?.En)
{
    /// <summary>The message in every output language (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = message ?? Text.Empty;
}
