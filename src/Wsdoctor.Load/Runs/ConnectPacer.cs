using System.Diagnostics;

namespace Wsdoctor.Load.Runs;

/// <summary>When each new connection may start. With a rate, the k-th handshake of the run is due at
/// start + k/rate and its latency counts from then (a handshake storm measured like an open loop: a server that
/// stalls accepting shows it); without one, at most <c>concurrency</c> handshakes are in flight.</summary>
internal sealed class ConnectPacer(double? rate, int concurrency, long startTimestamp) : IDisposable
{
    private readonly SemaphoreSlim slots = new(concurrency, concurrency);
    private long next = -1;

    /// <summary>Waits for this connection's turn; returns when it was due (Stopwatch timestamp).</summary>
    public async Task<long> WaitTurnAsync(CancellationToken ct)
    {
        if (rate is { } r)
        {
            var k = Interlocked.Increment(ref next);
            var due = startTimestamp + (long)(k / r * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }

            return due;
        }

        await slots.WaitAsync(ct).ConfigureAwait(false);
        return Stopwatch.GetTimestamp();
    }

    public void Done()
    {
        if (rate is null)
        {
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();
}
