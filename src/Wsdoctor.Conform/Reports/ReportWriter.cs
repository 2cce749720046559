using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Conform.Reports;

/// <summary>Writes a report directory as Autobahn lays it out: <c>index.json</c> (agent → case → behavior,
/// behaviorClose, duration, remoteCloseCode, reportfile), one JSON file per agent and case, and a self-contained
/// <c>index.html</c>. Agents already in the directory's index.json (earlier runs) are kept unless run again, so
/// the summary matrix compares several servers or clients.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ConformJsonContext.Default,
    };

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T));

    public sealed record IndexEntry(
        [property: JsonPropertyName("behavior")] string Behavior,
        [property: JsonPropertyName("behaviorClose")] string BehaviorClose,
        [property: JsonPropertyName("duration")] long Duration,
        [property: JsonPropertyName("remoteCloseCode")] int? RemoteCloseCode,
        [property: JsonPropertyName("reportfile")] string ReportFile);

    /// <summary>Writes the reports; returns every agent's results (the merged set).</summary>
    /// <param name="agentsAreServers">True for <c>conform server</c> (the agents tested are servers).</param>
    /// <param name="showSecrets">Keep tokens, cookies and Authorization in the heads (--show-secrets); otherwise redacted.</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<CaseResult>> Write(string directory, IReadOnlyList<CaseResult> results, bool agentsAreServers, string title, bool showSecrets = false)
    {
        ArgumentNullException.ThrowIfNull(results);
        results = showSecrets ? results : [.. results.Select(ReportSecrets.Redact)];
        Directory.CreateDirectory(directory);
        var byAgent = LoadEarlier(directory);
        foreach (var group in results.GroupBy(r => r.Agent))
        {
            byAgent[group.Key] = [.. group.OrderBy(r => r.Id, Comparer<string>.Create(ConformCase.Compare))];
        }

        var cases = CaseTable.All.ToDictionary(c => c.Id);
        var index = new SortedDictionary<string, SortedDictionary<string, IndexEntry>>(StringComparer.Ordinal);
        foreach (var (agent, agentResults) in byAgent)
        {
            var entries = new SortedDictionary<string, IndexEntry>(Comparer<string>.Create(ConformCase.Compare));
            foreach (var result in agentResults)
            {
                var file = FileName(agent, result.Id);
                entries[result.Id] = new IndexEntry(result.Behavior, result.BehaviorClose, result.DurationMs, result.RemoteCloseCode, file);
                if (results.Contains(result))
                {
                    File.WriteAllText(Path.Combine(directory, file),
                        JsonSerializer.Serialize(CaseReportFile.From(result, cases.GetValueOrDefault(result.Id), agentsAreServers), Info<CaseReportFile>()));
                }
            }

            index[agent] = entries;
        }

        File.WriteAllText(Path.Combine(directory, "index.json"), JsonSerializer.Serialize(index, Info<SortedDictionary<string, SortedDictionary<string, IndexEntry>>>()));
        File.WriteAllText(Path.Combine(directory, "index.html"), HtmlReport.Render(byAgent, cases, title));
        return byAgent;
    }

    /// <summary>Autobahn's name for a case file: the agent in lower case with anything but letters and digits
    /// replaced by '_', then <c>_case_</c> and the id with '_' for '.'.</summary>
    public static string FileName(string agent, string id)
    {
        var slug = new string([.. agent.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return $"{slug}_case_{id.Replace('.', '_')}.json";
    }

    private static Dictionary<string, IReadOnlyList<CaseResult>> LoadEarlier(string directory)
    {
        var earlier = new Dictionary<string, IReadOnlyList<CaseResult>>(StringComparer.Ordinal);
        var indexPath = Path.Combine(directory, "index.json");
        if (!File.Exists(indexPath))
        {
            return earlier;
        }

        try
        {
            var index = JsonSerializer.Deserialize(File.ReadAllText(indexPath), Info<Dictionary<string, Dictionary<string, IndexEntry>>>()) ?? [];
            foreach (var (agent, entries) in index)
            {
                var list = new List<CaseResult>();
                foreach (var (_, entry) in entries)
                {
                    var path = Path.Combine(directory, Path.GetFileName(entry.ReportFile));
                    if (File.Exists(path) && JsonSerializer.Deserialize(File.ReadAllText(path), Info<CaseReportFile>()) is { } file)
                    {
                        list.Add(file.ToResult());
                    }
                }

                earlier[agent] = list;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            // Not a report we wrote (or damaged): start afresh rather than refuse to write.
            earlier.Clear();
        }

        return earlier;
    }
}

/// <summary>The report files' types, source-generated; the wire log's entries are <c>[double, string, string]</c>.</summary>
[JsonSerializable(typeof(CaseReportFile))]
[JsonSerializable(typeof(SortedDictionary<string, SortedDictionary<string, ReportWriter.IndexEntry>>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, ReportWriter.IndexEntry>>))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class ConformJsonContext : JsonSerializerContext;
