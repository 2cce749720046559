using Wsdoctor.Findings;

namespace Wsdoctor.Browsers.Probe;

/// <summary>The probe page cannot be served: an address cannot be bound (in use, not available). An
/// <see cref="IOException"/> whose message is one line for the user, in every output language.</summary>
public sealed class ProbeListenException(Text message, Exception? inner = null) : IOException(message?.En, inner)
{
    /// <summary>The message in every output language (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = message ?? Text.Empty;
}
