using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Tests.Tls;

/// <summary>--cert/--key against real Kestrel that requires a client certificate chaining to a test root.</summary>
public sealed class MutualTlsTests : IDisposable
{
    private readonly TestPki pki = TestPki.Create(DateTimeOffset.UtcNow);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "wsdoctor-mtls-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<(KestrelEcho Server, string Ca)> StartAsync()
    {
        Directory.CreateDirectory(directory);
        var leaf = pki.IssueLeaf(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "127.0.0.1"));
        var warmUp = pki.Root.Issue(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "warm-up.client.test"));
        var server = await KestrelEcho.StartAsync(leaf, pki.ChainFor(leaf), clientCertificates: new ClientCertificates(pki.Root.Certificate, warmUp));
        return (server, pki.RootPemPath(directory));
    }

    private static async Task<CheckReport> CheckAsync(CheckOptions options)
    {
        using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        return await CheckRunner.RunAsync(options with { Deadline = TimeSpan.FromSeconds(25), Environment = static _ => null }, backstop.Token);
    }

    [Fact]
    public async Task Check_WithClientCertificate_HandshakeAndSessionPass()
    {
        var (server, ca) = await StartAsync();
        await using var _ = server;
        using var client = pki.Root.Issue(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "alice.client.test"));
        var cert = Path.Combine(directory, "client.pem");
        var key = Path.Combine(directory, "client-key.pem");
        await File.WriteAllTextAsync(cert, Pem.Export(client));
        await File.WriteAllTextAsync(key, Pem.ExportPrivateKey(client));

        var report = await CheckAsync(new CheckOptions { Url = $"wss://127.0.0.1:{server.Port}/ws", CaFile = ca, CertFile = cert, KeyFile = key, Send = "mtls", Expect = "^mtls$" });

        Assert.True(report.Verdict == Verdict.Ok, string.Join("\n", report.Findings.Select(f => $"{f.Code} {f.Message} {string.Join(" | ", f.Evidence)}")));
        Assert.NotNull(report.Timings.FirstMessageRttMs);
    }

    [Fact]
    public async Task Check_WithoutClientCertificate_RootCauseIsClientCertRequired()
    {
        var (server, ca) = await StartAsync();
        await using var _ = server;

        var report = await CheckAsync(new CheckOptions { Url = $"wss://127.0.0.1:{server.Port}/ws", CaFile = ca });

        Assert.True(report.RootCause?.Code == Codes.TlsClientCertRequired,
            string.Join("\n", report.Findings.Select(f => $"{f.Code} {f.Message} {string.Join(" | ", f.Evidence)}")));
    }

    [Fact]
    public async Task Check_ClientCertificateFromAnotherAuthority_IsRejectedAsClientCertRequired()
    {
        var (server, ca) = await StartAsync();
        await using var _ = server;
        using var stranger = SelfSigned.Create(LeafSpec.ForHosts(DateTimeOffset.UtcNow, "mallory.client.test"));
        var cert = Path.Combine(directory, "stranger.pem");
        var key = Path.Combine(directory, "stranger-key.pem");
        await File.WriteAllTextAsync(cert, Pem.Export(stranger));
        await File.WriteAllTextAsync(key, Pem.ExportPrivateKey(stranger));

        var report = await CheckAsync(new CheckOptions { Url = $"wss://127.0.0.1:{server.Port}/ws", CaFile = ca, CertFile = cert, KeyFile = key });

        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.True(report.RootCause?.Code == Codes.TlsClientCertRequired,
            string.Join("\n", report.Findings.Select(f => $"{f.Code} {f.Message} {string.Join(" | ", f.Evidence)}")));
    }

    public void Dispose()
    {
        pki.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
