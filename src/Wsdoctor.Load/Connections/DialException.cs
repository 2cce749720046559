namespace Wsdoctor.Load.Connections;

/// <summary>A connection could not be opened; the message says what the server or the network did.</summary>
public sealed class DialException(string message) : Exception(message);
