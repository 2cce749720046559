using Wsdoctor.Browsers.Tests.Support;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;
using static Wsdoctor.Browsers.Tests.Support.RealBrowsers;

namespace Wsdoctor.Browsers.Tests;

/// <summary>Certificates as browsers judge them: an untrusted CA with and without --ca (trusted through an NSS
/// database in the throwaway profile, nothing else), -k hiding an error browsers do not forgive, and an incomplete
/// chain that Chromium completes through AIA while Firefox fails.</summary>
public class TlsInBrowsersTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    [SkippableTheory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public async Task Check_PrivateCaWithCa_BrowserTrustsItAndOpens(string browser)
    {
        Peers.Require(Certutil);
        var (leaf, chain) = pki.Localhost();
        await using var server = await KestrelEcho.StartAsync(leaf, chain);

        var report = await CheckAsync(browser, $"wss://localhost:{server.Port}/ws", "-4", "--ca", pki.CaFile);

        var seen = Observation(report, browser);
        Assert.True((string?)seen["outcome"] == "opened", Show(report));
        Assert.Equal(true, (bool?)seen["agrees"]);
        Assert.Equal($"https://localhost:{server.Port}", (string?)seen["pageOrigin"]);
    }

    [SkippableTheory]
    [InlineData("chromium", "net::ERR_CERT_AUTHORITY_INVALID")]
    [InlineData("firefox", "SEC_ERROR_UNKNOWN_ISSUER")]
    public async Task Check_PrivateCaWithoutCa_BrowserRefusesWithItsOwnError(string browser, string error)
    {
        var (leaf, chain) = pki.Localhost();
        await using var server = await KestrelEcho.StartAsync(leaf, chain);

        var report = await CheckAsync(browser, $"wss://localhost:{server.Port}/ws", "-4");

        var seen = Observation(report, browser);
        Assert.True((string?)report["rootCause"]?["code"] == "tls.untrusted-root", Show(report));
        Assert.Equal("failed", (string?)seen["outcome"]);
        Assert.Contains(error, (string?)seen["error"] ?? "");
        Assert.Equal(true, (bool?)seen["agrees"]);
        // Firefox reports a TLS failure to the page as 1015; Chromium as 1006.
        Assert.Equal(browser == "firefox" ? 1015 : 1006, (int?)seen["closeCode"]);
    }

    [SkippableFact]
    public async Task Check_InsecureHidesAnUntrustedCa_CertStricterNamesTheBrowsersErrors()
    {
        var (leaf, chain) = pki.Localhost();
        await using var server = await KestrelEcho.StartAsync(leaf, chain);

        var report = await CheckAsync("all", $"wss://localhost:{server.Port}/ws", "-4", "-k");

        var stricter = Finding(report, "browser.cert-stricter");
        Assert.True(stricter is not null, Show(report));
        Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", stricter!["data"]!["chromium"]!.AsArray().Select(e => (string?)e));
        Assert.Contains("SEC_ERROR_UNKNOWN_ISSUER", stricter["data"]!["firefox"]!.AsArray().Select(e => (string?)e));
        // What the real browsers said is what the finding predicted.
        Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", (string?)Observation(report, "chromium")["error"] ?? "");
        Assert.Contains("SEC_ERROR_UNKNOWN_ISSUER", (string?)Observation(report, "firefox")["error"] ?? "");
    }

    [SkippableFact]
    public async Task Check_LeafOnlyWithAia_ChromiumCompletesTheChain_FirefoxFails_ToolNamesWhoFails()
    {
        Peers.Require(Certutil);
        await using var aia = HttpFiles.Certificate(pki.Pki.Intermediate.Certificate.RawData);
        var (leaf, _) = pki.Localhost($"http://127.0.0.1:{aia.Port}/intermediate.crt");
        // Exactly the leaf, nothing more: Kestrel would complete the chain itself (it downloads AIA too).
        await using var server = RawServer.StartTls(leaf, [], FrameLoop.Upgrade((s, ct) => FrameLoop.RunAsync(s, ct)));

        var report = await CheckAsync("all", $"wss://localhost:{server.Port}/ws", "-4", "--ca", pki.CaFile);

        var chainFinding = Finding(report, "tls.incomplete-chain");
        Assert.True((string?)report["rootCause"]?["code"] == "tls.incomplete-chain", Show(report));
        var fail = chainFinding!["data"]!["clientsFail"]!.AsArray().Select(c => (string?)c).ToArray();
        var pass = chainFinding["data"]!["clientsPass"]!.AsArray().Select(c => (string?)c).ToArray();
        Assert.Contains(fail, c => c!.StartsWith("Firefox", StringComparison.Ordinal));
        Assert.Contains(fail, c => c!.StartsWith("Node.js", StringComparison.Ordinal));
        Assert.Contains(pass, c => c!.StartsWith("Chromium", StringComparison.Ordinal));

        var chromium = Observation(report, "chromium");
        Assert.Equal("opened", (string?)chromium["outcome"]);
        Assert.Equal(false, (bool?)chromium["agrees"]);
        Assert.Contains("AIA", (string?)chromium["comparison"] ?? "");
        var firefox = Observation(report, "firefox");
        Assert.Contains("SEC_ERROR_UNKNOWN_ISSUER", (string?)firefox["error"] ?? "");
        Assert.Equal(true, (bool?)firefox["agrees"]);
        // wsdoctor downloaded the intermediate once and Chromium did too; Firefox never asks.
        Assert.True(aia.Requests >= 2, $"the AIA URL was fetched {aia.Requests} time(s)");
    }
}
