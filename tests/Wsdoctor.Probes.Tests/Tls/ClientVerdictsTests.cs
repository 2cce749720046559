using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Probes.Tests.Tls;

/// <summary>The rules of the per-client table; what the real clients do with the same chains is in
/// tests/Wsdoctor.CertTool.Tests/ClientOracleTests.</summary>
public class ClientVerdictsTests
{
    private static Dictionary<string, ClientOutcome> Judge(ChainFacts facts) => ClientVerdicts.Judge(facts).ToDictionary(v => v.Id, v => v.Outcome);

    [Fact]
    public void Judge_MissingIntermediateOfAPrivateCa_OnlyAiaFetchersPass()
    {
        var verdicts = Judge(new ChainFacts { Name = NameCoverage.Covered, TrustedWithAia = true, PublicRoot = false });

        Assert.Equal(ClientOutcome.Pass, verdicts["chromium"]);
        Assert.Equal(ClientOutcome.Pass, verdicts["dotnet-linux"]);
        Assert.Equal(ClientOutcome.Fail, verdicts["firefox"]);
        Assert.Equal(ClientOutcome.Fail, verdicts["node"]);
        Assert.Equal(ClientOutcome.Fail, verdicts["java"]);
        Assert.Equal(ClientOutcome.Fail, verdicts["go"]);
    }

    [Fact]
    public void Judge_MissingIntermediateOfAPublicCa_FirefoxDependsOnItsPreloadedIntermediates()
    {
        Assert.Equal(ClientOutcome.Depends, Judge(new ChainFacts { Name = NameCoverage.Covered, TrustedWithAia = true, PublicRoot = true })["firefox"]);
    }

    [Fact]
    public void Judge_CommonNameOnly_BrowsersAndGoFail_OpenSslClientsPass()
    {
        var verdicts = Judge(new ChainFacts { Name = NameCoverage.CommonNameOnly, TrustedAsSent = true });

        Assert.Equal(ClientOutcome.Fail, verdicts["chromium"]);
        Assert.Equal(ClientOutcome.Fail, verdicts["go"]);
        Assert.Equal(ClientOutcome.Pass, verdicts["python"]);
        Assert.Equal(ClientOutcome.Pass, verdicts["node"]);
    }

    [Theory]
    [InlineData(nameof(ChainFacts.KeyMismatch))]
    [InlineData(nameof(ChainFacts.LeafNotFirst))]
    [InlineData(nameof(ChainFacts.Expired))]
    [InlineData(nameof(ChainFacts.NotForServerAuth))]
    [InlineData(nameof(ChainFacts.NameConstraintViolation))]
    public void Judge_DefectEveryVerifierRefuses_AllFailEvenWithACompleteTrustedChain(string defect)
    {
        var facts = new ChainFacts { Name = NameCoverage.Covered, TrustedAsSent = true };
        facts = defect switch
        {
            nameof(ChainFacts.KeyMismatch) => facts with { KeyMismatch = true },
            nameof(ChainFacts.LeafNotFirst) => facts with { LeafNotFirst = true },
            nameof(ChainFacts.Expired) => facts with { Expired = true },
            nameof(ChainFacts.NotForServerAuth) => facts with { NotForServerAuth = true },
            _ => facts with { NameConstraintViolation = true },
        };

        Assert.All(Judge(facts).Values, v => Assert.Equal(ClientOutcome.Fail, v));
    }

    [Fact]
    public void Clients_EveryRuleNamesItsSource()
    {
        Assert.All(ClientTlsBehaviour.Clients, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Aia.Source), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.CommonNameFallback.Source), c.Id);
        });
    }
}
