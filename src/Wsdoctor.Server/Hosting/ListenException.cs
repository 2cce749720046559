namespace Wsdoctor.Server.Hosting;

/// <summary>The server could not listen (port in use, address not available). The message is one line for the
/// user; the CLI exits 1.</summary>
public sealed class ListenException(string message, Exception? inner = null) : Exception(message, inner);
