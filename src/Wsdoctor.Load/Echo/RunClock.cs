using System.Diagnostics;

namespace Wsdoctor.Load.Echo;

/// <summary>The phase every connection reads after each round trip (one volatile read), and the conversion of
/// Stopwatch ticks to nanoseconds.</summary>
internal sealed class RunClock
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private int phase = (int)LoadPhase.Connecting;

    public LoadPhase Phase
    {
        get => (LoadPhase)Volatile.Read(ref phase);
        set => Volatile.Write(ref phase, (int)value);
    }

    public static long Nanoseconds(long ticks) => (long)(ticks * NanosecondsPerTick);
}
