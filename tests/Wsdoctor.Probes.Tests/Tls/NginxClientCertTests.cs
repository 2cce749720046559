using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Probes.Tests.Tls;

/// <summary>Real nginx with <c>ssl_verify_client on</c> finishes the handshake without a client certificate and answers
/// the upgrade with 400 "No required SSL certificate was sent": check must call that tls.client-cert-required, not
/// http.bad-request. With <c>optional</c>, the same client gets through.</summary>
public sealed class NginxClientCertTests : IDisposable
{
    private readonly TestPki pki = TestPki.Create(DateTimeOffset.UtcNow);
    private readonly string directory = Directory.CreateTempSubdirectory("wsdoctor-nginx-mtls-").FullName;

    private async Task<(ProxyPeer Nginx, string Ca, KestrelEcho Backend)> StartAsync(string verify)
    {
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        var chain = Path.Combine(directory, "fullchain.pem");
        var key = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(chain, Pem.ExportChain([leaf, .. pki.ChainFor(leaf)]));
        await File.WriteAllTextAsync(key, Pem.ExportPrivateKey(leaf));
        var ca = pki.RootPemPath(directory);
        var backend = await KestrelEcho.StartAsync();
        var nginx = await ProxyPeer.NginxAsync($$"""
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            server {
                listen 127.0.0.1:PORT ssl;
                ssl_certificate     {{chain}};
                ssl_certificate_key {{key}};
                ssl_client_certificate {{ca}};
                ssl_verify_client {{verify}};
                location / {
                    proxy_pass http://127.0.0.1:{{backend.Port}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                }
            }
            """);
        return (nginx, ca, backend);
    }

    private static string Show(CheckReport report) =>
        $"{report.Verdict} {report.RootCause?.Code}: {report.RootCause?.Message}\n{string.Join("\n", report.RootCause?.Evidence ?? [])}\nfix: {report.RootCause?.Fix}";

    [SkippableFact]
    public async Task Check_VerifyClientOn_NoCertificate_ClientCertRequiredNotBadRequest()
    {
        var (nginx, ca, backend) = await StartAsync("on");
        using var _ = nginx;
        await using var __ = backend;

        var report = await CheckRunner.RunAsync(new CheckOptions { Url = $"wss://127.0.0.1:{nginx.Port}/ws", CaFile = ca, StepTimeout = TimeSpan.FromSeconds(5), Environment = static _ => null });

        Assert.True(report.RootCause?.Code == Codes.TlsClientCertRequired, Show(report));
        Assert.DoesNotContain(report.Findings, f => f.Code == Codes.HttpBadRequest);
        Assert.Contains(report.RootCause!.Evidence, e => e.Contains("No required SSL certificate was sent", StringComparison.Ordinal));
        Assert.Contains("--cert", report.RootCause.Fix, StringComparison.Ordinal);
        Assert.Contains("ssl_verify_client optional", report.RootCause.Fix, StringComparison.Ordinal);
        Assert.Equal(false, report.RootCause.Data["clientCertificateSent"]);
    }

    [SkippableFact]
    public async Task Check_VerifyClientOptional_NoCertificate_Healthy()
    {
        var (nginx, ca, backend) = await StartAsync("optional");
        using var _ = nginx;
        await using var __ = backend;

        var report = await CheckRunner.RunAsync(new CheckOptions { Url = $"wss://127.0.0.1:{nginx.Port}/ws", CaFile = ca, StepTimeout = TimeSpan.FromSeconds(5), Environment = static _ => null });

        Assert.True(report.Verdict == Verdict.Ok, Show(report));
    }

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
