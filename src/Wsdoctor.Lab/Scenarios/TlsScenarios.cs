using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;

namespace Wsdoctor.Lab.Scenarios;

internal static class TlsScenarios
{
    private static Func<Stream, CancellationToken, Task> Correct => FrameLoop.Upgrade((s, t) => FrameLoop.RunAsync(s, t));

    public static IEnumerable<LabScenario> All()
    {
        yield return new("tls-plain-port-with-wss", Codes.TlsPlaintextPort, "wss:// to a plain HTTP port",
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/ws"),
                    Expect.DataEquals(Codes.TlsPlaintextPort, "suggestedUrl", $"ws://127.0.0.1:{server.Port}/ws"), server);
            });
        yield return new("tls-port-with-ws", Codes.TlsExpectedPlaintext, "ws:// to a TLS port",
            async (env, ct) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("localhost", "127.0.0.1"));
                var server = await KestrelEcho.StartAsync(leaf, chain, ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws"),
                    Expect.DataEquals(Codes.TlsExpectedPlaintext, "suggestedUrl", $"wss://127.0.0.1:{server.Port}/ws"), server);
            });
        yield return new("tls-client-cert-required", Codes.TlsClientCertRequired, "Kestrel requires a client certificate (mutual TLS); none is sent",
            async (env, ct) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("127.0.0.1"));
                var warmUp = env.Pki.Root.Issue(env.Hosts("lab-warm-up.client.test"));
                var server = await KestrelEcho.StartAsync(leaf, chain, clientCertificates: new ClientCertificates(env.Pki.Root.Certificate, warmUp), ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/ws") with { CaFile = env.CaFile },
                    Expect.Mentions(Codes.TlsClientCertRequired, "asked for a client certificate"), server);
            });
        yield return new("tls-name-mismatch", Codes.TlsNameMismatch, "certificate for www.example.com, URL test.example.com (via --connect-to)",
            (env, _) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("www.example.com", "example.com"));
                var server = RawServer.StartTls(leaf, chain, Correct);
                var options = env.Check($"wss://test.example.com:{server.Port}/ws") with { ConnectTo = $"127.0.0.1:{server.Port}", CaFile = env.CaFile };
                return Task.FromResult(new LabInstance(options,
                    Expect.All(Expect.DataContains(Codes.TlsNameMismatch, "subjectAltNames", "www.example.com"),
                        Expect.DataEquals(Codes.TlsNameMismatch, "host", "test.example.com")), server));
            });
        yield return new("tls-ip-not-in-san", Codes.TlsIpNotInSan, "URL with an IP, certificate with DNS names only",
            (env, _) => Start(env, env.Hosts("localhost"), ca: true, "127.0.0.1",
                _ => Expect.DataContains(Codes.TlsIpNotInSan, "subjectAltNames", "localhost")));
        yield return new("tls-expired", Codes.TlsExpired, "certificate expired two days ago",
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1") with { NotBefore = env.Now.AddDays(-90), NotAfter = env.Now.AddDays(-2) }, ca: true, "127.0.0.1",
                leaf => Expect.DataEquals(Codes.TlsExpired, "notAfter", new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero))));
        yield return new("tls-not-yet-valid", Codes.TlsNotYetValid, "certificate valid only from the day after tomorrow",
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1") with { NotBefore = env.Now.AddDays(2), NotAfter = env.Now.AddDays(90) }, ca: true, "127.0.0.1",
                leaf => Expect.DataEquals(Codes.TlsNotYetValid, "notBefore", new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero))));
        yield return new("tls-expiring-soon", Codes.TlsExpiringSoon, "healthy endpoint whose certificate expires in 5 days",
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1") with { NotAfter = env.Now.AddDays(5) }, ca: true, "127.0.0.1",
                _ => Expect.DataBetween(Codes.TlsExpiringSoon, "daysLeft", 4.8, 5.1)));
        yield return new("tls-self-signed", Codes.TlsSelfSigned, "self-signed certificate, not trusted",
            (env, _) =>
            {
                var leaf = SelfSigned.Create(env.Hosts("localhost", "127.0.0.1"));
                var server = RawServer.StartTls(leaf, [], Correct);
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/"),
                    Expect.Mentions(Codes.TlsSelfSigned, "localhost"), server));
            });
        yield return new("tls-untrusted-root", Codes.TlsUntrustedRoot, "chain from a private CA the client does not trust",
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1"), ca: false, "127.0.0.1",
                _ => Expect.DataEquals(Codes.TlsUntrustedRoot, "root", env.Pki.Root.Certificate.Subject)));
        yield return new("tls-incomplete-chain", Codes.TlsIncompleteChain, "server sends the leaf without its intermediate",
            (env, _) =>
            {
                var (leaf, _) = env.Leaf(env.Hosts("localhost", "127.0.0.1"));
                var server = RawServer.StartTls(leaf, [], Correct);
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/") with { CaFile = env.CaFile },
                    Expect.DataEquals(Codes.TlsIncompleteChain, "missingIssuer", env.Pki.Intermediate.Certificate.Subject), server));
            });
        yield return new("tls-incomplete-chain-aia", Codes.TlsIncompleteChain, "leaf sent alone; its AIA URL serves the intermediate (Chromium completes the chain, Node and Firefox do not)",
            (env, _) =>
            {
                var intermediate = env.Pki.Intermediate.Certificate.RawData;
                var aia = RawServer.Start(async (s, ct) =>
                {
                    await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                    var head = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {intermediate.Length}\r\nConnection: close\r\n\r\n");
                    await RawHttp.WriteAsync(s, [.. head, .. intermediate], ct).ConfigureAwait(false);
                });
                var leaf = env.Pki.IssueLeaf(env.Hosts("localhost", "127.0.0.1") with { CaIssuersUrl = $"http://127.0.0.1:{aia.Port}/intermediate.crt" });
                var server = RawServer.StartTls(leaf, [], Correct);
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/") with { CaFile = env.CaFile },
                    Expect.All(Expect.Mentions(Codes.TlsIncompleteChain, "with it the chain is complete and trusted"),
                        Expect.DataContains(Codes.TlsIncompleteChain, "clientsFail", "Firefox")), server, aia));
            });
        yield return new("tls-handshake-alert", Codes.TlsHandshakeFailed, "server answers the ClientHello with a handshake_failure alert",
            (env, _) =>
            {
                var server = RawServer.Start(async (s, ct) =>
                {
                    await s.ReadAsync(new byte[4096], ct).ConfigureAwait(false);
                    // Alert record: type 21, TLS 1.2, length 2, level fatal(2), description handshake_failure(40).
                    await RawHttp.WriteAsync(s, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], ct).ConfigureAwait(false);
                });
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/"),
                    Expect.DataEquals(Codes.TlsHandshakeFailed, "alert", "handshake_failure"), server));
            });
        yield return new("tls-stall", Codes.TlsHandshakeFailed, "TLS server that stalls mid-handshake",
            (env, _) =>
            {
                var server = RawServer.Start(async (s, ct) =>
                {
                    await s.ReadAsync(new byte[4096], ct).ConfigureAwait(false);
                    // A handshake record header promising 64 bytes that never come.
                    await RawHttp.WriteAsync(s, [0x16, 0x03, 0x03, 0x00, 0x40], ct).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                });
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/"),
                    Expect.Mentions(Codes.TlsHandshakeFailed, "stalled after 5 bytes"), server));
            });
    }

    private static Task<LabInstance> Start(LabEnvironment env, LeafSpec spec, bool ca, string host, Func<X509Certificate2, Func<Probes.Diagnosis.CheckReport, string?>> verify)
    {
        var (leaf, chain) = env.Leaf(spec);
        var server = RawServer.StartTls(leaf, chain, Correct);
        var options = env.Check($"wss://{host}:{server.Port}/ws");
        return Task.FromResult(new LabInstance(ca ? options with { CaFile = env.CaFile } : options, verify(leaf), server));
    }
}
