namespace Wsdoctor.Client.Session;

/// <summary>How a session ended. <paramref name="Code"/> is the server's close code (null: no Close frame, 1006);
/// <paramref name="WeClosed"/> when we started the closing handshake.</summary>
public sealed record SessionEnd(int? Code, string Reason, bool WeClosed, string? Error)
{
    /// <summary>Exit 0: a close we asked for, or the server saying 1000/1001 (README: exit codes).</summary>
    public bool IsNormal => Error is null && (WeClosed || Code is 1000 or 1001);

    /// <summary>The connection died without a closing handshake: what --reconnect reacts to.</summary>
    public bool IsDrop => !WeClosed && (Code is null || Error is not null);
}
