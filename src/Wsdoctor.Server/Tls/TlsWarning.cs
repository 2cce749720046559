namespace Wsdoctor.Server.Tls;

/// <summary>Something about the served certificate that will make some clients fail. Code is a catalogue code
/// when one applies (see <c>wsdoctor explain CODE</c>).</summary>
public sealed record TlsWarning(string Code, string Message);
