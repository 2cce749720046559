using System.Text.Json.Nodes;
using Wsdoctor.CertTool.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests;

/// <summary><c>cert verify</c> says before deployment what nginx and Python websockets then do with the same files:
/// refuse a key of another certificate and a file that starts with the intermediate, serve the others; and the lines
/// it prints load the files in nginx and Python for real.</summary>
public sealed class VerifyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("wsdoctor-cert-verify-").FullName;

    [SkippableFact]
    public async Task Verify_KeyOfAnotherCertificate_Exit1KeyMismatch_AndNginxAndPythonRefuseTheSameFiles()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var other = await pki.LeafAsync("other", "other.example.test", "subjectAltName=DNS:other.example.test");

        var run = await WsdoctorProcess.RunAsync("cert", "verify", leaf.FullChain, "--key", other.Key, "--host", "ws.example.test", "--ca", pki.Root, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("tls.key-mismatch", (string?)report["rootCause"]?["code"]);
        Assert.Equal("fail", (string?)report["verdict"]);
        var nginx = await Assert.ThrowsAsync<InvalidOperationException>(() => Nginx.TlsAsync(leaf.FullChain, other.Key));
        Assert.Contains("key values mismatch", nginx.Message, StringComparison.Ordinal);
        var python = await LoadInPythonAsync(leaf.FullChain, other.Key);
        Assert.Contains("KEY_VALUES_MISMATCH", python, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_IntermediateBeforeLeaf_Exit1ChainOrder_AndNginxAndPythonRefuseIt()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var wrong = Path.Combine(directory, "wrong-order.pem");
        await File.WriteAllTextAsync(wrong, await File.ReadAllTextAsync(pki.Intermediate) + await File.ReadAllTextAsync(leaf.Certificate));

        var run = await WsdoctorProcess.RunAsync("cert", "verify", wrong, "--key", leaf.Key, "--host", "ws.example.test", "--ca", pki.Root);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("FAIL tls.chain-order — the leaf is certificate #2, not the first", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.Contains("✗ leaf first: no, it is #2", StringComparison.Ordinal));
        Assert.Contains("wsdoctor cert chain", run.Stdout, StringComparison.Ordinal);
        var nginx = await Assert.ThrowsAsync<InvalidOperationException>(() => Nginx.TlsAsync(wrong, leaf.Key));
        Assert.Contains("key values mismatch", nginx.Message, StringComparison.Ordinal);
        Assert.Contains("KEY_VALUES_MISMATCH", await LoadInPythonAsync(wrong, leaf.Key), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_LeafOnly_Exit1IncompleteChain_ThoughNginxServesIt()
    {
        using var pki = await OpenSslPki.CreateAsync();
        // A caIssuers URL as public CAs put in their leaves (the discard port: nothing is downloaded, --offline anyway).
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test", "authorityInfoAccess=caIssuers;URI:http://127.0.0.1:9/int.der");

        var run = await WsdoctorProcess.RunAsync("cert", "verify", leaf.Certificate, "--key", leaf.Key, "--host", "ws.example.test", "--ca", pki.Root, "--offline");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("FAIL tls.incomplete-chain", run.StdoutLines[0], StringComparison.Ordinal);
        // nginx loads it without a word: the mistake only shows at the clients (ClientOracleTests), hence verify.
        using var served = await Nginx.TlsAsync(leaf.Certificate, leaf.Key);
        var inspect = await WsdoctorProcess.RunAsync("cert", "inspect", $"127.0.0.1:{served.Port}", "--host", "ws.example.test", "--ca", pki.Root, "--offline", "--json");
        Assert.Equal("tls.incomplete-chain", (string?)JsonNode.Parse(inspect.Stdout)!["rootCause"]?["code"]);
    }

    [SkippableFact]
    public async Task Verify_CertbotLiveDirectory_PassesForEveryHost_AndThePrintedLinesServeIt()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test,DNS:example.test");
        var live = CertbotLayout.Create(directory, "ws.example.test", leaf, pki.Intermediate);

        var run = await WsdoctorProcess.RunAsync("cert", "verify", live, "--host", "ws.example.test", "--host", "example.test", "--ca", pki.Root, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("ok", (string?)report["verdict"]);
        Assert.All(report["checks"]!.AsArray(), c => Assert.True((bool)c!["passed"]!, c.ToJsonString()));
        Assert.Contains(report["notes"]!.AsArray(), n => ((string)n!).Contains("fullchain.pem -> ../../archive/ws.example.test/fullchain1.pem", StringComparison.Ordinal));
        var nginxLines = report["snippets"]!["nginx"]!.AsArray().Select(l => (string)l!).ToArray();
        Assert.Equal($"ssl_certificate     {Path.Combine(live, "fullchain.pem")};", nginxLines[0]);

        // The printed lines, pasted as they are, serve the full chain: Node (which needs it) connects through nginx.
        using var nginx = await ServeWithLinesAsync(nginxLines);
        var node = await Oracles.NodeAsync("ws.example.test", nginx.Port, pki.Root);
        Assert.True(node.Connected, node.Said);

        var pythonLines = report["snippets"]!["python"]!.AsArray().Select(l => (string)l!).Take(2);
        var python = await Tool.RunAsync(Peers.Require(Peers.Python), ["-c", "import ssl, json\n" + string.Join("\n", pythonLines) + "\nprint('loaded')"]);
        Assert.True(python.Stdout.Trim() == "loaded", python.ToString());
    }

    [SkippableFact]
    public async Task Verify_CnOnlyCertificate_Exit1SayingBrowsersRejectIt()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("legacy", "legacy.example.test");

        var run = await WsdoctorProcess.RunAsync("cert", "verify", leaf.FullChain, "--key", leaf.Key, "--host", "legacy.example.test", "--ca", pki.Root, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("tls.name-mismatch", (string?)report["rootCause"]?["code"]);
        Assert.Equal("cn-only", (string?)report["rootCause"]?["data"]?["rule"]);
        var clients = report["clients"]!.AsArray().ToDictionary(c => (string)c!["id"]!, c => (string)c!["outcome"]!);
        Assert.Equal("fail", clients["chromium"]);
        Assert.Equal("fail", clients["go"]);
        Assert.Equal("pass", clients["python"]);
    }

    [Theory]
    [InlineData("/no/such/file.pem", "file not found: /no/such/file.pem")]
    [InlineData("wss://example.test/", "cert verify checks files before they are deployed")]
    public async Task Verify_BadInput_OneLineExit2(string target, string expected)
    {
        var run = await WsdoctorProcess.RunAsync("cert", "verify", target);

        run.AssertUsageError(expected);
    }

    [SkippableFact]
    public async Task Verify_EncryptedKey_OneLineExit2()
    {
        using var pki = await OpenSslPki.CreateAsync();
        var leaf = await pki.LeafAsync("ws", "ws.example.test", "subjectAltName=DNS:ws.example.test");
        var encrypted = Path.Combine(directory, "enc.key");
        await Tool.OkAsync(Tool.OpenSsl, "pkey", "-in", leaf.Key, "-out", encrypted, "-aes256", "-passout", "pass:secret");

        var run = await WsdoctorProcess.RunAsync("cert", "verify", leaf.FullChain, "--key", encrypted);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is encrypted", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    private static async Task<ProxyPeer> ServeWithLinesAsync(string[] nginxLines) => await ProxyPeer.NginxAsync($$"""
        server {
            listen 127.0.0.1:PORT ssl;
            {{string.Join("\n", nginxLines)}}
            location / { return 200 "ok\n"; }
        }
        """);

    private static async Task<string> LoadInPythonAsync(string certificate, string key)
    {
        var run = await Tool.RunAsync(Peers.Require(Peers.Python), [Path.Combine(Peers.NodeProject, "tls", "load_cert_chain.py"), certificate, key]);
        return run.Stdout;
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
