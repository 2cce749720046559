using Wsdoctor.Findings;

namespace Wsdoctor.Watch.Engine;

/// <summary>Something the watch saw, in order. <see cref="Elapsed"/> counts from the start of the watch.</summary>
public abstract record WatchEvent(DateTimeOffset At, TimeSpan Elapsed);

/// <summary>A connection opened. <paramref name="ReconnectMs"/>: from the drop before it to this open, backoff and
/// failed attempts included (null for the first one).</summary>
public sealed record OpenedEvent(DateTimeOffset At, TimeSpan Elapsed, int Connection, double OpenMs, string Remote, string? Tls, double? ReconnectMs, string? Intermediary) : WatchEvent(At, Elapsed);

/// <summary>The server presented another certificate than on the previous connection: tls.certificate-changed, with
/// what kind of change it was and the drop it came after.</summary>
public sealed record CertificateChangedEvent(DateTimeOffset At, TimeSpan Elapsed, CertificateChange Change) : WatchEvent(At, Elapsed);

/// <summary>How a new certificate relates to the ones seen before.</summary>
public enum CertificateChangeKind
{
    /// <summary>A certificate never seen before that lasts longer than the previous one: a renewal.</summary>
    Renewed,

    /// <summary>A certificate never seen before that expires no later than the previous one: not a renewal (a rollback,
    /// another backend, a certificate for another name set).</summary>
    Replaced,

    /// <summary>A certificate already seen on an earlier connection: backends behind the name serve different ones.</summary>
    Alternating,
}

/// <summary>One certificate change at a reconnect. <paramref name="Connection"/> is the connection that brought the new
/// certificate; <paramref name="AfterDrop"/> the drop before it (its code, and the close code), if one was seen.</summary>
public sealed record CertificateChange(
    int Connection,
    CertificateChangeKind Kind,
    string? Subject,
    string Previous,
    string Current,
    DateTimeOffset? PreviousNotAfter,
    DateTimeOffset? CurrentNotAfter,
    string? AfterDrop)
{
    public string Code => Findings.Codes.TlsCertificateChanged;
}

/// <summary>A pong answered one of our pings.</summary>
public sealed record RttEvent(DateTimeOffset At, TimeSpan Elapsed, double RttMs) : WatchEvent(At, Elapsed);

/// <summary>A data message either way (the size, and the start of a text message).</summary>
public sealed record MessageWatchEvent(DateTimeOffset At, TimeSpan Elapsed, bool Incoming, int Size, string? Text) : WatchEvent(At, Elapsed);

/// <summary>The connection ended without us asking: classified with a catalogue code.</summary>
public sealed record DropEvent(DateTimeOffset At, TimeSpan Elapsed, Drop Drop) : WatchEvent(At, Elapsed);

/// <summary>A (re)connect attempt failed: <paramref name="Code"/> from the catalogue (tcp.refused, http.upstream-error...).</summary>
public sealed record OpenFailedEvent(DateTimeOffset At, TimeSpan Elapsed, int Attempt, string Code, string? Detail, Text Message, TimeSpan? NextDelay) : WatchEvent(At, Elapsed);

/// <summary>The watch is over: --for elapsed, Ctrl-C, or --max-drops.</summary>
/// <param name="ReasonText">Why, for the timeline; <see cref="Reason"/> is its English, for the JSON.</param>
public sealed record EndedEvent(DateTimeOffset At, TimeSpan Elapsed, Text ReasonText) : WatchEvent(At, Elapsed)
{
    public string Reason => ReasonText.En;
}

/// <summary>How a connection ended, as a value.</summary>
public enum DropKind
{
    /// <summary>A Close frame from the server.</summary>
    Close,

    /// <summary>TCP FIN without a Close frame.</summary>
    Fin,

    /// <summary>TCP RST.</summary>
    Reset,

    /// <summary>Our ping got no pong in time; we aborted the connection.</summary>
    NoPong,
}

/// <summary>One drop: its code, when it came (age since the open, silence since the last frame either way), and what
/// the connection carried while it lived.</summary>
public sealed record Drop(
    int Connection,
    string Code,
    DropKind Kind,
    int? CloseCode,
    string CloseReason,
    double AgeSeconds,
    double SilentSeconds,
    bool Heartbeats,
    int PingsSent,
    int Pongs,
    int ServerPings,
    int MessagesIn,
    int MessagesOut,
    string Message);
