using Wsdoctor.Findings;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Analysis;

/// <summary>Names one drop with the catalogue: a Close frame is the server (session.closed-by-server with its code), a
/// missing pong is session.no-pong, a FIN or RST after nothing but silence since the open is an idle cut
/// (session.idle-timeout), and any other loss without a Close frame is session.abnormal-close. Whether drops make a
/// pattern (a fixed silence, a fixed age) is <see cref="DropPattern"/>'s question.</summary>
public static class DropClassifier
{
    /// <summary>Below this a "silence" is just the gap between two frames, not a wait an idle timer could end.</summary>
    public const double MinIdleSeconds = 1.0;

    public static Drop Classify(Drop drop)
    {
        ArgumentNullException.ThrowIfNull(drop);
        var code = drop.Kind switch
        {
            DropKind.NoPong => Codes.SessionNoPong,
            DropKind.Close => Codes.SessionClosedByServer,
            _ when IsIdleCut(drop) => Codes.SessionIdleTimeout,
            _ => Codes.SessionAbnormalClose,
        };
        return drop with { Code = code };
    }

    /// <summary>Nothing moved between the open and the cut: the silence is the whole age of the connection.</summary>
    public static bool IsIdleCut(Drop drop)
    {
        ArgumentNullException.ThrowIfNull(drop);
        return drop.SilentSeconds >= MinIdleSeconds && drop.SilentSeconds >= drop.AgeSeconds * 0.9;
    }
}
