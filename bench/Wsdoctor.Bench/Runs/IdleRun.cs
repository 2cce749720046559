using Wsdoctor.Bench.Results;
using Wsdoctor.Bench.Sampling;
using Wsdoctor.Bench.Servers;
using Wsdoctor.Load.Connections;
using Wsdoctor.Load.Echo;
using Wsdoctor.Load.Idle;

namespace Wsdoctor.Bench.Runs;

/// <summary>Memory per idle connection: a fresh server process, warmed up by a short echo run (so JIT and first-use
/// allocations are in the baseline, not charged to the idle connections), then RSS before and after holding N
/// silent connections, each read after a settle delay.</summary>
public static class IdleRun
{
    public static async Task<IdleRow> RunAsync(string serverName, BenchSettings settings, CancellationToken ct)
    {
        using var server = await ServerCatalog.StartAsync(serverName, settings, ct).ConfigureAwait(false);
        var target = new LoadTarget(server.Url);
        var settle = TimeSpan.FromSeconds(settings.SettleSeconds);
        await EchoLoad.RunAsync(target, new EchoLoadOptions { Connections = 16, MessageBytes = 4096, WarmUp = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(1) }, ct).ConfigureAwait(false);
        await Task.Delay(settle, ct).ConfigureAwait(false);
        var before = ProcessSample.Read(server.Pid);
        var acceptsBefore = server.AcceptEvents;

        var idle = await IdleLoad.OpenAsync(target, new IdleLoadOptions { Connections = settings.IdleConnections }, ct).ConfigureAwait(false);
        ProcessSample holding;
        int established;
        long accepts;
        try
        {
            await Task.Delay(settle, ct).ConfigureAwait(false);
            holding = ProcessSample.Read(server.Pid);
            established = idle.Established;
            accepts = server.AcceptEvents - acceptsBefore;
        }
        finally
        {
            await idle.DisposeAsync().ConfigureAwait(false);
        }

        await Task.Delay(settle, ct).ConfigureAwait(false);
        var afterClose = ProcessSample.Read(server.Pid);
        return new IdleRow(
            server.Name,
            settings.IdleConnections,
            established,
            before.RssKiB,
            holding.RssKiB,
            holding.HwmKiB,
            established > 0 ? (double)(holding.RssKiB - before.RssKiB) / established : 0,
            afterClose.RssKiB,
            idle.ClosedCleanly,
            before.Threads,
            holding.Threads,
            serverName == ServerCatalog.Wsdoctor ? accepts : null,
            idle.Errors,
            idle.ErrorSamples);
    }
}
