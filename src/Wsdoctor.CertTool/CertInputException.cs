namespace Wsdoctor.CertTool;

/// <summary>Misuse or unreadable input (a missing file, no certificate in it, an encrypted key): one line for the user,
/// exit 2. A certificate that is wrong is a finding, never this.</summary>
public sealed class CertInputException(string message) : Exception(message);
