using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Exporter.Tests;

/// <summary>probe_ssl_earliest_cert_expiry over the whole chain the server sent, and
/// probe_ssl_last_chain_expiry_timestamp_seconds over the verified chain, as blackbox_exporter defines them: real
/// servers (wsdoctor serve --tls-cert, nginx) sending an intermediate that expires before the leaf.</summary>
public sealed class ChainExpiryTests
{
    [Fact]
    public async Task Probe_IntermediateExpiresBeforeTheLeaf_EarliestExpiryIsTheIntermediates()
    {
        var now = DateTimeOffset.UtcNow;
        using var root = CertificateAuthority.CreateRoot($"wsdoctor chain-expiry root {Guid.NewGuid():N}", now);
        using var intermediate = root.CreateIntermediate("wsdoctor short-lived intermediate", now, TimeSpan.FromDays(20));
        using var leaf = intermediate.Issue(new LeafSpec("localhost", ["localhost"], [IPAddress.Loopback], now.AddHours(-1), now.AddDays(60)));
        var dir = Directory.CreateTempSubdirectory("wsdoctor-exporter-chain-").FullName;
        var (cert, key, ca) = Write(dir, [leaf, intermediate.Certificate], leaf, root.Certificate);
        await using var serve = await ServeProcess.StartAsync(["--tls-cert", cert, "--tls-key", key]);
        await using var exporter = await Support.StartAsync($$"""
            modules:
              trusted:
                tls: { ca: {{ca}} }
              untrusted:
                timeout: 5s
            """);

        var (_, trusted) = await Support.GetAsync(Support.Probe(exporter, $"wss://localhost:{serve.Url.Port}/", "trusted"));
        var (_, untrusted) = await Support.GetAsync(Support.Probe(exporter, $"wss://localhost:{serve.Url.Port}/", "untrusted"));

        var intermediateExpiry = Unix(intermediate.Certificate);
        Assert.True(Unix(leaf) - intermediateExpiry > 30 * 86400, "the leaf must outlive the intermediate for this test to mean anything");
        Assert.Equal(1, Support.Value(trusted, "probe_success"));
        Assert.Equal(intermediateExpiry, Support.Value(trusted, "probe_ssl_earliest_cert_expiry"));
        Assert.Equal(intermediateExpiry, Support.Value(trusted, "probe_ssl_last_chain_expiry_timestamp_seconds"));
        // Without the root the chain does not verify: the sent certificates still have an earliest expiry, the
        // verified chain has none (blackbox_exporter would write year 1 here).
        Assert.Equal(0, Support.Value(untrusted, "probe_success"));
        Assert.Equal(intermediateExpiry, Support.Value(untrusted, "probe_ssl_earliest_cert_expiry"));
        Assert.DoesNotContain(Support.Samples(untrusted), s => s.Name == "probe_ssl_last_chain_expiry_timestamp_seconds");
    }

    [SkippableFact]
    public async Task Probe_StaleExtraCertificateSent_EarliestCountsItTheVerifiedChainDoesNot()
    {
        var now = DateTimeOffset.UtcNow;
        using var root = CertificateAuthority.CreateRoot($"wsdoctor chain-expiry root {Guid.NewGuid():N}", now);
        using var intermediate = root.CreateIntermediate("wsdoctor current intermediate", now, TimeSpan.FromDays(20));
        using var stale = root.CreateIntermediate("wsdoctor old intermediate", now, TimeSpan.FromDays(5));
        using var leaf = intermediate.Issue(new LeafSpec("localhost", ["localhost"], [IPAddress.Loopback], now.AddHours(-1), now.AddDays(60)));
        await using var echo = await KestrelEcho.StartAsync();
        // nginx sends the file as it is, the old intermediate included (Kestrel would send only the built path).
        var dir = Directory.CreateTempSubdirectory("wsdoctor-exporter-chain-").FullName;
        var (cert, key, ca) = Write(dir, [leaf, intermediate.Certificate, stale.Certificate], leaf, root.Certificate);
        using var nginx = await ProxyPeer.NginxAsync(string.Create(CultureInfo.InvariantCulture, $$"""
            server {
                listen 127.0.0.1:PORT ssl;
                ssl_certificate {{cert}};
                ssl_certificate_key {{key}};
                location / {
                    proxy_pass http://127.0.0.1:{{echo.Port}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                }
            }
            """));
        await using var exporter = await Support.StartAsync($$"""
            modules:
              trusted:
                tls: { ca: {{ca}} }
            """);

        var (_, text) = await Support.GetAsync(Support.Probe(exporter, $"wss://localhost:{nginx.Port}/", "trusted"));

        Assert.Equal(1, Support.Value(text, "probe_success"));
        Assert.Equal(Unix(stale.Certificate), Support.Value(text, "probe_ssl_earliest_cert_expiry"));
        Assert.Equal(Unix(intermediate.Certificate), Support.Value(text, "probe_ssl_last_chain_expiry_timestamp_seconds"));
    }

    private static (string Cert, string Key, string Ca) Write(string dir, IEnumerable<X509Certificate2> chain, X509Certificate2 leaf, X509Certificate2 root)
    {
        var cert = Path.Combine(dir, "fullchain.pem");
        var key = Path.Combine(dir, "key.pem");
        var ca = Path.Combine(dir, "ca.pem");
        File.WriteAllText(cert, Pem.ExportChain(chain));
        File.WriteAllText(key, Pem.ExportPrivateKey(leaf));
        File.WriteAllText(ca, Pem.Export(root));
        return (cert, key, ca);
    }

    private static double Unix(X509Certificate2 certificate) => new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeSeconds();
}
