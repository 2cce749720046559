namespace Wsdoctor.Protocol.Http;

/// <summary>Outcome of feeding bytes to a head parser. Only <see cref="NeedMoreData"/> is not final.</summary>
public enum HeadParseStatus
{
    NeedMoreData,
    Complete,
    Invalid,
    TooLarge,
}
