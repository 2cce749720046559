using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports.Tests;

/// <summary>The human report, rendered plain (as in a pipe or CI log) from real lab reports.</summary>
public sealed class TextReportTests(LabReports lab) : IClassFixture<LabReports>
{
    public static TheoryData<string> Scenarios() =>
        new() { LabReports.Healthy, LabReports.NameMismatch, LabReports.ForbiddenOrigin, LabReports.Close1008, LabReports.TokenExpired };

    [Fact]
    public void Render_NameMismatch_FirstLineIsTheVerdictWithRootCause()
    {
        var lines = Render(lab[LabReports.NameMismatch].Report);

        Assert.Equal("FAIL tls.name-mismatch — certificate covers www.example.com, example.com, not test.example.com", lines[0]);
    }

    [Fact]
    public void Render_Healthy_FirstLineIsOkWithPingTime()
    {
        var report = lab[LabReports.Healthy].Report;

        var lines = Render(report);

        Assert.StartsWith($"OK {report.Target} — ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^OK ws://127\.0\.0\.1:\d+/ws — WebSocket opens, answers ping in \d+(\.\d)? ms and closes cleanly$", lines[0]);
    }

    [Fact]
    public void Render_NameMismatch_LayersAfterTlsAreNotReached()
    {
        var lines = Render(lab[LabReports.NameMismatch].Report);

        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  ✓ url\s+wss://test\.example\.com:\d+/ws$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  - dns\s+127\.0\.0\.1 is an IP address"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  ✗ tls\s+\d.* — rejected$"));
        Assert.All(new[] { "http", "ws", "session" }, name => Assert.Contains(lines, l => Regex.IsMatch(l, $@"^  · {name}\s+not reached$")));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_EveryCheckLayer_HasOneLineWithItsStatus(string scenario)
    {
        var report = lab[scenario].Report;
        Assert.Equal(["url", "dns", "tcp", "proxy", "tls", "http", "ws", "session", "app"], report.Layers.Select(l => l.Layer.Name()));

        var lines = Render(report);

        var positions = new List<int>();
        foreach (var layer in report.Layers)
        {
            var mark = layer.Status switch
            {
                LayerStatus.Passed => "✓",
                LayerStatus.Warning => "!",
                LayerStatus.Failed => "✗",
                LayerStatus.Skipped => "-",
                _ => "·",
            };
            var pattern = $@"^  {Regex.Escape(mark)} {layer.Layer.Name()}\s+.*{Regex.Escape(layer.Summary)}$";
            var index = Array.FindIndex(lines, l => Regex.IsMatch(l, pattern));
            Assert.True(index > 0, $"{scenario}: no line for layer {layer.Layer.Name()} ({layer.Status}) matching {pattern}\n{string.Join("\n", lines)}");
            positions.Add(index);
        }

        // One line each, in layer order, right after the target line.
        Assert.Equal(Enumerable.Range(positions[0], positions.Count), positions);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_EveryFinding_ShowsEvidenceFixAndExplainLines(string scenario)
    {
        var report = lab[scenario].Report;
        var lines = Render(report);

        foreach (var finding in report.Findings)
        {
            var mark = finding.Severity switch { Severity.Error => "✗", Severity.Warning => "!", _ => "i" };
            var header = $"{mark} {finding.Code}{(finding == report.RootCause ? " (root cause)" : "")}  {finding.Message}";
            var start = Array.IndexOf(lines, header);
            Assert.True(start >= 0, $"{scenario}: no header line '{header}'\n{string.Join("\n", lines)}");

            var expected = new List<string>();
            expected.AddRange(finding.Evidence.Select((e, i) => (i == 0 ? "    evidence: " : "              ") + e));
            expected.AddRange(finding.Fix.En.Split('\n').Select((f, i) => (i == 0 ? "    fix:      " : "              ") + f));
            expected.Add($"    more:     wsdoctor explain {finding.Code}");
            Assert.Equal(expected, lines.Skip(start + 1).Take(expected.Count));
        }
    }

    [Fact]
    public void Render_ForbiddenOrigin_PrintsEveryLineOfAMultiLineFix()
    {
        var report = lab[LabReports.ForbiddenOrigin].Report;

        var lines = Render(report);

        Assert.Contains("    fix:      Add the page's origin (https://evil.example.com) to the server's allowlist:", lines);
        Assert.Contains(lines, l => l.StartsWith("                ASP.NET Core:   app.UseWebSockets(", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Plain_KeepsALongFixOnOneLine()
    {
        // Plain output goes to pipes and CI logs, which are read and grepped line by line: a fix (often a command to
        // copy) must not be cut in two at the console width. This one is 162 columns with its "fix:" prefix.
        var fix = lab[LabReports.NameMismatch].Report.RootCause!.Fix.En;
        Assert.True(fix.Length + 14 > 160, $"the fix is only {fix.Length} characters: the test needs one wider than the console");

        var lines = Render(lab[LabReports.NameMismatch].Report);

        Assert.Contains("    fix:      " + fix, lines);
    }

    [Fact]
    public void Render_Plain_HasNoEscapeCodes()
    {
        var report = lab[LabReports.NameMismatch].Report;

        var plain = string.Join("\n", Render(report, verbose: true));
        var coloured = string.Join("\n", Render(report, verbose: true, colour: true));

        Assert.DoesNotContain('\u001b', plain);
        // The same report in colour does carry escapes, so the check above can fail.
        Assert.Contains("\u001b[", coloured, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Verbose_AddsRequestAndResponseHeads()
    {
        var report = lab[LabReports.Healthy].Report;

        var quiet = Render(report);
        var verbose = Render(report, verbose: true);

        Assert.DoesNotContain("  request head", quiet);
        Assert.Contains("  request head", verbose);
        Assert.Contains("    GET /ws HTTP/1.1", verbose);
        Assert.Contains("  response head", verbose);
        Assert.Contains("    HTTP/1.1 101 Switching Protocols", verbose);
    }

    internal static string[] Render(CheckReport report, bool verbose = false, bool colour = false)
    {
        using var writer = new StringWriter();
        TextReport.Render(report, ConsoleFactory.Create(writer, colour), verbose);
        return writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
    }
}
