using System.Net;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Probes.Tests.Tls;

/// <summary>One throwaway hierarchy for the whole class: creating CAs is the slow part, leaves are cheap.</summary>
public sealed class TestPkiFixture : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestPki Pki { get; } = TestPki.Create(Now);

    /// <summary>The root as a --ca file would hold it: public certificate only.</summary>
    public X509Certificate2Collection Roots => [X509CertificateLoader.LoadCertificate(Pki.Root.Certificate.RawData)];

    public void Dispose() => Pki.Dispose();
}

public class CertificateAnalysisTests(TestPkiFixture fixture) : IClassFixture<TestPkiFixture>
{
    private static readonly DateTimeOffset Now = TestPkiFixture.Now;

    private TestPki Pki => fixture.Pki;

    private static LeafSpec Spec(params string[] hosts) => LeafSpec.ForHosts(Now, hosts);

    /// <summary>What a correctly configured server sends: the leaf, then the intermediate.</summary>
    private X509Certificate2[] FullChain(X509Certificate2 leaf) => [leaf, .. Pki.ChainFor(leaf)];

    private static X509Certificate2Collection RootsOf(CertificateAuthority root) => [X509CertificateLoader.LoadCertificate(root.Certificate.RawData)];

    private static string[] CodesOf(IEnumerable<Finding> findings) => findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Analyze_FullChainTrustedByCustomRoot_NoFindings()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com"));

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now);

        Assert.Empty(findings);
    }

    [Fact]
    public void Analyze_Expired_ReportsExpiredOnlyWithDates()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com") with { NotBefore = Now.AddDays(-90), NotAfter = Now.AddDays(-3) });

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsExpired, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("3 days ago", finding.Message, StringComparison.Ordinal);
        Assert.Contains("2026-02-26 12:00:00 UTC", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(-3), finding.Data["notAfter"]);
        Assert.Equal(Now, finding.Data["localTime"]);
    }

    [Fact]
    public void Analyze_ExpiredIntermediateSent_IsExpiredNamingTheIntermediate()
    {
        // An intermediate that lapsed 20 days ago (made 60 days back with 40 days of life), a leaf well in date.
        using var root = CertificateAuthority.CreateRoot("wsdoctor older root", Now.AddDays(-400));
        using var stale = root.CreateIntermediate("wsdoctor stale intermediate", Now.AddDays(-60), TimeSpan.FromDays(40));
        using var leaf = stale.Issue(Spec("ws.example.com"));

        var findings = CertificateAnalysis.Analyze(leaf, [leaf, stale.Certificate], "ws.example.com", RootsOf(root), Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsExpired, finding.Code);
        Assert.Contains("intermediate certificate", finding.Message, StringComparison.Ordinal);
        Assert.Contains("wsdoctor stale intermediate", finding.Message, StringComparison.Ordinal);
        Assert.Equal("intermediate", finding.Data["role"]);
        Assert.Equal(new DateTimeOffset(stale.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), finding.Data["notAfter"]);
        Assert.Contains("fullchain.pem", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_IntermediateExpiringBeforeTheLeaf_IsExpiringSoon()
    {
        using var root = CertificateAuthority.CreateRoot("wsdoctor older root", Now.AddDays(-400));
        using var ending = root.CreateIntermediate("wsdoctor ending intermediate", Now.AddDays(-30), TimeSpan.FromDays(35));
        using var leaf = ending.Issue(Spec("ws.example.com"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, [leaf, ending.Certificate], "ws.example.com", RootsOf(root), Now));

        Assert.Equal(Codes.TlsExpiringSoon, finding.Code);
        Assert.Contains("ending intermediate", finding.Message, StringComparison.Ordinal);
        Assert.Equal("intermediate", finding.Data["role"]);
    }

    [Fact]
    public void Analyze_ExpiredOneMinuteAgo_IsExpired()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com") with { NotBefore = Now.AddDays(-90), NotAfter = Now.AddMinutes(-1) });

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now));

        Assert.Equal(Codes.TlsExpired, finding.Code);
        Assert.Contains("60 seconds ago", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NotYetValid_ReportsNotYetValid()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com") with { NotBefore = Now.AddDays(2), NotAfter = Now.AddDays(92) });

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsNotYetValid, finding.Code);
        Assert.Contains("2 days from now", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(2), finding.Data["notBefore"]);
    }

    [Fact]
    public void Analyze_ExpiresInJustUnderFourteenDays_WarnsExpiringSoon()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com") with { NotAfter = Now.AddDays(14).AddSeconds(-1) });

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsExpiringSoon, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(14.0, finding.Data["daysLeft"]);
    }

    [Fact]
    public void Analyze_ExpiresInExactlyFourteenDays_NoWarning()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com") with { NotAfter = Now.AddDays(14) });

        Assert.Empty(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now));
    }

    [Fact]
    public void Analyze_ExpiresInFiveDays_ReportsDaysLeft()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com") with { NotAfter = Now.AddDays(5).AddHours(12) });

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now));

        Assert.Equal(Codes.TlsExpiringSoon, finding.Code);
        Assert.Equal(5.5, finding.Data["daysLeft"]);
        Assert.Contains("6 days", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_HostNotInSan_NameMismatchListsEverySan()
    {
        using var leaf = Pki.IssueLeaf(Spec("api.example.com", "www.example.com"));

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "example.org", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsNameMismatch, finding.Code);
        Assert.Contains("api.example.com, www.example.com", finding.Message, StringComparison.Ordinal);
        Assert.Contains("example.org", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Subject Alternative Names: api.example.com, www.example.com", finding.Evidence.Select(e => e.En));
        Assert.Equal(new[] { "api.example.com", "www.example.com" }, finding.Data["subjectAltNames"]);
        Assert.Equal("example.org", finding.Data["host"]);
    }

    [Fact]
    public void Analyze_SubdomainOfWildcardTooDeep_NameMismatch()
    {
        using var leaf = Pki.IssueLeaf(Spec("*.example.com"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.eu.example.com", fixture.Roots, Now));

        Assert.Equal(Codes.TlsNameMismatch, finding.Code);
    }

    [Fact]
    public void Analyze_CnMatchesButSanDoesNot_SaysTheCnIsIgnored()
    {
        using var leaf = Pki.IssueLeaf(new LeafSpec("example.org", ["www.example.org"], [], Now.AddDays(-1), Now.AddDays(60)));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "example.org", fixture.Roots, Now));

        Assert.Equal(Codes.TlsNameMismatch, finding.Code);
        Assert.Contains(finding.Evidence, e => e.Contains("CN=example.org matches, but browsers ignore the CN", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_IpHostWithDnsOnlySan_IpNotInSanSuggestingTheDnsName()
    {
        using var leaf = Pki.IssueLeaf(Spec("localhost"));

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "127.0.0.1", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsIpNotInSan, finding.Code);
        Assert.Contains("127.0.0.1", finding.Message, StringComparison.Ordinal);
        Assert.Contains("localhost", finding.Message, StringComparison.Ordinal);
        Assert.Contains("wss://localhost/", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_IpHostWithOtherIpInSan_IpNotInSan()
    {
        using var leaf = Pki.IssueLeaf(Spec("10.0.0.5"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "127.0.0.1", fixture.Roots, Now));

        Assert.Equal(Codes.TlsIpNotInSan, finding.Code);
        Assert.Contains("10.0.0.5", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_IpHostInIpSan_NoFindings()
    {
        using var leaf = Pki.IssueLeaf(Spec("localhost", "127.0.0.1", "::1"));

        Assert.Empty(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "127.0.0.1", fixture.Roots, Now));
        Assert.Empty(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "::1", fixture.Roots, Now));
    }

    [Fact]
    public void Analyze_CnOnlyCertificate_NameMismatchSayingTheCnIsIgnored()
    {
        using var leaf = Pki.IssueLeaf(new LeafSpec("legacy.example.com", [], [], Now.AddDays(-1), Now.AddDays(60)));

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "legacy.example.com", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsNameMismatch, finding.Code);
        Assert.Contains("no name at all", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Subject Alternative Names: (none)", finding.Evidence.Select(e => e.En));
        Assert.Contains(finding.Evidence, e =>
            e.Contains("no SAN extension", StringComparison.Ordinal)
            && e.Contains("CN=legacy.example.com is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_SelfSigned_ReportsSelfSigned()
    {
        using var leaf = SelfSigned.Create(Spec("localhost", "127.0.0.1"));

        var findings = CertificateAnalysis.Analyze(leaf, [leaf], "localhost", customRoots: null, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsSelfSigned, finding.Code);
        Assert.Contains("localhost", finding.Message, StringComparison.Ordinal);
        Assert.Contains("the system trust store", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SelfSignedWithUnrelatedCa_StillSelfSignedNamingTheCaOption()
    {
        using var leaf = SelfSigned.Create(Spec("localhost"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, [leaf], "localhost", fixture.Roots, Now));

        Assert.Equal(Codes.TlsSelfSigned, finding.Code);
        Assert.Contains("--ca (1 certificate(s))", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_LeafOnly_IncompleteChainNamingTheMissingIntermediate()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com"));

        var findings = CertificateAnalysis.Analyze(leaf, [leaf], "ws.example.com", fixture.Roots, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsIncompleteChain, finding.Code);
        Assert.Contains("wsdoctor test intermediate CA", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Pki.Intermediate.Certificate.Subject, finding.Data["missingIssuer"]);
        Assert.Contains("server sent 1 certificate(s): ws.example.com", finding.Evidence.Select(e => e.En));
    }

    [Fact]
    public void Analyze_LeafAndIntermediateWithoutTrustedRoot_UntrustedRootNamingTheRoot()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com"));

        var findings = CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", customRoots: null, Now);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.TlsUntrustedRoot, finding.Code);
        Assert.Equal(Pki.Root.Certificate.Subject, finding.Data["root"]);
        Assert.Contains(CertificateAnalysis.Short(Pki.Root.Certificate.Subject), finding.Message, StringComparison.Ordinal);
        Assert.Contains("the system trust store", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ServerAlsoSendsTheUntrustedRoot_UntrustedRootNamingIt()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com"));
        X509Certificate2[] sent = [.. FullChain(leaf), X509CertificateLoader.LoadCertificate(Pki.Root.Certificate.RawData)];

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, sent, "ws.example.com", customRoots: null, Now));

        Assert.Equal(Codes.TlsUntrustedRoot, finding.Code);
        Assert.Equal(Pki.Root.Certificate.Subject, finding.Data["root"]);
    }

    [Fact]
    public void Analyze_ChainFromAnotherCaThanTheGivenOne_UntrustedRoot()
    {
        using var other = TestPki.Create(Now);
        using var leaf = other.IssueLeaf(Spec("ws.example.com"));
        X509Certificate2[] sent = [leaf, .. other.ChainFor(leaf)];

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, sent, "ws.example.com", fixture.Roots, Now));

        Assert.Equal(Codes.TlsUntrustedRoot, finding.Code);
        Assert.Equal(other.Root.Certificate.Subject, finding.Data["root"]);
        Assert.Contains("--ca (1 certificate(s))", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_LeafOnlyFromAPrivateRootWithoutAia_UntrustedRootNotIncompleteChain()
    {
        // mkcert and `serve --tls-dev` issue straight from a root and never send it: nothing is missing from the
        // chain, the client just does not trust that root.
        using var other = TestPki.Create(Now);
        using var leaf = other.Root.Issue(Spec("localhost"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, [leaf], "localhost", fixture.Roots, Now));

        Assert.Equal(Codes.TlsUntrustedRoot, finding.Code);
        Assert.Equal(other.Root.Certificate.Subject, finding.Data["root"]);
        Assert.Contains(finding.Evidence, e => e.Contains("no AIA", StringComparison.Ordinal));
        // Both readings are stated, and the favoured one follows from the certificate alone (no AIA), never a guess.
        Assert.Equal(new[] { "untrusted-issuer", "missing-intermediate" }, finding.Data["readings"]);
        Assert.Equal("untrusted-issuer", finding.Data["favoured"]);
        Assert.Contains(finding.Evidence, e => e.StartsWith("two readings fit", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_LeafOnlyWithAia_EvidenceQuotesTheIssuerUrl()
    {
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, [leaf], "ws.example.com", fixture.Roots, Now));

        Assert.Equal(Codes.TlsIncompleteChain, finding.Code);
        Assert.Contains(finding.Evidence, e => e.Contains(TestPki.IntermediateUrl, StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_SeveralProblems_ReportsDatesNameAndChainInThatOrder()
    {
        using var leaf = Pki.IssueLeaf(Spec("www.example.com") with { NotBefore = Now.AddDays(-90), NotAfter = Now.AddDays(-1) });

        var findings = CertificateAnalysis.Analyze(leaf, [leaf], "example.com", fixture.Roots, Now);

        Assert.Equal(new[] { Codes.TlsExpired, Codes.TlsNameMismatch, Codes.TlsIncompleteChain }, CodesOf(findings));
    }

    [Fact]
    public void Analyze_FixedNowLongAfterRealTime_UsesTheGivenClock()
    {
        // The same certificate judged one year later: the check must not read the machine clock.
        using var leaf = Pki.IssueLeaf(Spec("ws.example.com"));

        var finding = Assert.Single(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "ws.example.com", fixture.Roots, Now.AddYears(1)));

        Assert.Equal(Codes.TlsExpired, finding.Code);
    }

    [Fact]
    public void Analyze_Ipv6HostInBrackets_MatchesIpSan()
    {
        using var leaf = Pki.IssueLeaf(new LeafSpec("::1", [], [IPAddress.IPv6Loopback], Now.AddDays(-1), Now.AddDays(60)));

        Assert.Empty(CertificateAnalysis.Analyze(leaf, FullChain(leaf), "[::1]", fixture.Roots, Now));
    }
}
