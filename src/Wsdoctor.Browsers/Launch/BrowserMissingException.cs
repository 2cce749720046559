using Wsdoctor.Findings;

namespace Wsdoctor.Browsers.Launch;

/// <summary>The browser asked for is not installed (or cannot be started): a user's problem, not a finding.</summary>
public sealed class BrowserMissingException(Text message) : Exception(message?.En)
{
    /// <summary>The message in every output language (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = message ?? Text.Empty;
}
