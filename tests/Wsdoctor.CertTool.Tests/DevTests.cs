using System.Text.Json.Nodes;
using Wsdoctor.CertTool.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests;

/// <summary><c>cert dev --install</c> / <c>--uninstall</c> in a throwaway HOME (Chromium's ~/.pki/nssdb, a Firefox
/// profile), a throwaway dev CA directory, and a throwaway system store (WSDOCTOR_TEST_CA_STORE_ROOT, the real
/// update-ca-certificates run against it): never the machine's own stores. Then headless Chromium, started with that
/// HOME, opens wss:// to serve with the issued certificate — and could not before the install.</summary>
public sealed class DevTests : IDisposable
{
    private const string Certutil = "/usr/bin/certutil";
    private readonly string root = Directory.CreateTempSubdirectory("wsdoctor-cert-dev-").FullName;

    private string Home => Path.Combine(root, "home");

    private string Store => Path.Combine(root, "store");

    private string CaDirectory => Path.Combine(root, "data", "wsdoctor", "dev-tls");

    private Dictionary<string, string> Environment => new()
    {
        ["HOME"] = Home,
        ["XDG_DATA_HOME"] = Path.Combine(root, "data"),
        ["WSDOCTOR_TEST_CA_STORE_ROOT"] = Store,
    };

    [SkippableFact]
    public async Task InstallThenUninstall_ChangesExactlyTheThrowawayStores_AndChromiumTrustsTheLeafInBetween()
    {
        Peers.Require(Certutil);
        Peers.Require("/usr/sbin/update-ca-certificates");
        Peers.Require(Peers.Chromium);
        Peers.RequireNodeModule("playwright-core");
        // A store that already holds another CA, as every real one does: it must survive the uninstall.
        using var other = await OpenSslPki.CreateAsync("Someone Else's Root");
        Directory.CreateDirectory(Path.Combine(Store, "usr", "local", "share", "ca-certificates"));
        File.Copy(other.Root, Path.Combine(Store, "usr", "local", "share", "ca-certificates", "someone-else.crt"));
        var firefoxProfile = Directory.CreateDirectory(Path.Combine(Home, ".mozilla", "firefox", "abcd1234.default-esr")).FullName;
        await Tool.OkAsync(Certutil, "-N", "-d", "sql:" + firefoxProfile, "--empty-password");
        var outDir = Path.Combine(root, "out");

        // Before: serve --tls-dev creates the CA that cert dev then reuses; Chromium does not trust it yet.
        await using (var first = await ServeProcess.StartAsync(["--tls-dev"], Environment))
        {
            await first.StopAsync();
        }

        var caBefore = await File.ReadAllTextAsync(Path.Combine(CaDirectory, "ca.pem"));
        var issue = await WsdoctorProcess.RunAsync(["cert", "dev", "localhost", "127.0.0.1", "--out-dir", outDir], Environment);
        Assert.True(issue.ExitCode == 0, issue.ToString());
        Assert.Contains("no trust store was changed", issue.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Home, ".pki")), "a store was touched without --install");
        var leaf = Path.Combine(outDir, "localhost+1.pem");
        var key = Path.Combine(outDir, "localhost+1-key.pem");
        Assert.Equal(caBefore, await File.ReadAllTextAsync(Path.Combine(CaDirectory, "ca.pem")));
        await using var serve = await ServeProcess.StartAsync(["--tls-cert", leaf, "--tls-key", key, "--allow-origin", "*"], Environment);
        var url = $"wss://localhost:{serve.Url.Port}/";
        var refused = await ChromiumOpensAsync(url);
        Assert.False(refused.Opened, refused.Transcript);
        Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", refused.Transcript, StringComparison.Ordinal);

        var install = await WsdoctorProcess.RunAsync(["cert", "dev", "--install"], Environment);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains(install.StdoutLines, l => l.StartsWith("changed: system store: ", StringComparison.Ordinal));
        Assert.Contains(install.StdoutLines, l => l.StartsWith("changed: Chromium NSS ", StringComparison.Ordinal));
        Assert.Contains(install.StdoutLines, l => l.StartsWith("changed: Firefox NSS " + firefoxProfile, StringComparison.Ordinal));
        Assert.Contains(install.StdoutLines, l => l.Contains("NODE_EXTRA_CA_CERTS=" + Path.Combine(CaDirectory, "ca.pem"), StringComparison.Ordinal));
        Assert.Contains(install.StdoutLines, l => l.Contains("REQUESTS_CA_BUNDLE=", StringComparison.Ordinal));
        var bundle = Path.Combine(Store, "etc", "ssl", "certs", "ca-certificates.crt");
        var verify = await Tool.RunAsync(Tool.OpenSsl, ["verify", "-CAfile", bundle, leaf]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("wsdoctor dev CA", await Tool.OkAsync(Certutil, "-L", "-d", "sql:" + firefoxProfile), StringComparison.Ordinal);
        var trusted = await ChromiumOpensAsync(url);
        Assert.True(trusted.Opened, trusted.Transcript);

        var again = await WsdoctorProcess.RunAsync(["cert", "dev", "--install"], Environment);
        Assert.Contains(again.StdoutLines, l => l.StartsWith("unchanged: system store: already installed", StringComparison.Ordinal));

        var uninstall = await WsdoctorProcess.RunAsync(["cert", "dev", "--uninstall"], Environment);

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(Path.Combine(CaDirectory, "installed.json")));
        Assert.False(Directory.Exists(Path.Combine(Home, ".pki", "nssdb")), "the Chromium database wsdoctor created is still there");
        Assert.DoesNotContain("wsdoctor dev CA", await Tool.OkAsync(Certutil, "-L", "-d", "sql:" + firefoxProfile), StringComparison.Ordinal);
        Assert.NotEqual(0, (await Tool.RunAsync(Tool.OpenSsl, ["verify", "-CAfile", bundle, leaf])).ExitCode);
        var otherStillTrusted = await Tool.RunAsync(Tool.OpenSsl, ["verify", "-CAfile", bundle, other.Root]);
        Assert.True(otherStillTrusted.ExitCode == 0, otherStillTrusted.ToString());
    }

    [SkippableFact]
    public async Task Dev_WildcardAndIp_LeafCoversThem_BadWildcardRefusedInOneLine()
    {
        Peers.Require(Tool.OpenSsl);
        var outDir = Path.Combine(root, "out");

        var run = await WsdoctorProcess.RunAsync(["cert", "dev", "*.app.test", "10.1.2.3", "--out-dir", outDir], Environment);
        var bad = await WsdoctorProcess.RunAsync(["cert", "dev", "*.test", "--out-dir", outDir], Environment);

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = await Tool.OkAsync(Tool.OpenSsl, "x509", "-in", Path.Combine(outDir, "_wildcard.app.test+1.pem"), "-noout", "-ext", "subjectAltName");
        Assert.Contains("DNS:*.app.test", text, StringComparison.Ordinal);
        Assert.Contains("IP Address:10.1.2.3", text, StringComparison.Ordinal);
        var inspect = await WsdoctorProcess.RunAsync(["cert", "inspect", Path.Combine(outDir, "_wildcard.app.test+1.pem"), "--host", "a.app.test", "--ca", Path.Combine(CaDirectory, "ca.pem"), "--json"], Environment);
        Assert.Equal("ok", (string?)JsonNode.Parse(inspect.Stdout)!["verdict"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("only a whole left-most label may be '*'", Assert.Single(bad.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_Json_TheCaAndTheLeafAsOneObject_NoStoreTouched()
    {
        var outDir = Path.Combine(root, "out");

        var first = await WsdoctorProcess.RunAsync(["cert", "dev", "localhost", "::1", "--out-dir", outDir, "--json"], Environment);
        var second = await WsdoctorProcess.RunAsync(["cert", "dev", "--out-dir", outDir, "--json"], Environment);
        var uninstallWithNames = await WsdoctorProcess.RunAsync(["cert", "dev", "--uninstall", "localhost"], Environment);

        Assert.True(first.ExitCode == 0, first.ToString());
        var json = JsonNode.Parse(first.Stdout)!;
        Assert.Equal("cert dev", (string?)json["command"]);
        Assert.Equal("issue", (string?)json["action"]);
        Assert.Equal("ok", (string?)json["verdict"]);
        Assert.Equal(Path.Combine(CaDirectory, "ca.pem"), (string?)json["ca"]!["path"]);
        Assert.True((bool)json["ca"]!["created"]!);
        Assert.Empty(json["storesChanged"]!.AsArray());
        var issued = json["issued"]!;
        Assert.Equal(["localhost", "::1"], issued["names"]!.AsArray().Select(n => (string?)n));
        Assert.True(File.Exists((string?)issued["certificate"]), first.Stdout);
        Assert.True(File.Exists((string?)issued["key"]), first.Stdout);
        Assert.Contains("wsdoctor serve --tls-cert ", (string?)issued["serve"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Home, ".pki")), "a store was touched without --install");

        Assert.True(second.ExitCode == 0, second.ToString());
        var again = JsonNode.Parse(second.Stdout)!;
        Assert.False((bool)again["ca"]!["created"]!);
        Assert.Equal((string?)json["ca"]!["sha256"], (string?)again["ca"]!["sha256"]);
        Assert.Equal(["localhost", "127.0.0.1", "::1"], again["issued"]!["names"]!.AsArray().Select(n => (string?)n));

        Assert.Equal(2, uninstallWithNames.ExitCode);
        Assert.Contains("--uninstall only removes the trust --install added", Assert.Single(uninstallWithNames.StderrLines), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Dev_InstallAndUninstallJson_ListWhatChanged()
    {
        Peers.Require(Certutil);
        Peers.Require("/usr/sbin/update-ca-certificates");

        var install = await WsdoctorProcess.RunAsync(["cert", "dev", "--install", "--json"], Environment);
        var uninstall = await WsdoctorProcess.RunAsync(["cert", "dev", "--uninstall", "--json"], Environment);

        Assert.True(install.ExitCode == 0, install.ToString());
        var installed = JsonNode.Parse(install.Stdout)!;
        Assert.Equal("install", (string?)installed["action"]);
        Assert.Contains(installed["storesChanged"]!.AsArray(), l => ((string?)l)!.StartsWith("system store: ", StringComparison.Ordinal));
        Assert.Contains(installed["environment"]!.AsArray(), l => ((string?)l)!.Contains("NODE_EXTRA_CA_CERTS=" + Path.Combine(CaDirectory, "ca.pem"), StringComparison.Ordinal));
        Assert.Null(installed["issued"]);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        var removed = JsonNode.Parse(uninstall.Stdout)!;
        Assert.Equal("uninstall", (string?)removed["action"]);
        Assert.Contains(removed["storesChanged"]!.AsArray(), l => ((string?)l)!.StartsWith("system store: removed ", StringComparison.Ordinal));
        Assert.Contains(removed["storesChanged"]!.AsArray(), l => ((string?)l)!.Contains("removed 'wsdoctor dev CA", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(CaDirectory, "installed.json")));
    }

    /// <summary>One headless Chromium with this test's HOME (so its NSS database), one page opening the WebSocket.</summary>
    private async Task<(bool Opened, string Transcript)> ChromiumOpensAsync(string url)
    {
        await using var driver = LongRunningProcess.Start(Peers.Node, [Path.Combine(Peers.NodeProject, "browser", "chromium-driver.js")],
            new Dictionary<string, string> { ["HOME"] = Home, ["WSDOCTOR_CHROMIUM"] = Peers.Chromium });
        await driver.Stdout.WaitForAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "Chromium ready");
        await driver.Stdin.WriteLineAsync(new JsonObject { ["id"] = 1, ["url"] = url, ["timeoutMs"] = 10000, ["close"] = new JsonObject { ["code"] = 1000, ["reason"] = "done" } }.ToJsonString());
        await driver.Stdin.FlushAsync();
        var reply = await driver.Stdout.WaitForAsync(l => l.Contains("\"id\":1", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the page's WebSocket");
        var events = JsonNode.Parse(reply)!["events"]!.AsArray();
        return (events.Any(e => (string?)e!["event"] == "open"), reply);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
