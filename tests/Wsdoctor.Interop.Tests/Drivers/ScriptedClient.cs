using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>Runs a <see cref="ClientScenario"/> with a real client library: Node `ws` (tests/peers/clients/ws-client.js)
/// or Python `websockets` (tests/peers/python/ws_client.py).</summary>
public sealed class ScriptedClient
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private readonly Func<string> program;
    private readonly Func<string> script;

    private ScriptedClient(string name, Func<string> program, Func<string> script)
    {
        Name = name;
        this.program = program;
        this.script = script;
    }

    public static ScriptedClient NodeWs { get; } = new(
        "node-ws",
        () => Peers.Node,
        () => Path.Combine(Peers.NodeProject, "clients", "ws-client.js"));

    public static ScriptedClient PythonWebsockets { get; } = new(
        "python-websockets",
        () => Peers.Python,
        () => Path.Combine(Peers.NodeProject, "python", "ws_client.py"));

    public string Name { get; }

    /// <summary>"node" or "python", for theories.</summary>
    public static ScriptedClient Named(string name) => name switch
    {
        "node" => NodeWs,
        "python" => PythonWebsockets,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "node or python"),
    };

    /// <summary>Skips (dev box) or fails (CI) when this client is not installed.</summary>
    public void Require()
    {
        if (this == NodeWs)
        {
            Peers.RequireNodeModule("ws");
        }
        else
        {
            Peers.Require(Peers.Python);
        }
    }

    /// <summary>Starts the client and returns at once (for clients that hold a connection while others act).</summary>
    public JsonLinesProcess Start(ClientScenario scenario)
    {
        Require();
        return JsonLinesProcess.Start(program(), [script(), scenario.ToJson()]);
    }

    /// <summary>Runs the scenario to its end (bounded) and returns what the client observed.</summary>
    public async Task<PeerRun> RunAsync(ClientScenario scenario, CancellationToken cancellationToken = default)
    {
        await using var peer = Start(scenario);
        var exit = await peer.WaitForExitAsync(RunTimeout, cancellationToken);
        return new PeerRun(exit, peer.Events, peer.ToString());
    }

    public static async Task<PeerRun> FinishAsync(JsonLinesProcess peer, CancellationToken cancellationToken = default)
    {
        var exit = await peer.WaitForExitAsync(RunTimeout, cancellationToken);
        return new PeerRun(exit, peer.Events, peer.ToString());
    }

    public override string ToString() => Name;
}
