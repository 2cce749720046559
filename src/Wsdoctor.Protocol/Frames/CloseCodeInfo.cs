namespace Wsdoctor.Protocol.Frames;

/// <summary>What a close code means and what to do about it, for a developer who just saw it in DevTools.</summary>
/// <param name="Name">Registry name, e.g. "Policy Violation", or the range it belongs to.</param>
/// <param name="AllowedOnWire">False for codes RFC 6455 7.4 forbids in a Close frame (1005, 1006, 1015,
/// reserved and out-of-range codes); seeing one in a frame is itself a protocol violation.</param>
public sealed record CloseCodeInfo(int Code, string Name, string Meaning, string LikelyCause, string Fix, bool AllowedOnWire);
