using System.Globalization;
using Wsdoctor.TestPeers;

namespace Wsdoctor.NetFaults.Tests;

/// <summary>Two network namespaces made for one test — the client's and the server's — joined by a point-to-point
/// link that delays, jitters, drops and reorders packets as tc netem would, with the bandwidth capped by the kernel's
/// tbf qdisc on both devices. Everything is torn down on dispose (the processes started in them, the link, the
/// namespaces), and the names are unique per run, so a crashed run leaves nothing a later run collides with.
///
/// Why not netem itself: the kernels this project's CI runs on are built without sch_netem (<c>tc qdisc add ... netem</c>
/// answers "Specified qdisc kind is unknown"), and of the other qdiscs only tbf, htb and the fifos exist; none of them
/// delays or drops at random. The link is therefore <c>tests/peers/netfaults/tunlink.py</c>: one TUN device in each
/// namespace and a user-space copy loop between them with netem's semantics (see that file). The addresses live only
/// inside the two namespaces (10.203.7.1 and .2, point to point), so the host's routing never sees them.</summary>
public sealed class FaultyLink : IAsyncDisposable
{
    public const string ClientAddress = "10.203.7.1";
    public const string ServerAddress = "10.203.7.2";

    private static int counter;
    private readonly List<IAsyncDisposable> started = [];
    private LongRunningProcess? relay;

    private FaultyLink(string id)
    {
        ClientNamespace = $"wsdnf-{id}-c";
        ServerNamespace = $"wsdnf-{id}-s";
        ClientDevice = $"wnf{id}c";
        ServerDevice = $"wnf{id}s";
    }

    public string ClientNamespace { get; }

    public string ServerNamespace { get; }

    private string ClientDevice { get; }

    private string ServerDevice { get; }

    private static string Relay => Path.Combine(Peers.NodeProject, "netfaults", "tunlink.py");

    /// <summary>Builds the namespaces and the link, optionally with a bandwidth cap (kbit/s) in each direction.
    /// Skips the test (fails it under CI=true) when this is not root or the kernel lacks TUN or tbf.</summary>
    public static async Task<FaultyLink> CreateAsync(int? rateKbit = null)
    {
        RequirePrivileges();
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 100000}{Interlocked.Increment(ref counter)}");
        var link = new FaultyLink(id);
        try
        {
            await link.BuildAsync(rateKbit);
            return link;
        }
        catch
        {
            await link.DisposeAsync();
            throw;
        }
    }

    /// <summary>netem's knobs, all at once: one-way delay and its jitter (ms) and the percentages lost and sent
    /// ahead of the queue, in both directions.</summary>
    public Task SetAsync(int delayMs = 0, int jitterMs = 0, double lossPercent = 0, double reorderPercent = 0) =>
        CommandAsync(string.Create(CultureInfo.InvariantCulture,
            $"set delay={delayMs} jitter={jitterMs} loss={lossPercent} reorder={reorderPercent}"));

    /// <summary>Every packet lost both ways, as a pulled cable; <see cref="UpAsync"/> restores the settings.</summary>
    public Task DownAsync() => CommandAsync("down");

    public Task UpAsync() => CommandAsync("up");

    /// <summary>Counters of the relay: forwarded, dropped and reordered packets.</summary>
    public async Task<string> StatsAsync()
    {
        var before = relay!.Stdout.Lines.Count;
        await relay.Stdin.WriteLineAsync("stats");
        await relay.Stdin.FlushAsync();
        return await relay.Stdout.WaitForAsync(l => l.StartsWith("stats ", StringComparison.Ordinal) && relay.Stdout.Lines.Count > before, TimeSpan.FromSeconds(10), "stats");
    }

    /// <summary>Starts PROGRAM ARGS inside a namespace (ip netns exec, which execs, so the process id and signals are
    /// the program's own); it is killed on dispose at the latest.</summary>
    public LongRunningProcess Start(string @namespace, string program, IEnumerable<string> args)
    {
        var process = LongRunningProcess.Start("ip", ["netns", "exec", @namespace, program, .. args]);
        started.Add(process);
        return process;
    }

    /// <summary>Runs wsdoctor ARGS inside a namespace to its end, bounded like <see cref="WsdoctorProcess"/>.</summary>
    public static Task<CliRun> RunWsdoctorAsync(string @namespace, IEnumerable<string> args) =>
        WsdoctorProcess.RunProcessAsync("ip", ["netns", "exec", @namespace, WsdoctorProcess.DotnetHost, WsdoctorProcess.DllPath, .. args], new Dictionary<string, string>());

    public LongRunningProcess StartWsdoctor(string @namespace, IEnumerable<string> args) =>
        Start(@namespace, WsdoctorProcess.DotnetHost, [WsdoctorProcess.DllPath, .. args]);

    /// <summary><c>wsdoctor serve ARGS --listen 10.203.7.2:0</c> in the server's namespace, ready; returns its URL.</summary>
    public async Task<(LongRunningProcess Process, Uri Url)> StartServeAsync(params string[] args)
    {
        var serve = StartWsdoctor(ServerNamespace, ["serve", "--listen", $"{ServerAddress}:0", .. args]);
        await serve.Stderr.WaitForAsync(l => l.Contains(" event=ready", StringComparison.Ordinal), ServeProcess.StartTimeout, "event=ready");
        var listen = serve.Stderr.Lines.First(l => l.Contains("event=listen", StringComparison.Ordinal) && !l.Contains("kind=metrics", StringComparison.Ordinal));
        return (serve, new Uri(ServeProcess.Field(listen, "url")!));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = started.Count - 1; i >= 0; i--)
        {
            await started[i].DisposeAsync();
        }

        if (relay is not null)
        {
            relay.Stdin.Close();
            await relay.DisposeAsync();
        }

        foreach (var ns in new[] { ClientNamespace, ServerNamespace })
        {
            // Only this run's namespaces: whatever still runs in them was started by this fixture.
            var pids = await RunAsync("ip", "netns", "pids", ns);
            foreach (var pid in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await RunAsync("kill", "-9", pid.Trim());
            }

            await RunAsync("ip", "netns", "del", ns);
        }
    }

    private async Task BuildAsync(int? rateKbit)
    {
        await MustAsync("ip", "netns", "add", ClientNamespace);
        await MustAsync("ip", "netns", "add", ServerNamespace);
        relay = LongRunningProcess.Start(Peers.Require(Peers.Python), [Relay, ClientNamespace, ClientDevice, ServerNamespace, ServerDevice]);
        await relay.Stdout.WaitForAsync(l => l.StartsWith("ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "tunlink ready");
        foreach (var (ns, device, local, peer) in new[]
                 {
                     (ClientNamespace, ClientDevice, ClientAddress, ServerAddress),
                     (ServerNamespace, ServerDevice, ServerAddress, ClientAddress),
                 })
        {
            await MustAsync("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            await MustAsync("ip", "netns", "exec", ns, "ip", "addr", "add", local, "peer", peer, "dev", device);
            await MustAsync("ip", "netns", "exec", ns, "ip", "link", "set", device, "up");
            if (rateKbit is { } rate)
            {
                // tbf: the kernel's own token bucket; a 500 ms queue before tail drop, as a slow access link.
                await MustAsync("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", device, "root", "tbf",
                    "rate", $"{rate}kbit", "burst", "16kb", "latency", "500ms");
            }
        }
    }

    private async Task CommandAsync(string line)
    {
        var before = relay!.Stdout.Lines.Count;
        await relay.Stdin.WriteLineAsync(line);
        await relay.Stdin.FlushAsync();
        var answer = await relay.Stdout.WaitForAsync(_ => relay.Stdout.Lines.Count > before, TimeSpan.FromSeconds(10), line);
        Assert.True(relay.Stdout.Lines[before] == "ok", $"tunlink refused '{line}': {relay.Stdout.Lines[before]} ({answer})");
    }

    private static void RequirePrivileges()
    {
        var missing = new List<string>();
        if (!File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"))
        {
            missing.Add("root (network namespaces and TUN devices)");
        }

        if (!File.Exists("/dev/net/tun"))
        {
            missing.Add("/dev/net/tun");
        }

        foreach (var tool in new[] { "/usr/sbin/ip", "/usr/sbin/tc" })
        {
            if (!File.Exists(tool) && !File.Exists(tool.Replace("/usr", "", StringComparison.Ordinal)))
            {
                missing.Add(tool + " (Debian iproute2)");
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var message = "network fault tests need " + string.Join(", ", missing);
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(message);
        }

        Skip.If(true, message);
    }

    private static async Task MustAsync(string program, params string[] args)
    {
        var run = await RunAsync(program, args);
        Assert.True(run.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {run}");
    }

    private static Task<CliRun> RunAsync(string program, params string[] args) =>
        WsdoctorProcess.RunProcessAsync(program, args, new Dictionary<string, string>());
}
