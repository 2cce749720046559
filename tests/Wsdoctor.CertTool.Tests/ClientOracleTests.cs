using System.Text.Json.Nodes;
using Wsdoctor.CertTool.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests;

/// <summary>The per-client table of <c>cert inspect</c> against the clients themselves: nginx serves a chain made by
/// openssl, wsdoctor predicts each client's verdict, and Node, Python, curl, .NET and headless Chromium connect for real. Any
/// disagreement is a wrong row in ClientTlsBehaviour (or a wrong rule in ClientVerdicts).</summary>
public sealed class ClientOracleTests
{
    public static TheoryData<string> Scenarios => new(["fullchain", "leaf-only-with-aia", "cn-only", "wildcard-depth", "wildcard-apex", "ip-in-dns-san", "name-constraints"]);

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Inspect_PredictsWhatEachRealClientDoes(string scenario)
    {
        Peers.Require(Peers.Nginx);
        using var pki = await OpenSslPki.CreateAsync(intermediateNameConstraints: scenario == "name-constraints" ? "permitted;DNS:allowed.test" : null);
        var aiaDir = Directory.CreateTempSubdirectory("wsdoctor-aia-").FullName;
        await Tool.OkAsync(Tool.OpenSsl, "x509", "-in", pki.Intermediate, "-outform", "DER", "-out", Path.Combine(aiaDir, "int.der"));
        using var aia = await Nginx.FilesAsync(aiaDir);
        var (leaf, name, served) = scenario switch
        {
            "fullchain" => (await pki.LeafAsync("s", "ws.example.test", "subjectAltName=DNS:ws.example.test"), "ws.example.test", "full"),
            "leaf-only-with-aia" => (await pki.LeafAsync("s", "ws.example.test", "subjectAltName=DNS:ws.example.test", $"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{aia.Port}/int.der"), "ws.example.test", "leaf"),
            "cn-only" => (await pki.LeafAsync("s", "legacy.example.test"), "legacy.example.test", "full"),
            "wildcard-depth" => (await pki.LeafAsync("s", "apps.example.test", "subjectAltName=DNS:*.apps.example.test"), "a.b.apps.example.test", "full"),
            "wildcard-apex" => (await pki.LeafAsync("s", "apps.example.test", "subjectAltName=DNS:*.apps.example.test"), "apps.example.test", "full"),
            "ip-in-dns-san" => (await pki.LeafAsync("s", "127.0.0.1", "subjectAltName=DNS:127.0.0.1"), "127.0.0.1", "full"),
            "name-constraints" => (await pki.LeafAsync("s", "ws.other.test", "subjectAltName=DNS:ws.other.test"), "ws.other.test", "full"),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        await using var echo = await Lab.Servers.KestrelEcho.StartAsync();
        using var nginx = await Nginx.TlsAsync(served == "full" ? leaf.FullChain : leaf.Certificate, leaf.Key, $$"""
            location /ws {
                proxy_pass http://127.0.0.1:{{echo.Port}};
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection "upgrade";
            }
            """);

        var url = name == "127.0.0.1" ? $"wss://127.0.0.1:{nginx.Port}/" : $"wss://{name}:{nginx.Port}/";
        var run = await WsdoctorProcess.RunAsync("cert", "inspect", url, "--connect-to", "127.0.0.1", "--ca", pki.Root, "--json");
        var report = JsonNode.Parse(run.Stdout)!;
        var predicted = report["clients"]!.AsArray().ToDictionary(c => (string)c!["id"]!, c => (string)c!["outcome"]!);

        var transcript = new List<string> { $"scenario {scenario}, {url}", run.Stdout.Length > 4000 ? run.Stdout[..4000] : run.Stdout };
        foreach (var id in Oracles.Ids)
        {
            var attempt = await Oracles.RunAsync(id, name, nginx.Port, pki.Root);
            transcript.Add($"{id}: predicted {predicted[id]}, connected {attempt.Connected}: {attempt.Said}");
            Assert.True(predicted[id] == (attempt.Connected ? "pass" : "fail"), string.Join("\n", transcript));
        }

        // Chromium, through a real WebSocket from the headless browser.
        var chromium = await Oracles.ChromiumAsync(name, nginx.Port, pki.Root);
        transcript.Add($"chromium: predicted {predicted["chromium"]}, connected {chromium.Connected}: {chromium.Said}");
        Assert.True(predicted["chromium"] == (chromium.Connected ? "pass" : "fail"), string.Join("\n", transcript));

        Directory.Delete(aiaDir, recursive: true);
    }
}
