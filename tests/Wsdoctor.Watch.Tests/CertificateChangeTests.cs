using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.TestPeers;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Engine;
using Wsdoctor.Watch.Output;

namespace Wsdoctor.Watch.Tests;

/// <summary>tls.certificate-changed: a real wsdoctor serve restarted on the same port with another certificate (then the
/// first one again) while watch holds wss:// connections. Both certificates come from one CA the watch trusts, so every
/// reconnect succeeds and only the certificate tells the servers apart.</summary>
public sealed class CertificateChangeTests
{
    [Fact]
    public async Task Watch_ServerRestartsWithAnotherCertificate_RenewedThenAlternating()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var dir = Directory.CreateTempSubdirectory("wsdoctor-watch-cert-").FullName;
        using var first = pki.IssueLeaf(new LeafSpec("localhost", ["localhost"], [IPAddress.Loopback], now.AddHours(-1), now.AddDays(30)));
        using var renewed = pki.IssueLeaf(new LeafSpec("localhost", ["localhost"], [IPAddress.Loopback], now.AddHours(-1), now.AddDays(90)));
        var a = Write(dir, "a", first, pki);
        var b = Write(dir, "b", renewed, pki);

        var (summary, events) = await WatchRestartsAsync(pki.RootPemPath(dir), [a, b, a]);

        var why = Watching.Describe(summary, events);
        Assert.True(summary.Connections >= 3, why);
        var changes = events.OfType<CertificateChangedEvent>().Select(e => e.Change).ToArray();
        Assert.Equal(2, changes.Length);
        Assert.All(changes, c => Assert.Equal(Codes.TlsCertificateChanged, c.Code));
        Assert.Equal(CertificateChangeKind.Renewed, changes[0].Kind);
        Assert.Equal(Sha256(first), changes[0].Previous);
        Assert.Equal(Sha256(renewed), changes[0].Current);
        Assert.Equal(CertificateChangeKind.Alternating, changes[1].Kind);
        Assert.Equal(Sha256(first), changes[1].Current);
        // Each change follows the drop of a restart: serve's 1001, or on a loaded machine a connection cut before the
        // Close frame went out.
        Assert.All(changes, c => Assert.Contains(c.AfterDrop, new[] { $"{Codes.SessionClosedByServer} 1001", Codes.SessionAbnormalClose }));
        Assert.Equal(2, summary.CertificateChangeCount);
        var finding = Assert.Single(summary.Findings, f => f.Code == Codes.TlsCertificateChanged);
        Assert.Contains("flips between 2 certificates", finding.Message, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("session.closed-by-server 1001", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, finding.Severity);

        var line = JsonDocument.Parse(WatchJson.Event(events.OfType<CertificateChangedEvent>().First())).RootElement;
        Assert.Equal("certificate-changed", line.GetProperty("event").GetString());
        Assert.Equal(Codes.TlsCertificateChanged, line.GetProperty("code").GetString());
        Assert.Equal("renewed", line.GetProperty("kind").GetString());
        var json = JsonDocument.Parse(WatchJson.Summary(summary)).RootElement;
        Assert.Equal(2, json.GetProperty("certificateChanges").GetInt32());
        Assert.Equal("alternating", json.GetProperty("certificates")[1].GetProperty("kind").GetString());
        Assert.Contains(json.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == Codes.TlsCertificateChanged);
    }

    [Fact]
    public async Task Watch_ServerRestartsWithTheSameCertificate_NoChange()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create(now);
        var dir = Directory.CreateTempSubdirectory("wsdoctor-watch-cert-").FullName;
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(now, "localhost", "127.0.0.1"));
        var files = Write(dir, "a", leaf, pki);

        var (summary, events) = await WatchRestartsAsync(pki.RootPemPath(dir), [files, files]);

        Assert.True(summary.Connections >= 2, Watching.Describe(summary, events));
        Assert.Empty(events.OfType<CertificateChangedEvent>());
        Assert.Equal(0, summary.CertificateChangeCount);
        Assert.DoesNotContain(summary.Findings, f => f.Code == Codes.TlsCertificateChanged);
    }

    /// <summary>serve with each certificate in turn on one port, restarted (SIGTERM, then started again) once the watch
    /// holds a connection to the one before; the watch ends a second after its connection to the last one.</summary>
    private static async Task<(WatchSummary Summary, IReadOnlyList<WatchEvent> Events)> WatchRestartsAsync(string ca, (string Cert, string Key)[] served)
    {
        var port = Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        var serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}", "--tls-cert", served[0].Cert, "--tls-key", served[0].Key]);
        using var last = new CancellationTokenSource();
        var opens = 0;
        try
        {
            var watching = Watching.RunAsync($"wss://localhost:{port}/", TimeSpan.FromSeconds(60), pingInterval: TimeSpan.FromSeconds(1), caFile: ca,
                onEvent: e =>
                {
                    if (e is OpenedEvent && Interlocked.Increment(ref opens) == served.Length)
                    {
                        last.CancelAfter(TimeSpan.FromSeconds(1));
                    }
                }, stop: last.Token);
            for (var i = 1; i < served.Length; i++)
            {
                var before = i;
                await WaitForAsync(() => Volatile.Read(ref opens) >= before, "the connection before the restart");
                await serve.StopAsync(TimeSpan.FromSeconds(15));
                await serve.DisposeAsync();
                serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}", "--tls-cert", served[i].Cert, "--tls-key", served[i].Key]);
            }

            return await watching;
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }

    private static (string Cert, string Key) Write(string dir, string name, X509Certificate2 leaf, TestPki pki)
    {
        var cert = Path.Combine(dir, $"{name}.pem");
        var key = Path.Combine(dir, $"{name}-key.pem");
        File.WriteAllText(cert, Pem.ExportChain([leaf, .. pki.ChainFor(leaf)]));
        File.WriteAllText(key, Pem.ExportPrivateKey(leaf));
        return (cert, key);
    }

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var waited = 0; !condition(); waited += 100)
        {
            if (waited > 30_000)
            {
                throw new TimeoutException($"waited 30 s for {what}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
