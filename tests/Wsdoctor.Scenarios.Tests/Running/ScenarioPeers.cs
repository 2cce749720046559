using Wsdoctor.TestPeers;

namespace Wsdoctor.Scenarios.Tests.Running;

/// <summary>The servers written for these tests, really started: tests/peers/servers/chat-server.js on Node
/// <c>ws</c> and tests/peers/python/jsonrpc_server.py on Python <c>websockets</c>.</summary>
internal sealed class ScenarioPeer : IDisposable
{
    private readonly PeerProcess _process;

    private ScenarioPeer(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ScenarioPeer> ChatAsync(int heartbeatMs = 0)
    {
        Peers.RequireNodeModule("ws");
        var script = Path.Combine(Peers.NodeProject, "servers", "chat-server.js");
        var (process, line) = await PeerProcess.StartAsync(Peers.Node, [script, "--heartbeat", heartbeatMs.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(20));
        return new ScenarioPeer(process, int.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
    }

    public static async Task<ScenarioPeer> JsonRpcAsync()
    {
        Peers.Require(Peers.Python);
        var script = Path.Combine(Peers.NodeProject, "python", "jsonrpc_server.py");
        var (process, line) = await PeerProcess.StartAsync(Peers.Python, [script], TimeSpan.FromSeconds(20));
        return new ScenarioPeer(process, int.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _process.Dispose();
}
