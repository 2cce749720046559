using System.Net.WebSockets;

namespace Wsdoctor.Server.Sessions;

/// <summary>How a session ends: the close code and reason sent (or 1006 when no close frame could be), and who
/// started it.</summary>
public sealed record CloseDecision(int Code, string Reason, string By)
{
    public const string ByClient = "client";
    public const string ByServer = "server";

    /// <summary>RFC 6455 7.4.1: 1006 is never sent; it stands for "closed without a close frame".</summary>
    public const int Abnormal = 1006;

    public WebSocketCloseStatus Status => (WebSocketCloseStatus)Code;
}
