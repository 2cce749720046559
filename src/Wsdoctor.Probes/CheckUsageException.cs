namespace Wsdoctor.Probes;

/// <summary>The user asked for something that cannot be done (a missing file, a malformed option):
/// the CLI prints the message on one line and exits 2.</summary>
public sealed class CheckUsageException(string message) : Exception(message);
