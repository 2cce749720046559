namespace Wsdoctor.Client.Reconnect;

/// <summary>--reconnect: exponential backoff with "full jitter" (a uniformly random delay between zero and the
/// exponential cap), which spreads a crowd of clients that lost the same server instead of having them return
/// in lockstep. <paramref name="random"/> is injectable so tests can pin the sequence.</summary>
public sealed class BackoffPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
{
    public int MaxAttempts => maxAttempts;

    public TimeSpan MaxDelay => maxDelay;

    /// <summary>The cap for attempt <paramref name="attempt"/> (1-based): base * 2^(attempt-1), at most the max delay.</summary>
    public TimeSpan Cap(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * factor));
    }

    /// <summary>The delay before attempt <paramref name="attempt"/>, or null once the attempts are used up.</summary>
    public TimeSpan? DelayBefore(int attempt) =>
        attempt > maxAttempts ? null : TimeSpan.FromMilliseconds(random.NextDouble() * Cap(attempt).TotalMilliseconds);
}
