using Wsdoctor.Findings;

namespace Wsdoctor.Probes.App;

/// <summary>One application protocol: whether anything seen so far points at it (no I/O), and the confirmation, which
/// may open a cheap follow-up connection. A protocol is reported only once confirmed, never on a hint alone.</summary>
internal interface IAppDetector
{
    /// <summary>The protocol's name as the layer line shows it.</summary>
    string Name { get; }

    bool Hinted(AppSignals signals);

    /// <summary>The finding when confirmed; null when the server does not speak the protocol after all.</summary>
    Task<Finding?> ConfirmAsync(AppSignals signals, AppProbes probes, bool followUps);
}

internal static class AppFindings
{
    /// <summary>Error when the protocol explains what failed (the 400, the close); info when the client already does it
    /// right; otherwise a warning: the connection opened, but a plain WebSocket client will not get far.</summary>
    public static Severity SeverityFor(bool explainsFailure, bool clientRight) =>
        explainsFailure ? Severity.Error : clientRight ? Severity.Info : Severity.Warning;

    /// <summary>The URL with another path and query, as the user would type it (credentials in the query redacted).</summary>
    public static string Url(AppSignals s, string pathAndQuery) =>
        Protocol.Secrets.SecretRedactor.RedactUrl(s.Target.WithPathAndQuery(pathAndQuery).Uri.ToString());

    /// <summary>The http(s) form of the target's origin, which Socket.IO and SignalR clients take.</summary>
    public static string HttpOrigin(AppSignals s) => $"{(s.Target.IsSecure ? "https" : "http")}://{s.Target.HostHeader}";
}
