using Wsdoctor.Findings;

namespace Wsdoctor.Server.Hosting;

/// <summary>The server could not listen (port in use, address not available). The message is one line for the
/// user, in the output language; the CLI exits 1.</summary>
public sealed class ListenException(Text message, Exception? inner = null) : Exception(message?.En, inner)
{
    /// <summary>The message in every output language (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = message ?? Text.Empty;
}
