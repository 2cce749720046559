using Wsdoctor.Load.Errors;

namespace Wsdoctor.Load.Connections;

/// <summary>A connection could not be opened; the message says what the server or the network did, and
/// <see cref="Error"/> names it with the catalogue's code.</summary>
public sealed class DialException(LoadError error) : Exception(error?.Message)
{
    public LoadError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}
