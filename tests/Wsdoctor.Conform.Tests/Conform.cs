using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests;

/// <summary>Runs <c>wsdoctor conform …</c> as a user does and reads the reports it wrote.</summary>
internal static class Conform
{
    private static readonly TimeSpan SuiteBound = TimeSpan.FromSeconds(240);

    public static Task<(CliRun Run, Report Report)> ServerAsync(string url, string agent, params string[] more) =>
        ServerAsync(url, agent, more, new Dictionary<string, string>());

    public static async Task<(CliRun Run, Report Report)> ServerAsync(string url, string agent, string[] more, IReadOnlyDictionary<string, string> environment)
    {
        var dir = Directory.CreateTempSubdirectory("conform-").FullName;
        // A hang guard, not a speed check: the full suite (541 cases, 8 at a time) takes about 15 s on a quiet 2-core
        // machine and more than 60 s beside the other test projects in CI.
        var run = await WsdoctorProcess.RunProcessAsync(WsdoctorProcess.DotnetHost, [WsdoctorProcess.DllPath, "conform", "server", url, "--agent", agent, "--report-dir", dir, .. more], environment, timeout: SuiteBound);
        return (run, Report.Load(dir));
    }
}

/// <summary>A report directory: index.json (Autobahn's shape) and the per-case files.</summary>
internal sealed class Report(string directory, Dictionary<string, Dictionary<string, JsonElement>> index)
{
    public string Directory { get; } = directory;

    public IReadOnlyDictionary<string, Dictionary<string, JsonElement>> Index => index;

    public static Report Load(string directory)
    {
        var path = Path.Combine(directory, "index.json");
        var index = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, JsonElement>>>(File.ReadAllText(path))!
            : [];
        return new Report(directory, index);
    }

    public string Behavior(string agent, string id) => index[agent][id].GetProperty("behavior").GetString()!;

    public IEnumerable<string> CasesGraded(string agent, string grade) =>
        index[agent].Where(c => c.Value.GetProperty("behavior").GetString() == grade).Select(c => c.Key);

    public JsonElement CaseFile(string agent, string id) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, index[agent][id].GetProperty("reportfile").GetString()!))).RootElement;
}
