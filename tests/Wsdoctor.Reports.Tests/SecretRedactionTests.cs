using Wsdoctor.Findings;
using Wsdoctor.Lab;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports.Tests;

/// <summary>A token handed to check must not reach the terminal, a CI log or a JSON file unless --show-secrets.</summary>
public sealed class SecretRedactionTests(LabReports lab) : IClassFixture<LabReports>
{
    [Fact]
    public void Render_ExpiredTokenScenario_NeverPrintsTheToken()
    {
        var (options, report) = lab[LabReports.TokenExpired];
        var token = options.Token!;
        var signature = token.Split('.')[2];
        // The token was really sent and analysed, so there was something to leak.
        Assert.Equal(Codes.AuthTokenExpired, report.RootCause?.Code);
        Assert.Contains("Authorization: Bearer [redacted, ", report.Connection.RequestHead, StringComparison.Ordinal);

        var outputs = new Dictionary<string, string>
        {
            ["text"] = Text(report, verbose: false),
            ["text --verbose"] = Text(report, verbose: true),
            ["json"] = JsonReport.Render(report),
            ["junit"] = CheckJunitReport.Render(CheckBatch.Single(report)),
            ["sarif"] = Sarif.CheckSarifReport.Render(CheckBatch.Single(report)),
            ["targets json"] = TargetsJsonReport.Render(Batch(report)),
            ["targets text"] = TargetsText(report),
        };

        // The JUnit suite carries the request head, so the header was there to leak, redacted.
        Assert.Contains("Authorization: Bearer [redacted, ", outputs["junit"], StringComparison.Ordinal);

        Assert.Contains("Authorization: Bearer [redacted, ", outputs["text --verbose"], StringComparison.Ordinal);
        Assert.All(outputs, o =>
        {
            Assert.False(o.Value.Contains(token, StringComparison.Ordinal), $"{o.Key} output contains the token");
            Assert.False(o.Value.Contains(signature, StringComparison.Ordinal), $"{o.Key} output contains the token's signature");
        });
    }

    [Fact]
    public async Task Render_ShowSecrets_PrintsTheToken()
    {
        // The control for the test above: with --show-secrets the same outputs do carry the token.
        var scenario = LabCatalog.Find(LabReports.TokenExpired)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await scenario.StartAsync(lab.Environment, timeout.Token);
        await using (instance)
        {
            var options = instance.Options with { ShowSecrets = true };

            var report = await CheckRunner.RunAsync(options, timeout.Token);

            Assert.Contains(options.Token!, Text(report, verbose: true), StringComparison.Ordinal);
            Assert.Contains(options.Token!, JsonReport.Render(report), StringComparison.Ordinal);
            Assert.Contains(options.Token!, CheckJunitReport.Render(CheckBatch.Single(report)), StringComparison.Ordinal);
            Assert.Contains(options.Token!, TargetsJsonReport.Render(Batch(report)), StringComparison.Ordinal);
        }
    }

    private static CheckBatch Batch(CheckReport report) => new([new CheckTarget("targets.txt:1", report)], report.StartedAt, report.TotalMs, "targets.txt");

    private static string TargetsText(CheckReport report)
    {
        using var writer = new StringWriter();
        TargetsTextReport.Render(Batch(report), ConsoleFactory.Create(writer, false), verbose: true);
        return writer.ToString();
    }

    private static string Text(CheckReport report, bool verbose) => string.Join("\n", TextReportTests.Render(report, verbose));
}
