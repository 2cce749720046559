namespace Wsdoctor.TestPeers;

/// <summary>A real HTTP CONNECT proxy (Debian's tinyproxy) on a free loopback port, with its own config file:
/// tunnels only to <c>connectPorts</c>, optionally asking for Basic credentials.</summary>
public sealed class Tinyproxy : IDisposable
{
    private readonly PeerProcess process;
    private readonly string directory;

    private Tinyproxy(PeerProcess process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public static string Path => "/usr/bin/tinyproxy";

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string UrlWith(string user, string password) => $"http://{user}:{password}@127.0.0.1:{Port}";

    public static async Task<Tinyproxy> StartAsync(IEnumerable<int> connectPorts, (string User, string Password)? basicAuth = null)
    {
        var program = Peers.Require(Path);
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsdoctor-tinyproxy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = Peers.FreePort();
        var lines = new List<string>
        {
            $"Port {port}",
            "Listen 127.0.0.1",
            "Timeout 30",
            "MaxClients 50",
            "LogLevel Info",
            $"LogFile \"{directory}/tinyproxy.log\"",
            $"PidFile \"{directory}/tinyproxy.pid\"",
            "Allow 127.0.0.1",
        };
        lines.AddRange(connectPorts.Select(p => $"ConnectPort {p}"));
        if (basicAuth is { } auth)
        {
            lines.Add($"BasicAuth {auth.User} {auth.Password}");
        }

        var config = System.IO.Path.Combine(directory, "tinyproxy.conf");
        await File.WriteAllLinesAsync(config, lines);
        var peer = await PeerProcess.StartListeningAsync(program, ["-d", "-c", config], port, TimeSpan.FromSeconds(20));
        return new Tinyproxy(peer, directory, port);
    }

    public string Log => File.Exists(System.IO.Path.Combine(directory, "tinyproxy.log")) ? File.ReadAllText(System.IO.Path.Combine(directory, "tinyproxy.log")) : "";

    public void Dispose()
    {
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
