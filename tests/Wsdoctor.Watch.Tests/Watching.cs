using System.Collections.Concurrent;
using Wsdoctor.Client.Opening;
using Wsdoctor.Probes;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Tests;

/// <summary>Runs the engine in process for a short --for and keeps every event.</summary>
internal static class Watching
{
    public static async Task<(WatchSummary Summary, IReadOnlyList<WatchEvent> Events)> RunAsync(string url, TimeSpan duration, TimeSpan? pingInterval = null, int? maxDrops = null)
    {
        var events = new ConcurrentQueue<WatchEvent>();
        var options = new WatchOptions
        {
            Open = new OpenOptions { Check = new CheckOptions { Url = url, StepTimeout = TimeSpan.FromSeconds(3), Deadline = TimeSpan.FromSeconds(5), NoProxy = true } },
            Duration = duration,
            PingInterval = pingInterval,
            PingTimeout = TimeSpan.FromSeconds(3),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            MaxDrops = maxDrops,
        };
        // --for bounds the watch; this bounds the test if the engine ever overran it.
        using var guard = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var summary = await WatchEngine.RunAsync(options, events.Enqueue, guard.Token);
        return (summary, [.. events]);
    }

    public static string Describe(WatchSummary s, IReadOnlyList<WatchEvent> events) =>
        string.Join("\n", events.Where(e => e is not RttEvent and not MessageWatchEvent).Select(e => e.ToString()))
        + "\n" + string.Join("\n", s.Findings.Select(f => $"{f.Code}: {f.Message}\n  {string.Join("\n  ", f.Evidence)}\n  fix: {f.Fix}"));
}
