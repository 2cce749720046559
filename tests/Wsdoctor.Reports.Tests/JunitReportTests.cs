using System.Xml.Linq;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Reports.Tests;

/// <summary>check's JUnit report, rendered from real lab checks and held to the JUnit XSD (Schemas/junit.xsd).</summary>
public sealed class JunitReportTests(LabReports lab) : IClassFixture<LabReports>
{
    [Theory]
    [MemberData(nameof(LabReports.All), MemberType = typeof(LabReports))]
    public void Render_LabReport_ValidatesAgainstJunitXsd(string scenario)
    {
        var xml = CheckJunitReport.Render(CheckBatch.Single(lab[scenario].Report));

        Assert.Empty(ReportSchemas.ValidateJunit(xml));
    }

    [Fact]
    public void Render_NameMismatch_OneCasePerLayerFailureIsTheVerdictLine()
    {
        var report = lab[LabReports.NameMismatch].Report;

        var suite = Assert.Single(XDocument.Parse(CheckJunitReport.Render(CheckBatch.Single(report))).Root!.Elements("testsuite"));

        var cases = suite.Elements("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        Assert.Equal(CheckRunner.CheckLayers.Select(l => l.Name()), cases.Keys);
        var failure = Assert.Single(suite.Descendants("failure"));
        Assert.Same(cases["tls"], failure.Parent);
        Assert.Equal("FAIL tls.name-mismatch — certificate covers www.example.com, example.com, not test.example.com", (string?)failure.Attribute("message"));
        Assert.Equal(TextReportTests.Render(report)[0], (string?)failure.Attribute("message"));
        Assert.Equal("tls.name-mismatch", (string?)failure.Attribute("type"));
        Assert.Contains($"evidence: {report.RootCause!.Evidence[0]}", failure.Value, StringComparison.Ordinal);
        Assert.Contains($"fix: {report.RootCause.Fix.En.Split('\n')[0]}", failure.Value, StringComparison.Ordinal);
        // Layers after the failing one were never reached; url passed.
        Assert.StartsWith("not reached", (string?)cases["session"].Element("skipped")!.Attribute("message"), StringComparison.Ordinal);
        Assert.Null(cases["url"].Element("skipped"));
        Assert.Null(cases["url"].Element("failure"));
    }

    [Fact]
    public void Render_Healthy_NoFailureProxyAndTlsSkipped()
    {
        var document = XDocument.Parse(CheckJunitReport.Render(CheckBatch.Single(lab[LabReports.Healthy].Report)));

        Assert.Empty(document.Descendants("failure"));
        var skipped = document.Descendants("testcase").Where(c => c.Element("skipped") is not null).Select(c => (string)c.Attribute("name")!).ToArray();
        Assert.Contains("proxy", skipped);
        Assert.Equal("0", (string?)document.Root!.Attribute("failures"));
    }

    [Fact]
    public void Render_Batch_OneSuitePerTargetWithItsSource()
    {
        var batch = new CheckBatch(
            [new CheckTarget("t.txt:1", lab[LabReports.Healthy].Report), new CheckTarget("t.txt:3", lab[LabReports.Close1008].Report)],
            DateTimeOffset.UtcNow, 1234, "t.txt");

        var xml = CheckJunitReport.Render(batch);

        Assert.Empty(ReportSchemas.ValidateJunit(xml));
        var suites = XDocument.Parse(xml).Root!.Elements("testsuite").ToArray();
        Assert.Equal(2, suites.Length);
        Assert.EndsWith("(t.txt:3)", (string?)suites[1].Attribute("name"), StringComparison.Ordinal);
        Assert.Equal(CheckJunitReport.PlainVerdictLine(lab[LabReports.Close1008].Report), (string?)suites[1].Descendants("failure").First().Attribute("message"));
        Assert.Equal(Severity.Error, lab[LabReports.Close1008].Report.RootCause!.Severity);
    }

    [Theory]
    [InlineData("<testcase classname=\"x\" time=\"0.1\" />", "name")]
    [InlineData("<testcase name=\"x\" time=\"fast\" />", "time")]
    [InlineData("<testcase name=\"x\"><flaky /></testcase>", "flaky")]
    [InlineData("<testcase name=\"x\" /><testcase name=\"y\" />", "tests=\"1\" but 2 testcases")]
    public void ValidateJunit_BrokenDocuments_AreRejected(string cases, string expected)
    {
        var xml = $"<testsuites><testsuite name=\"s\" tests=\"1\">{cases}</testsuite></testsuites>";

        var errors = ReportSchemas.ValidateJunit(xml);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateJunit_RenderedThenBroken_IsRejected()
    {
        var document = XDocument.Parse(CheckJunitReport.Render(CheckBatch.Single(lab[LabReports.NameMismatch].Report)));
        document.Descendants("failure").Single().Add(new XElement("detail", "not JUnit"));

        Assert.NotEmpty(ReportSchemas.ValidateJunit(document.ToString()));
    }
}
