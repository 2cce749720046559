using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Exporter.Hosting;

namespace Wsdoctor.Exporter.Tests;

/// <summary>An exporter on a free loopback port, in process, and the samples of a Prometheus text answer.</summary>
internal static partial class Support
{
    public static async Task<ExporterServer> StartAsync(string? yaml = null, int concurrency = 4, IReadOnlyDictionary<string, string>? environment = null)
    {
        var config = yaml is null ? ExporterConfig.Builtin : ConfigLoader.Parse(yaml, "test.yaml", Path.GetTempPath());
        return await ExporterServer.StartAsync(new ExporterOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Config = config,
            Concurrency = concurrency,
            Environment = name => environment?.GetValueOrDefault(name),
        }, CancellationToken.None);
    }

    public static HttpClient Client(TimeSpan? timeout = null) => new() { Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public static async Task<(int Status, string Text)> GetAsync(Uri url, double? scrapeTimeout = null)
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (scrapeTimeout is { } s)
        {
            request.Headers.Add("X-Prometheus-Scrape-Timeout-Seconds", s.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Uri Probe(ExporterServer server, string target, string module = "default") =>
        new(server.Url, $"probe?target={Uri.EscapeDataString(target)}&module={module}");

    /// <summary>name{labels} value lines, the labels as written (without braces); comments skipped.</summary>
    public static IReadOnlyList<(string Name, string Labels, double Value)> Samples(string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l =>
        {
            var m = SampleLine().Match(l);
            Assert.True(m.Success, $"not a sample line: {l}");
            return (m.Groups["name"].Value, m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        })];

    public static double Value(string text, string name, string labels = "") =>
        Samples(text).Single(s => s.Name == name && s.Labels == labels).Value;

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();
}
