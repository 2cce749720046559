using System.Text.Json.Nodes;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.AppProtocols;

/// <summary>One of the application-protocol servers of tests/peers/appproto (npm socket.io, graphql-ws,
/// subscriptions-transport-ws, aedes over websocket-stream, the test STOMP broker), started on a free loopback port.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly LongRunningProcess process;

    private AppServer(LongRunningProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Base => $"ws://127.0.0.1:{Port}";

    public LineLog Stdout => process.Stdout;

    public static async Task<AppServer> StartAsync(string script, params string[] args)
    {
        var path = Peers.Require(Path.Combine(Peers.NodeProject, "appproto", script));
        Peers.Require(Path.Combine(Peers.NodeModules, "socket.io"));
        var process = LongRunningProcess.Start(Peers.Require(Peers.Node), [path, .. args]);
        try
        {
            var first = await process.Stdout.WaitForAsync(l => int.TryParse(l, out _), TimeSpan.FromSeconds(30), $"{script} to print its port");
            return new AppServer(process, int.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public override string ToString() => $"{process.Stdout}\n{process.Stderr}";

    public ValueTask DisposeAsync() => process.DisposeAsync();
}

/// <summary>`wsdoctor check --json` as a user runs it, read back as JSON.</summary>
internal static class Check
{
    public static async Task<(JsonObject Report, CliRun Run)> RunAsync(params string[] args)
    {
        var run = await WsdoctorProcess.RunAsync(["check", .. args, "--json"]);
        var report = JsonNode.Parse(run.Stdout) as JsonObject ?? throw new InvalidOperationException(run.ToString());
        return (report, run);
    }

    public static string? RootCause(this JsonObject report) => report["rootCause"]?["code"]?.GetValue<string>();

    public static JsonObject? Finding(this JsonObject report, string code) =>
        report["findings"]!.AsArray().OfType<JsonObject>().FirstOrDefault(f => f["code"]!.GetValue<string>() == code);

    public static IEnumerable<string> AppCodes(this JsonObject report) =>
        report["findings"]!.AsArray().OfType<JsonObject>().Select(f => f["code"]!.GetValue<string>()).Where(c => c.StartsWith("app.", StringComparison.Ordinal));

    public static string Evidence(this JsonObject finding) => string.Join("\n", finding["evidence"]!.AsArray().Select(e => e!.GetValue<string>()));

    public static string Layer(this JsonObject report, string layer) =>
        report["layers"]!.AsArray().OfType<JsonObject>().First(l => l["layer"]!.GetValue<string>() == layer)["status"]!.GetValue<string>();
}
