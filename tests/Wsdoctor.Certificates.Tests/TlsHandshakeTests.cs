using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

/// <summary>Real SslStream handshakes on loopback. Beyond proving the generated certificates work as server
/// certificates, these pin down what a .NET client on Linux reports for each certificate fault — the facts the
/// TLS analysis is built on.</summary>
public class TlsHandshakeTests
{
    // X509Chain checks validity against the real clock, so these certificates are made for the real now.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData(KeyKind.EcdsaP256, "localhost")]
    [InlineData(KeyKind.EcdsaP256, "127.0.0.1")]
    [InlineData(KeyKind.Rsa2048, "localhost")]
    public async Task Handshake_LeafAndIntermediateTrustedRoot_NoPolicyErrors(KeyKind kind, string targetHost)
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost", "127.0.0.1") with { Key = kind });

        var view = await TlsLoopback.HandshakeAsync(leaf, pki.ChainFor(leaf), pki.Root.Certificate, targetHost);

        Assert.Equal(SslPolicyErrors.None, view.Errors);
        Assert.Equal(X509ChainStatusFlags.NoError, view.ChainStatus);
        Assert.Equal(
            [leaf.Subject, pki.Intermediate.Certificate.Subject, pki.Root.Certificate.Subject],
            view.Elements.Select(e => e.Subject));
    }

    [Fact]
    public async Task Handshake_ExtraStoreInCallback_HoldsLeafAndIntermediateAsSent()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));

        var view = await TlsLoopback.HandshakeAsync(leaf, pki.ChainFor(leaf), pki.Root.Certificate, "localhost");

        Assert.Equal([leaf.Subject, pki.Intermediate.Certificate.Subject], view.ExtraStoreSubjects);
    }

    [Fact]
    public async Task Handshake_ServerGivenRootToo_RootTrimmedFromWhatIsSent()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));
        var sent = pki.ChainFor(leaf);
        sent.Add(pki.Root.Certificate);

        var view = await TlsLoopback.HandshakeAsync(leaf, sent, pki.Root.Certificate, "localhost");

        Assert.Equal(SslPolicyErrors.None, view.Errors);
        Assert.Equal([leaf.Subject, pki.Intermediate.Certificate.Subject], view.ExtraStoreSubjects);
    }

    [Fact]
    public async Task Handshake_LeafOnly_PartialChainAtLeaf()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));

        var view = await TlsLoopback.HandshakeAsync(leaf, [], pki.Root.Certificate, "localhost");

        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, view.Errors);
        Assert.Equal(X509ChainStatusFlags.PartialChain, view.ChainStatus);
        Assert.Equal([(leaf.Subject, X509ChainStatusFlags.PartialChain)], view.Elements);
        Assert.Equal([leaf.Subject], view.ExtraStoreSubjects);
    }

    [Theory]
    [InlineData("wrong.example.test")]
    [InlineData("127.0.0.1")]
    public async Task Handshake_HostNotInSan_NameMismatchWithCleanChain(string targetHost)
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));

        var view = await TlsLoopback.HandshakeAsync(leaf, pki.ChainFor(leaf), pki.Root.Certificate, targetHost);

        Assert.Equal(SslPolicyErrors.RemoteCertificateNameMismatch, view.Errors);
        Assert.Equal(X509ChainStatusFlags.NoError, view.ChainStatus);
    }

    [Theory]
    [InlineData("a.example.test", SslPolicyErrors.None)]
    [InlineData("a.b.example.test", SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData("example.test", SslPolicyErrors.RemoteCertificateNameMismatch)]
    public async Task Handshake_WildcardLeaf_MatchesExactlyOneLabel(string targetHost, SslPolicyErrors expected)
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "*.example.test"));

        var view = await TlsLoopback.HandshakeAsync(leaf, pki.ChainFor(leaf), pki.Root.Certificate, targetHost);

        Assert.Equal(expected, view.Errors);
    }

    [Theory]
    [InlineData(-30, -2)]
    [InlineData(2, 30)]
    public async Task Handshake_LeafOutsideValidity_NotTimeValidOnLeafOnly(int notBeforeDays, int notAfterDays)
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost") with
        {
            NotBefore = Now.AddDays(notBeforeDays),
            NotAfter = Now.AddDays(notAfterDays),
        });

        var view = await TlsLoopback.HandshakeAsync(leaf, pki.ChainFor(leaf), pki.Root.Certificate, "localhost");

        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, view.Errors);
        Assert.Equal(X509ChainStatusFlags.NotTimeValid, view.ChainStatus);
        Assert.Equal(
            [X509ChainStatusFlags.NotTimeValid, X509ChainStatusFlags.NoError, X509ChainStatusFlags.NoError],
            view.Elements.Select(e => e.Status));
    }

    [Fact]
    public async Task Handshake_ExpiringSoon_StillNoPolicyErrors()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost") with { NotAfter = Now.AddDays(3) });

        var view = await TlsLoopback.HandshakeAsync(leaf, pki.ChainFor(leaf), pki.Root.Certificate, "localhost");

        Assert.Equal(SslPolicyErrors.None, view.Errors);
    }

    [Fact]
    public async Task Handshake_SelfSignedLeaf_UntrustedRoot()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));

        var view = await TlsLoopback.HandshakeAsync(leaf, [], pki.Root.Certificate, "localhost");

        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, view.Errors);
        Assert.Equal(X509ChainStatusFlags.UntrustedRoot, view.ChainStatus);
        Assert.Equal([(leaf.Subject, X509ChainStatusFlags.UntrustedRoot)], view.Elements);
    }

    // A .NET server never puts the root on the wire (SslStreamCertificateContext trims it), so a client that
    // does not trust the root sees the chain stop at the intermediate: PartialChain, not UntrustedRoot.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handshake_RootNotTrustedByClient_PartialChainAtIntermediate(bool serverGivenRoot)
    {
        using var pki = TestPki.Create(Now);
        using var clientPki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));
        var sent = pki.ChainFor(leaf);
        if (serverGivenRoot)
        {
            sent.Add(pki.Root.Certificate);
        }

        var view = await TlsLoopback.HandshakeAsync(leaf, sent, clientPki.Root.Certificate, "localhost");

        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, view.Errors);
        Assert.Equal(X509ChainStatusFlags.PartialChain, view.ChainStatus);
        Assert.Equal(
            [(leaf.Subject, X509ChainStatusFlags.NoError),
             (pki.Intermediate.Certificate.Subject, X509ChainStatusFlags.PartialChain)],
            view.Elements);
    }

    [Fact]
    public async Task Handshake_CertificateLoadedFromPemFiles_NoPolicyErrors()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("fullchain.pem"), Pem.ExportChain([leaf, .. pki.ChainFor(leaf)]));
        File.WriteAllText(directory.File("key.pem"), Pem.ExportPrivateKey(leaf));
        var caPath = pki.RootPemPath(directory.Path);

        using var loaded = Pem.LoadWithKey(directory.File("fullchain.pem"), directory.File("key.pem"));
        var chain = Pem.LoadCertificates(directory.File("fullchain.pem"));
        chain.RemoveAt(0);
        var root = Assert.Single(Pem.LoadCertificates(caPath));
        var view = await TlsLoopback.HandshakeAsync(loaded, chain, root, "localhost");

        Assert.Equal(SslPolicyErrors.None, view.Errors);
    }
}
