using System.CommandLine;
using System.Net;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>Everything that listens does so on loopback unless told otherwise: serve, the exporter, the probe page and
/// conform's client harness (the lab binds 127.0.0.1 only, in code). The defaults are read from the very options the
/// commands parse, and the probe (whose default port is 0, free) is started and its sockets read from /proc/net/tcp.</summary>
public sealed class ListenDefaultTests
{
    [Fact]
    public void Serve_WithoutListen_IsLoopbackOnly()
    {
        var options = new Wsdoctor.Cli.ServeCommandOptions();
        var command = new Command("serve");
        options.AddTo(command);

        var serve = options.Read(command.Parse([]));

        Assert.NotEmpty(serve.Listen);
        Assert.All(serve.Listen, l => Assert.True(IPAddress.IsLoopback(l.Address), $"serve listens on {l.Address} by default"));
    }

    [Theory]
    [InlineData("exporter")]
    [InlineData("probe", "ws://127.0.0.1:1/")]
    [InlineData("conform", "client")]
    public void ListeningCommands_DefaultListenAddress_IsLoopback(params string[] args)
    {
        var root = new RootCommand
        {
            Wsdoctor.Cli.Exporter.ExporterCommand.Create(),
            Wsdoctor.Cli.Probe.ProbeCommand.Create(),
            Wsdoctor.Cli.Conform.ConformCommand.Create(),
        };

        var listen = root.Parse(args).GetValue<string>("--listen");

        Assert.NotNull(listen);
        var endpoint = IPEndPoint.Parse(listen);
        Assert.True(IPAddress.IsLoopback(endpoint.Address), $"wsdoctor {string.Join(' ', args)} listens on {listen} by default");
    }

    [Fact]
    public async Task Probe_StartedWithDefaults_HasNoSocketBeyondLoopback()
    {
        await using var probe = LongRunningProcess.Start(WsdoctorProcess.DotnetHost, [WsdoctorProcess.DllPath, "probe", "ws://127.0.0.1:1/", "--no-qr", "--wait", "30s"]);
        await probe.Stderr.WaitForAsync(l => l.StartsWith("  http://", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the probe link");

        var listening = ListeningAddresses(probe.Id);

        Assert.NotEmpty(listening);
        Assert.All(listening, a => Assert.True(IPAddress.IsLoopback(a), $"probe listens on {a}"));
    }

    /// <summary>The local addresses of the process' sockets in LISTEN state (/proc/net/tcp{,6}: st 0A; inode matched
    /// against /proc/PID/fd).</summary>
    private static List<IPAddress> ListeningAddresses(int pid)
    {
        var inodes = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? "")
            .Where(t => t.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(t => t[8..^1])
            .ToHashSet(StringComparer.Ordinal);
        var addresses = new List<IPAddress>();
        foreach (var (file, v6) in new[] { ("/proc/net/tcp", false), ("/proc/net/tcp6", true) })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f[3] == "0A" && inodes.Contains(f[9]))
                {
                    var hex = f[1][..f[1].IndexOf(':', StringComparison.Ordinal)];
                    var bytes = Convert.FromHexString(hex);
                    // The kernel prints each 32-bit word in host (little-endian) order.
                    for (var i = 0; i < bytes.Length; i += 4)
                    {
                        Array.Reverse(bytes, i, 4);
                    }

                    addresses.Add(new IPAddress(bytes));
                }
            }
        }

        return addresses;
    }
}
