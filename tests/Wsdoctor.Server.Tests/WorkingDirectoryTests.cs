using System.Net;
using System.Net.Sockets;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

/// <summary>serve started inside someone's project: the directory it runs in is the user's, not its configuration.</summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task Serve_InAnAspNetProjectDirectory_IgnoresItsAppsettings_AndWatchesNoDirectory()
    {
        using var dir = new TempDir();
        var stray = FreePort();
        await File.WriteAllTextAsync(dir.File("appsettings.json"),
            $$"""{ "Kestrel": { "Endpoints": { "Stray": { "Url": "http://127.0.0.1:{{stray}}" } } } }""");
        for (var i = 0; i < 50; i++)
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, "src", $"module{i}", "obj"));
        }

        // exec: the process the test watches is serve itself.
        await using var serve = LongRunningProcess.Start("bash",
            ["-c", "cd \"$0\" && exec \"$1\" \"$2\" serve --listen 127.0.0.1:0", dir.Path, ServeProcess.DotnetHost, ServeProcess.DllPath]);
        await serve.Stderr.WaitForAsync(l => l.Contains(" event=ready", StringComparison.Ordinal), ServeProcess.StartTimeout, "event=ready");
        var listen = serve.Stderr.Lines.First(l => l.Contains("event=listen", StringComparison.Ordinal));
        var url = new Uri(ServeProcess.Field(listen, "url")!);

        using (var raw = await RawClient.ConnectAsync(url))
        {
            Assert.StartsWith("HTTP/1.1 101", await raw.HandshakeAsync(url), StringComparison.Ordinal);
        }

        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, stray);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(0, InotifyWatches(serve.Id));
    }

    /// <summary>The inotify watches a process holds, from /proc/PID/fdinfo (one "inotify wd:" line per watch).</summary>
    private static int InotifyWatches(int pid) =>
        Directory.GetFiles($"/proc/{pid}/fdinfo").Sum(f =>
        {
            try
            {
                return File.ReadLines(f).Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return 0; // closed in between
            }
        });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
