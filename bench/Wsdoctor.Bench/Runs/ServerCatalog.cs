using Wsdoctor.Bench.Servers;

namespace Wsdoctor.Bench.Runs;

/// <summary>Starts a server under test by its name on the command line.</summary>
public static class ServerCatalog
{
    public const string Wsdoctor = "wsdoctor";
    public const string Node = "node-ws";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static Task<ServerProcess> StartAsync(string name, BenchSettings settings, CancellationToken ct) => name switch
    {
        Wsdoctor => ServerProcess.StartWsdoctorAsync(settings.Dotnet, settings.WsdoctorDll, BenchSettings.ServeArguments, StartTimeout, ct),
        Node => ServerProcess.StartNodeAsync(settings.Node, settings.NodeServerScript, settings.WsModule, StartTimeout, ct),
        _ => throw new ArgumentException($"unknown server {name}; known: {Wsdoctor}, {Node}", nameof(name)),
    };
}
