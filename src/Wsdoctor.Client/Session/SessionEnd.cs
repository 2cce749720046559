namespace Wsdoctor.Client.Session;

/// <summary>How a session ended. <paramref name="Code"/> is the server's close code (null: no Close frame, 1006);
/// <paramref name="WeClosed"/> when we started the closing handshake.</summary>
public sealed record SessionEnd(int? Code, string Reason, bool WeClosed, string? Error)
{
    /// <summary>The drop was a TCP RST (ECONNRESET), not a FIN: a stateful box or the server's kernel reset it.</summary>
    public bool Reset { get; init; }

    /// <summary>Exit 0: a close we asked for, or the server saying 1000/1001 (README: exit codes).</summary>
    public bool IsNormal => Error is null && (WeClosed || Code is 1000 or 1001);

    /// <summary>The connection died without a closing handshake.</summary>
    public bool IsDrop => !WeClosed && (Code is null || Error is not null);

    /// <summary>What --reconnect reacts to: a drop, or a server saying it is going away, restarting, overloaded or
    /// failing (1001, 1011-1014: RFC 6455 7.4.1 and the IANA registry), all of which a later attempt can outlive.
    /// A policy refusal such as 1008 would only be refused again.</summary>
    public bool WorthReconnecting => IsDrop || (!WeClosed && Code is 1001 or 1011 or 1012 or 1013 or 1014);
}
