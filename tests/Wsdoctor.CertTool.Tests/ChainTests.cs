using System.Text.Json.Nodes;
using Wsdoctor.CertTool.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests;

/// <summary><c>cert chain</c>: a leaf completed through its caIssuers URL, served by nginx on loopback in each form CAs
/// publish (DER, PEM, PKCS#7, behind a redirect), or from --candidates; the result is checked by openssl verify.</summary>
public sealed class ChainTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("wsdoctor-cert-chain-").FullName;

    [SkippableTheory]
    [InlineData("int.der")]
    [InlineData("int.pem")]
    [InlineData("int.p7c")]
    [InlineData("redirect/int.der")]
    public async Task Chain_LeafWithCaIssuers_DownloadsTheIntermediate_WritesAChainOpenSslVerifies(string published)
    {
        using var pki = await OpenSslPki.CreateAsync();
        var files = Directory.CreateDirectory(Path.Combine(directory, "aia")).FullName;
        await Tool.OkAsync(Tool.OpenSsl, "x509", "-in", pki.Intermediate, "-outform", "DER", "-out", Path.Combine(files, "int.der"));
        File.Copy(pki.Intermediate, Path.Combine(files, "int.pem"));
        await Tool.OkAsync(Tool.OpenSsl, "crl2pkcs7", "-nocrl", "-certfile", pki.Intermediate, "-outform", "DER", "-out", Path.Combine(files, "int.p7c"));
        using var aia = await Nginx.FilesAsync(files);
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test", $"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{aia.Port}/{published}");
        var output = Path.Combine(directory, "fullchain.pem");

        var run = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--out", output, "--ca", pki.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.Contains("downloaded from http://127.0.0.1:", StringComparison.Ordinal) && l.Contains("(AIA caIssuers)", StringComparison.Ordinal));
        Assert.Equal(2, (await File.ReadAllTextAsync(output)).Split("BEGIN CERTIFICATE").Length - 1);
        var verify = await Tool.RunAsync(Tool.OpenSsl, ["verify", "-CAfile", pki.Root, "-untrusted", output, output]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(await File.ReadAllTextAsync(leaf.FullChain), await File.ReadAllTextAsync(output), ignoreLineEndingDifferences: true);
    }

    [SkippableFact]
    public async Task Chain_FromCandidates_PicksTheIssuerAmongUnrelatedCertificates_Offline()
    {
        using var pki = await OpenSslPki.CreateAsync();
        using var other = await OpenSslPki.CreateAsync("Unrelated Root");
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var candidates = Directory.CreateDirectory(Path.Combine(directory, "candidates")).FullName;
        // Same subject name, another key: only the key identifiers tell which one signed the leaf.
        File.Copy(other.Intermediate, Path.Combine(candidates, "a-same-name-other-key.pem"));
        File.Copy(pki.Intermediate, Path.Combine(candidates, "b-the-issuer.crt"));
        File.Copy(other.Root, Path.Combine(candidates, "c-root.pem"));
        await File.WriteAllTextAsync(Path.Combine(candidates, "README"), "not a certificate");
        var output = Path.Combine(directory, "fullchain.pem");

        var run = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--candidates", candidates, "--out", output, "--ca", pki.Root, "--offline");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("b-the-issuer.crt", run.Stderr, StringComparison.Ordinal);
        var verify = await Tool.RunAsync(Tool.OpenSsl, ["verify", "-CAfile", pki.Root, "-untrusted", output, output]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [SkippableFact]
    public async Task Chain_Json_OneObjectWithTheChainItsStepsAndThePem()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var candidates = Directory.CreateDirectory(Path.Combine(directory, "candidates")).FullName;
        File.Copy(pki.Intermediate, Path.Combine(candidates, "issuer.pem"));
        var output = Path.Combine(directory, "fullchain.pem");

        var toStdout = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--candidates", candidates, "--ca", pki.Root, "--offline", "--json");
        var toFile = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--candidates", candidates, "--ca", pki.Root, "--offline", "--json", "--out", output);
        var missing = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--ca", pki.Root, "--offline", "--json", "--out", Path.Combine(directory, "never.pem"));

        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        Assert.Empty(toStdout.Stderr);
        var json = JsonNode.Parse(toStdout.Stdout)!;
        Assert.Equal("cert chain", (string?)json["command"]);
        Assert.Equal("ok", (string?)json["verdict"]);
        var chain = json["chain"]!.AsArray();
        Assert.Equal(2, chain.Count);
        Assert.Equal("leaf", (string?)chain[0]!["role"]);
        Assert.False((bool)chain[0]!["added"]!);
        Assert.True((bool)chain[1]!["added"]!);
        Assert.Contains(json["steps"]!.AsArray(), l => ((string?)l)!.Contains("issuer.pem", StringComparison.Ordinal));
        Assert.Equal(await File.ReadAllTextAsync(leaf.FullChain), (string?)json["pem"], ignoreLineEndingDifferences: true);
        Assert.Null(json["written"]);

        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        var written = JsonNode.Parse(toFile.Stdout)!;
        Assert.Equal(Path.GetFullPath(output), (string?)written["written"]);
        Assert.Null(written["pem"]);
        Assert.Equal(await File.ReadAllTextAsync(leaf.FullChain), await File.ReadAllTextAsync(output), ignoreLineEndingDifferences: true);

        Assert.Equal(1, missing.ExitCode);
        var failed = JsonNode.Parse(missing.Stdout)!;
        Assert.Equal("fail", (string?)failed["verdict"]);
        Assert.False((bool)failed["trusted"]!);
        Assert.Null(failed["written"]);
        Assert.False(File.Exists(Path.Combine(directory, "never.pem")));
    }

    [SkippableFact]
    public async Task Chain_NothingToCompleteWith_Exit1AndNothingWritten()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var output = Path.Combine(directory, "fullchain.pem");

        var run = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--out", output, "--ca", pki.Root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("names no caIssuers URL", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing written", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [SkippableFact]
    public async Task Chain_CaIssuersServesSomethingHuge_BoundedAndRefused()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var files = Directory.CreateDirectory(Path.Combine(directory, "aia")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(files, "huge.der"), new byte[1024 * 1024]);
        using var aia = await Nginx.FilesAsync(files);
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test", $"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{aia.Port}/huge.der");

        var run = await WsdoctorProcess.RunAsync("cert", "chain", leaf.Certificate, "--ca", pki.Root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("more than 64 KiB, not a certificate", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [SkippableFact]
    public async Task Inspect_DerAndPkcs7Files_ReadLikePem()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var der = Path.Combine(directory, "leaf.der");
        var p7b = Path.Combine(directory, "int.p7b");
        await Tool.OkAsync(Tool.OpenSsl, "x509", "-in", leaf.Certificate, "-outform", "DER", "-out", der);
        await Tool.OkAsync(Tool.OpenSsl, "crl2pkcs7", "-nocrl", "-certfile", pki.Intermediate, "-out", p7b);

        var run = await WsdoctorProcess.RunAsync("cert", "inspect", der, p7b, "--host", "ws.example.test", "--ca", pki.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("OK ", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.Contains("#2 intermediate", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
