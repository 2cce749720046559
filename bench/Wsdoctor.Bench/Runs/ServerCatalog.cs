using Wsdoctor.Bench.Servers;

namespace Wsdoctor.Bench.Runs;

/// <summary>Starts a server under test by its name on the command line. Every one listens on 127.0.0.1 with a
/// port the kernel picks (port 0) and says where once it accepts.</summary>
public static class ServerCatalog
{
    public const string Wsdoctor = "wsdoctor";
    public const string Node = "node-ws";
    public const string Gorilla = "gorilla";
    public const string Python = "python-websockets";

    /// <summary>The raw TCP reference: no WebSocket at all, so it has no idle-memory row.</summary>
    public const string TcpEcho = "tcp-echo";

    public static readonly IReadOnlyList<string> Known = [Wsdoctor, Node, Gorilla, Python, TcpEcho];

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static bool IsWebSocket(string name) => name != TcpEcho;

    public static Task<ServerProcess> StartAsync(string name, BenchSettings settings, CancellationToken ct) => name switch
    {
        Wsdoctor => ServerProcess.StartWsdoctorAsync(settings.Dotnet, settings.WsdoctorDll, BenchSettings.ServeArguments, StartTimeout, ct),
        Node => ServerProcess.StartPeerAsync(name, settings.Node, [settings.NodeServerScript, settings.WsModule], StartTimeout, ct),
        Gorilla => ServerProcess.StartPeerAsync(name, settings.GorillaServer, [], StartTimeout, ct),
        Python => ServerProcess.StartPeerAsync(name, settings.Python, [settings.PythonServerScript], StartTimeout, ct),
        TcpEcho => ServerProcess.StartPeerAsync(name, settings.TcpEchoServer, [], StartTimeout, ct),
        _ => throw new ArgumentException($"unknown server {name}; known: {string.Join(", ", Known)}", nameof(name)),
    };
}
