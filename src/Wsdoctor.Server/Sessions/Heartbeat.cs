using System.Diagnostics;

namespace Wsdoctor.Server.Sessions;

/// <summary>--ping-interval for the pipe sessions: one timer for the whole server instead of one per connection.
/// Each tick pings the sessions whose last ping is an interval old and reaps those whose ping has gone unanswered
/// for the ping timeout (as System.Net.WebSockets' KeepAliveInterval/KeepAliveTimeout do per socket).</summary>
internal static class Heartbeat
{
    public static async Task RunAsync(SessionHub hub, TimeSpan interval, TimeSpan timeout, CancellationToken ct)
    {
        // A tick a quarter of the shorter period: pings go out at most that late, reaping happens at most that late.
        var tick = TimeSpan.FromTicks(Math.Clamp(Math.Min(interval.Ticks, timeout.Ticks) / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        var intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        var timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(tick);
        try
        {
            // Bounded by the server's lifetime: ends when it stops.
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var session in hub.All)
                {
                    if (session is PipeSession pipe)
                    {
                        pipe.Beat(now, intervalTicks, timeoutTicks);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server stops.
        }
    }
}
