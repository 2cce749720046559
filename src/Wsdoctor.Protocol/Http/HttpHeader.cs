namespace Wsdoctor.Protocol.Http;

/// <summary>One header field as it appeared on the wire: name with its original case, value without the
/// surrounding optional whitespace (RFC 9110 5.5) and with obs-fold continuations joined by one space.</summary>
public sealed record HttpHeader(string Name, string Value);
