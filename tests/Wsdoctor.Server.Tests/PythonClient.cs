using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

/// <summary>Runs tests/peers/python/serve-client.py (Python websockets 10.4) and returns its JSON lines.</summary>
public static class PythonClient
{
    public static string Script { get; } = Path.Combine(Peers.NodeProject, "python", "serve-client.py");

    public static async Task<IReadOnlyList<JsonElement>> RunAsync(params string[] args)
    {
        Peers.Require(Peers.Python);
        await using var process = LongRunningProcess.Start(Peers.Python, [Script, .. args]);
        process.Stdin.Close();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return process.Stdout.Lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            is { Count: > 0 } lines ? lines : throw new InvalidOperationException($"serve-client.py printed nothing:\n{process.Stderr}");
    }

    public static string? Error(IReadOnlyList<JsonElement> lines) =>
        lines.FirstOrDefault(l => l.TryGetProperty("error", out _)) is { ValueKind: JsonValueKind.Object } e ? e.GetProperty("error").GetString() : null;
}
