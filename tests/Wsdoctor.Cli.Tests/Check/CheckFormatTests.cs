using System.Text.Json;
using System.Xml.Linq;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Check;

/// <summary><c>check --format</c> end to end: the real executable against real loopback servers, each report held to
/// its real schema.</summary>
public sealed class CheckFormatTests
{
    [Fact]
    public async Task CheckJunit_RefusedPort_TcpCaseFailsWithTheVerdictLineAndValidates()
    {
        var port = Peers.FreePort();
        var url = $"ws://127.0.0.1:{port}/";

        var text = await WsdoctorProcess.RunAsync("check", url);
        var run = await WsdoctorProcess.RunAsync("check", url, "--format", "junit");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(ReportSchemas.ValidateJunit(run.Stdout));
        var suite = Assert.Single(XDocument.Parse(run.Stdout).Root!.Elements("testsuite"));
        Assert.Equal(url, (string?)suite.Attribute("name"));
        var cases = suite.Elements("testcase").Select(c => (string)c.Attribute("name")!).ToArray();
        Assert.Equal(["url", "dns", "tcp", "proxy", "tls", "http", "ws", "session", "app"], cases);
        var failure = Assert.Single(suite.Descendants("failure"));
        Assert.Equal("tcp", (string?)failure.Parent!.Attribute("name"));
        // The verdict line, as the text report's first line says it (the listening ports it lists may change
        // between the two runs, so the stable part is compared).
        Assert.StartsWith($"FAIL tcp.refused — nothing listens on port {port}", (string?)failure.Attribute("message"), StringComparison.Ordinal);
        Assert.StartsWith($"FAIL tcp.refused — nothing listens on port {port}", text.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains("fix: ", failure.Value, StringComparison.Ordinal);
        Assert.Contains("more: wsdoctor explain tcp.refused", failure.Value, StringComparison.Ordinal);
        Assert.NotNull(suite.Elements("testcase").Single(c => (string?)c.Attribute("name") == "tls").Element("skipped"));
    }

    [Fact]
    public async Task CheckSarif_HealthyAndRefused_ValidateAndCarryTheFindings()
    {
        await using var server = await KestrelEcho.StartAsync();

        var healthy = await WsdoctorProcess.RunAsync("check", $"ws://127.0.0.1:{server.Port}/ws", "--format", "sarif");
        var refused = await WsdoctorProcess.RunAsync("check", $"ws://127.0.0.1:{Peers.FreePort()}/", "--format", "sarif");

        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Empty(ReportSchemas.ValidateSarif(healthy.Stdout));
        Assert.Empty(ReportSchemas.ValidateSarif(refused.Stdout));
        Assert.Equal(0, JsonDocument.Parse(healthy.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
        var result = JsonDocument.Parse(refused.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal("tcp.refused", result.GetProperty("ruleId").GetString());
        Assert.Equal("error", result.GetProperty("level").GetString());
    }

    [Fact]
    public async Task CheckJson_IsFormatJson()
    {
        await using var server = await KestrelEcho.StartAsync();
        var url = $"ws://127.0.0.1:{server.Port}/ws";

        var alias = await WsdoctorProcess.RunAsync("check", url, "--json");
        var format = await WsdoctorProcess.RunAsync("check", url, "--format", "json");

        Assert.True(alias.ExitCode == 0 && format.ExitCode == 0, alias + "\n" + format);
        static string[] Shape(string json) => JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(Shape(alias.Stdout), Shape(format.Stdout));
        Assert.Equal("ok", JsonDocument.Parse(format.Stdout).RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task CheckFormats_SecretsRedactedInJunitSarifAndJson()
    {
        await using var server = await KestrelEcho.StartAsync();
        const string bearer = "hdr-secret-4f9a1c2e7b";
        const string query = "qs-secret-8d1e6a";
        const string cookie = "ck-secret-3b7c9e";
        string[] args = ["check", $"ws://127.0.0.1:{server.Port}/ws?access_token={query}", "-H", $"Authorization: Bearer {bearer}", "--cookie", $"session={cookie}"];

        foreach (var format in new[] { "text", "json", "junit", "sarif" })
        {
            var run = await WsdoctorProcess.RunAsync([.. args, "--format", format, "--verbose"]);

            Assert.True(run.ExitCode is 0 or 1, run.ToString());
            foreach (var secret in new[] { bearer, query, cookie })
            {
                Assert.False(run.Stdout.Contains(secret, StringComparison.Ordinal), $"--format {format} printed {secret}\n{run}");
            }

            Assert.Contains("[redacted, ", run.Stdout, StringComparison.Ordinal);
        }

        // The control: the same secrets do reach the report with --show-secrets.
        var shown = await WsdoctorProcess.RunAsync([.. args, "--format", "junit", "--show-secrets"]);
        Assert.Contains(bearer, shown.Stdout, StringComparison.Ordinal);
        Assert.Contains(query, shown.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "check", "ws://127.0.0.1:1/", "--format", "xml" }, "wsdoctor: error: --format takes text, json, junit or sarif (got 'xml')")]
    [InlineData(new[] { "check", "ws://127.0.0.1:1/", "--json", "--format", "junit" }, "wsdoctor: error: --json and --format junit exclude each other")]
    [InlineData(new[] { "check", "ws://127.0.0.1:1/", "--parallel", "2" }, "wsdoctor: error: --parallel needs --targets")]
    [InlineData(new[] { "check", "ws://127.0.0.1:1/", "--output", "/tmp/x.xml" }, "wsdoctor: error: --output needs --format json, junit or sarif")]
    public async Task Check_FormatMistakes_OneLineExit2(string[] args, string expected)
    {
        var run = await WsdoctorProcess.RunAsync(args);

        run.AssertUsageError(expected);
        Assert.Equal("", run.Stdout);
    }
}
