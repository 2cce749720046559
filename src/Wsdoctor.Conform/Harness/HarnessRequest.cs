using System.Globalization;

namespace Wsdoctor.Conform.Harness;

/// <summary>A request of Autobahn's fuzzingserver protocol: the path and its query parameters.</summary>
public sealed record HarnessRequest(string Path, IReadOnlyDictionary<string, string> Query)
{
    public static HarnessRequest Parse(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
                query.TryAdd(key, value);
            }
        }

        return new HarnessRequest(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/", query);
    }

    public string? Agent => Query.GetValueOrDefault("agent");

    /// <summary>The case as <c>case=N</c> (1-based, Autobahn's order) or <c>casetuple=1.2.3</c>.</summary>
    public int? CaseNumber(IReadOnlyList<string> ids)
    {
        if (Query.TryGetValue("case", out var n) && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= ids.Count)
        {
            return number;
        }

        if (Query.TryGetValue("casetuple", out var tuple))
        {
            var index = ids.ToList().IndexOf(tuple);
            return index < 0 ? null : index + 1;
        }

        return null;
    }
}
