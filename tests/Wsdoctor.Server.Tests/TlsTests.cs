using Wsdoctor.Certificates;
using Wsdoctor.Server.Tls;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class TlsTests
{
    [SkippableFact]
    public async Task TlsCert_FullChainPem_ClientTrustingOnlyTheRootSucceeds()
    {
        using var dir = new TempDir();
        using var pki = TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "localhost", "127.0.0.1"));
        File.WriteAllText(dir.File("fullchain.pem"), Pem.ExportChain([leaf, pki.Intermediate.Certificate]));
        File.WriteAllText(dir.File("key.pem"), Pem.ExportPrivateKey(leaf));
        var rootPem = pki.RootPemPath(dir.Path);

        var served = PemServerCertificate.Load(dir.File("fullchain.pem"), dir.File("key.pem"), DateTimeOffset.UtcNow);
        Assert.Empty(served.Warnings);
        await using var server = await TestServer.StartAsync(new() { Certificate = served.Leaf, CertificateChain = served.Chain });
        Assert.Equal("wss", server.Url.Scheme);

        // OpenSSL (Python) builds the path only from what the server sends plus cafile: the root alone is not
        // enough unless the intermediate is served.
        var lines = await PythonClient.RunAsync(server.Url.ToString(), "--cafile", rootPem, "--send", "over tls", "--expect", "1");

        Assert.Null(PythonClient.Error(lines));
        Assert.Equal("over tls", lines[1].GetProperty("recv").GetString());
    }

    [SkippableFact]
    public async Task TlsCert_LeafOnly_WarnsIncompleteChain_AndSuchClientsFail()
    {
        using var dir = new TempDir();
        using var pki = TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        File.WriteAllText(dir.File("leaf.pem"), Pem.Export(leaf));
        File.WriteAllText(dir.File("key.pem"), Pem.ExportPrivateKey(leaf));
        var rootPem = pki.RootPemPath(dir.Path);

        var served = PemServerCertificate.Load(dir.File("leaf.pem"), dir.File("key.pem"), DateTimeOffset.UtcNow);

        var warning = Assert.Single(served.Warnings);
        Assert.Equal("tls.incomplete-chain", warning.Code);
        Assert.Contains("wsdoctor test intermediate CA", warning.Message, StringComparison.Ordinal);
        Assert.Contains("wsdoctor explain tls.incomplete-chain", warning.Message, StringComparison.Ordinal);
        await using var server = await TestServer.StartAsync(new() { Certificate = served.Leaf, CertificateChain = served.Chain });
        var lines = await PythonClient.RunAsync(server.Url.ToString(), "--cafile", rootPem, "--send", "x", "--expect", "1");
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", PythonClient.Error(lines), StringComparison.Ordinal);

        // The server's side of the same failure: no HTTP request ever arrives, only Kestrel's TLS diagnostic.
        var tlsError = await server.LineAsync("tls-error");
        Assert.StartsWith("127.0.0.1:", ServeProcess.Field(tlsError, "remote"), StringComparison.Ordinal);
        Assert.Contains("rejected the certificate", ServeProcess.Field(tlsError, "hint"), StringComparison.Ordinal);
        Assert.Contains("wsdoctor_rejects_total{reason=\"tls\"} 1", server.Server.Metrics.RenderPrometheus(), StringComparison.Ordinal);
    }

    [Fact]
    public void TlsCert_ExpiredLeaf_Warns()
    {
        using var dir = new TempDir();
        using var pki = TestPki.Create(DateTimeOffset.UtcNow);
        var spec = LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1") with { NotBefore = DateTimeOffset.UtcNow.AddDays(-30), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) };
        using var leaf = pki.IssueLeaf(spec);
        File.WriteAllText(dir.File("chain.pem"), Pem.ExportChain([leaf, pki.Intermediate.Certificate]));
        File.WriteAllText(dir.File("key.pem"), Pem.ExportPrivateKey(leaf));

        var served = PemServerCertificate.Load(dir.File("chain.pem"), dir.File("key.pem"), DateTimeOffset.UtcNow);

        Assert.Equal("tls.expired", Assert.Single(served.Warnings).Code);
    }

    [Fact]
    public void TlsCert_KeyOfAnotherCertificate_Refused()
    {
        using var dir = new TempDir();
        using var pki = TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        using var other = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        File.WriteAllText(dir.File("chain.pem"), Pem.Export(leaf));
        File.WriteAllText(dir.File("key.pem"), Pem.ExportPrivateKey(other));

        var error = Assert.Throws<InvalidDataException>(() => PemServerCertificate.Load(dir.File("chain.pem"), dir.File("key.pem"), DateTimeOffset.UtcNow));
        Assert.Contains("does not hold the private key", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TlsDev_CreatesFiles_ReusesThem_ClientWithCaPemSucceeds()
    {
        using var dir = new TempDir();
        var devDir = dir.File("dev-tls");

        string firstCa;
        await using (var first = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", devDir]))
        {
            var tlsDev = await first.Process.Stderr.WaitForAsync(l => l.Contains(" event=tls-dev ", StringComparison.Ordinal), TestServer.Wait, "tls-dev line");
            Assert.Equal("ca,server", ServeProcess.Field(tlsDev, "created"));
            var caPath = ServeProcess.Field(tlsDev, "ca")!;
            Assert.Equal(Path.Combine(devDir, "ca.pem"), caPath);
            foreach (var file in new[] { "ca.pem", "ca-key.pem", "server.pem", "server-key.pem" })
            {
                Assert.True(File.Exists(Path.Combine(devDir, file)), file);
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(devDir, "server-key.pem")));
            }

            Assert.Contains(first.Process.Stderr.Lines, l => l.Contains("certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n wsdoctor-dev -i", StringComparison.Ordinal));
            Assert.Contains(first.Process.Stderr.Lines, l => l.Contains("NODE_EXTRA_CA_CERTS=", StringComparison.Ordinal));
            Assert.Equal("wss", first.Url.Scheme);

            var lines = await PythonClient.RunAsync(first.Url.ToString(), "--cafile", caPath, "--send", "dev", "--expect", "1");
            Assert.Null(PythonClient.Error(lines));
            firstCa = File.ReadAllText(caPath);
            Assert.Equal(0, await first.StopAsync());
        }

        await using var second = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", devDir]);
        var reused = await second.Process.Stderr.WaitForAsync(l => l.Contains(" event=tls-dev ", StringComparison.Ordinal), TestServer.Wait, "tls-dev line");
        Assert.Equal("none", ServeProcess.Field(reused, "created"));
        Assert.Equal(firstCa, File.ReadAllText(Path.Combine(devDir, "ca.pem")));
        var again = await PythonClient.RunAsync(second.Url.ToString(), "--cafile", Path.Combine(devDir, "ca.pem"), "--send", "dev", "--expect", "1");
        Assert.Null(PythonClient.Error(again));
    }
}
