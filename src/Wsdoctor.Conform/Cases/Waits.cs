namespace Wsdoctor.Conform.Cases;

/// <summary>The waits of the cases. Autobahn waits 1 s (killAfter(1), closeAfter(1), continueLater(1)); a conforming
/// peer never makes a case wait that long, because the case closes as soon as what it expects has arrived. Only the
/// deliberate pauses (fail-fast UTF-8, 5.19) always cost their time, so they are kept shorter.</summary>
internal static class Waits
{
    /// <summary>Autobahn's 1 s bound on a case that expects an answer or a failure.</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    /// <summary>Autobahn's 10 s bound on the 64 KiB cases.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    /// <summary>A deliberate pause in the middle of a message (Autobahn: 1 s).</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    /// <summary>The performance cases: time for the echo of a message of up to 16 MiB, or 1000 round trips.</summary>
    public static readonly TimeSpan Performance = TimeSpan.FromSeconds(30);
}
