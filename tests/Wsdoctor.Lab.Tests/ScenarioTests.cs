using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lab.Tests;

/// <summary>Every lab scenario is an integration test: a real misbehaving server on loopback, the real check
/// against it, and the root-cause code plus its key evidence asserted.</summary>
public sealed class ScenarioTests(LabEnvironmentFixture fixture) : IClassFixture<LabEnvironmentFixture>
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in LabCatalog.All)
        {
            data.Add(scenario.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Check_LabScenario_FindsExpectedRootCauseWithEvidence(string name)
    {
        var scenario = LabCatalog.Find(name)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await LabRunner.RunOneAsync(scenario, fixture.Environment, timeout.Token);

        Assert.NotNull(result.Report);
        Assert.Equal(scenario.ExpectedCode, result.Found);
        Assert.True(result.Passed, $"{name}: {result.Problem}");
        var untranslated = Untranslated(result.Report!).ToList();
        Assert.True(untranslated.Count == 0, $"{name}: the zh-CN report still has English in it:\n{string.Join("\n", untranslated)}");
        if (scenario.ExpectedCode != LabScenario.Healthy && Catalogue.Get(scenario.ExpectedCode).Severity == Severity.Error)
        {
            Assert.Equal(Verdict.Fail, result.Report!.Verdict);
            var rootLayer = result.Report.RootCause!.Layer;
            // Layers after the root cause are not reached (unless the finding was reported by a later probe on an earlier layer).
            Assert.All(result.Report.Layers.Where(l => l.Layer > rootLayer && l.Layer > Layer.Http),
                l => Assert.Contains(l.Status, new[] { LayerStatus.NotReached, LayerStatus.Skipped }));
        }
    }

    /// <summary>Every text of the report as zh-CN prints it (layer lines, messages, evidence, fixes) that is not fully
    /// translated: made without a translation, or with English prose left in its own words.</summary>
    private static IEnumerable<string> Untranslated(CheckReport report)
    {
        var texts = report.Layers.Select(l => ($"layer {l.Layer.Name()}", l.Summary))
            .Concat(report.Findings.SelectMany(f => new[] { ($"{f.Code} message", f.Message), ($"{f.Code} fix", f.Fix) }
                .Concat(f.Evidence.Select(e => ($"{f.Code} evidence", e)))));
        foreach (var (where, text) in texts)
        {
            if (!text.Translated)
            {
                yield return $"  {where} has no translation: {text.En}";
            }
            else if (EnglishProse.Find(string.Join("\n", text.Prose)) is { Count: > 0 } offences)
            {
                yield return $"  {where}: English left in \"{text.Zh}\": {string.Join("; ", offences.Select(o => o.Text))}";
            }
        }
    }

    [Fact]
    public void Catalogue_EveryScenarioName_IsUnique()
    {
        Assert.Equal(LabCatalog.All.Count, LabCatalog.All.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void Catalogue_EveryExpectedCode_IsACatalogueCode()
    {
        Assert.All(LabCatalog.All.Where(s => s.ExpectedCode != LabScenario.Healthy), s => Assert.True(Catalogue.TryGet(s.ExpectedCode, out _), s.ExpectedCode));
    }

    /// <summary>The issue's list of M1 findings the lab must reproduce: each must be some scenario's expected code.</summary>
    [Theory]
    [InlineData(Codes.UrlMissingScheme)]
    [InlineData(Codes.UrlHttpScheme)]
    [InlineData(Codes.UrlInvalid)]
    [InlineData(Codes.UrlTokenInQuery)]
    [InlineData(Codes.DnsNotFound)]
    [InlineData(Codes.DnsLocalhostFamily)]
    [InlineData(Codes.TcpRefused)]
    [InlineData(Codes.TcpTimeout)]
    [InlineData(Codes.TlsPlaintextPort)]
    [InlineData(Codes.TlsExpectedPlaintext)]
    [InlineData(Codes.TlsNameMismatch)]
    [InlineData(Codes.TlsIpNotInSan)]
    [InlineData(Codes.TlsExpired)]
    [InlineData(Codes.TlsNotYetValid)]
    [InlineData(Codes.TlsExpiringSoon)]
    [InlineData(Codes.TlsSelfSigned)]
    [InlineData(Codes.TlsUntrustedRoot)]
    [InlineData(Codes.TlsIncompleteChain)]
    [InlineData(Codes.TlsHandshakeFailed)]
    [InlineData(Codes.HttpNotUpgraded)]
    [InlineData(Codes.HttpBadRequest)]
    [InlineData(Codes.HttpUnauthorized)]
    [InlineData(Codes.HttpForbiddenOrigin)]
    [InlineData(Codes.HttpForbidden)]
    [InlineData(Codes.HttpNotFound)]
    [InlineData(Codes.HttpRedirect)]
    [InlineData(Codes.HttpUpgradeRequired)]
    [InlineData(Codes.HttpRateLimited)]
    [InlineData(Codes.HttpUpstreamError)]
    [InlineData(Codes.HttpNoResponse)]
    [InlineData(Codes.AuthTokenExpired)]
    [InlineData(Codes.AuthTokenNotYetValid)]
    [InlineData(Codes.AuthClockSkew)]
    [InlineData(Codes.WsBadAccept)]
    [InlineData(Codes.WsMissingUpgradeHeaders)]
    [InlineData(Codes.WsSubprotocolNotSelected)]
    [InlineData(Codes.WsSubprotocolUnexpected)]
    [InlineData(Codes.WsExtensionUnexpected)]
    [InlineData(Codes.SessionNoPong)]
    [InlineData(Codes.SessionClosedByServer)]
    [InlineData(Codes.SessionAbnormalClose)]
    [InlineData(Codes.SessionEchoMismatch)]
    [InlineData(Codes.SessionProtocolViolation)]
    [InlineData(Codes.SessionSlow)]
    public void Catalogue_M1Finding_HasALabScenario(string code)
    {
        Assert.Contains(LabCatalog.All, s => s.ExpectedCode == code);
    }
}
