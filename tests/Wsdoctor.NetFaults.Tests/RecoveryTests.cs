using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.NetFaults.Tests;

/// <summary>A link outage (every packet lost both ways for several seconds, then restored): the connection cannot
/// notice by itself — no FIN, no RST — so <c>connect --reconnect</c> and <c>watch</c> must find out through their pings,
/// retry while the link is down, and be back on a fresh connection once it is up.</summary>
public sealed class RecoveryTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    [SkippableFact]
    public async Task ConnectReconnect_AfterLinkOutage_OpensAgainAndEchoes()
    {
        await using var link = await FaultyLink.CreateAsync();
        var (_, url) = await link.StartServeAsync();
        await link.SetAsync(delayMs: 30, jitterMs: 10);
        var connect = link.StartWsdoctor(link.ClientNamespace,
            ["connect", url.ToString(), "--reconnect", "--reconnect-max-delay", "2s", "--reconnect-max-attempts", "30",
             "--ping-interval", "1s", "--ping-timeout", "2s", "--timeout", "3s"]);

        await connect.Stdin.WriteLineAsync("before");
        await connect.Stdin.FlushAsync();
        await connect.Stdout.WaitForAsync(l => l == "before", TimeSpan.FromSeconds(60), "echo before the outage");

        await link.DownAsync();
        var reconnecting = await connect.Stderr.WaitForAsync(l => l.Contains("reconnecting in", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the drop noticed");
        await Task.Delay(Outage);
        await link.UpAsync();

        // A line typed while the link is down or coming back is sent on the new connection.
        await connect.Stdin.WriteLineAsync("after");
        await connect.Stdin.FlushAsync();
        await connect.Stdout.WaitForAsync(l => l == "after", TimeSpan.FromSeconds(60), "echo after the outage");
        Assert.False(connect.HasExited, string.Join('\n', connect.Stderr.Lines));
        Assert.Contains(reconnecting, connect.Stderr.Lines);
    }

    [SkippableFact]
    public async Task Watch_AfterLinkOutage_NamesTheDropAndOpensAgain()
    {
        await using var link = await FaultyLink.CreateAsync();
        var (_, url) = await link.StartServeAsync();
        await link.SetAsync(delayMs: 30, jitterMs: 10);
        var watch = link.StartWsdoctor(link.ClientNamespace,
            ["watch", url.ToString(), "--jsonl", "--ping-interval", "1s", "--ping-timeout", "2s", "--reconnect-max-delay", "2s",
             "--timeout", "3s", "--no-diagnose", "--for", "90s"]);

        await watch.Stdout.WaitForAsync(l => Event(l) == "open", TimeSpan.FromSeconds(60), "first open");
        await link.DownAsync();
        var drop = await watch.Stdout.WaitForAsync(l => Event(l) == "drop", TimeSpan.FromSeconds(30), "the drop");
        await Task.Delay(Outage);
        await link.UpAsync();
        var reopened = await watch.Stdout.WaitForAsync(l => Event(l) == "open" && Number(l, "connection") >= 2, TimeSpan.FromSeconds(60), "open after the outage");

        Assert.Contains("ping", drop, StringComparison.OrdinalIgnoreCase);
        Assert.True(Number(reopened, "reconnectMs") >= Outage.TotalMilliseconds * 0.8, reopened);
        watch.Signal(LongRunningProcess.SigInt);
        await watch.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(watch.Stdout.Lines, l => Event(l) == "summary");
    }

    private static string? Event(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.TryGetProperty("event", out var e) ? e.GetString() : null;
    }

    private static double Number(string line, string name)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : -1;
    }
}
