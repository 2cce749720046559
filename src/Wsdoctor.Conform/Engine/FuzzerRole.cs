namespace Wsdoctor.Conform.Engine;

/// <summary>Which side of the connection the fuzzer plays. <see cref="Client"/>: <c>conform server</c> tests a
/// server (Autobahn's fuzzingclient), masking its frames; <see cref="Server"/>: <c>conform client</c> tests a client
/// (Autobahn's fuzzingserver), expecting masked frames (RFC 6455 5.1).</summary>
public enum FuzzerRole
{
    Client,
    Server,
}
