using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

internal static class TlsScenarios
{
    private static Func<Stream, CancellationToken, Task> Correct => FrameLoop.Upgrade((s, t) => FrameLoop.RunAsync(s, t));

    public static IEnumerable<LabScenario> All()
    {
        yield return new("tls-plain-port-with-wss", Codes.TlsPlaintextPort, T("wss:// to a plain HTTP port", "对明文 HTTP 端口使用 wss://"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/ws"),
                    Expect.DataEquals(Codes.TlsPlaintextPort, "suggestedUrl", $"ws://127.0.0.1:{server.Port}/ws"), server);
            });
        yield return new("tls-port-with-ws", Codes.TlsExpectedPlaintext, T("ws:// to a TLS port", "对 TLS 端口使用 ws://"),
            async (env, ct) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("localhost", "127.0.0.1"));
                var server = await KestrelEcho.StartAsync(leaf, chain, ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws"),
                    Expect.DataEquals(Codes.TlsExpectedPlaintext, "suggestedUrl", $"wss://127.0.0.1:{server.Port}/ws"), server);
            });
        yield return new("tls-client-cert-required", Codes.TlsClientCertRequired, T("Kestrel requires a client certificate (mutual TLS); none is sent", "Kestrel 要求客户端证书（双向 TLS），客户端没有发送"),
            async (env, ct) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("127.0.0.1"));
                var warmUp = env.Pki.Root.Issue(env.Hosts("lab-warm-up.client.test"));
                var server = await KestrelEcho.StartAsync(leaf, chain, clientCertificates: new ClientCertificates(env.Pki.Root.Certificate, warmUp), ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/ws") with { CaFile = env.CaFile },
                    Expect.Mentions(Codes.TlsClientCertRequired, "asked for a client certificate"), server);
            });
        yield return new("tls-name-mismatch", Codes.TlsNameMismatch, T("certificate for www.example.com, URL test.example.com (via --connect-to)", "证书签发给 www.example.com，URL 却是 test.example.com（通过 --connect-to）"),
            (env, _) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("www.example.com", "example.com"));
                var server = RawServer.StartTls(leaf, chain, Correct);
                var options = env.Check($"wss://test.example.com:{server.Port}/ws") with { ConnectTo = $"127.0.0.1:{server.Port}", CaFile = env.CaFile };
                return Task.FromResult(new LabInstance(options,
                    Expect.All(Expect.DataContains(Codes.TlsNameMismatch, "subjectAltNames", "www.example.com"),
                        Expect.DataEquals(Codes.TlsNameMismatch, "host", "test.example.com")), server));
            });
        yield return new("tls-ip-not-in-san", Codes.TlsIpNotInSan, T("URL with an IP, certificate with DNS names only", "URL 用的是 IP，证书里只有 DNS 名称"),
            (env, _) => Start(env, env.Hosts("localhost"), ca: true, "127.0.0.1",
                _ => Expect.DataContains(Codes.TlsIpNotInSan, "subjectAltNames", "localhost")));
        yield return new("tls-expired", Codes.TlsExpired, T("certificate expired two days ago", "证书两天前已过期"),
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1") with { NotBefore = env.Now.AddDays(-90), NotAfter = env.Now.AddDays(-2) }, ca: true, "127.0.0.1",
                leaf => Expect.DataEquals(Codes.TlsExpired, "notAfter", new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero))));
        yield return new("tls-not-yet-valid", Codes.TlsNotYetValid, T("certificate valid only from the day after tomorrow", "证书要到后天才生效"),
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1") with { NotBefore = env.Now.AddDays(2), NotAfter = env.Now.AddDays(90) }, ca: true, "127.0.0.1",
                leaf => Expect.DataEquals(Codes.TlsNotYetValid, "notBefore", new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero))));
        yield return new("tls-expiring-soon", Codes.TlsExpiringSoon, T("healthy endpoint whose certificate expires in 5 days", "端点正常，但证书 5 天后过期"),
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1") with { NotAfter = env.Now.AddDays(5) }, ca: true, "127.0.0.1",
                _ => Expect.DataBetween(Codes.TlsExpiringSoon, "daysLeft", 4.8, 5.1)));
        yield return new("tls-self-signed", Codes.TlsSelfSigned, T("self-signed certificate, not trusted", "自签名证书，不受信任"),
            (env, _) =>
            {
                var leaf = SelfSigned.Create(env.Hosts("localhost", "127.0.0.1"));
                var server = RawServer.StartTls(leaf, [], Correct);
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/"),
                    Expect.Mentions(Codes.TlsSelfSigned, "localhost"), server));
            });
        yield return new("tls-untrusted-root", Codes.TlsUntrustedRoot, T("chain from a private CA the client does not trust", "证书链来自客户端不信任的私有 CA"),
            (env, _) => Start(env, env.Hosts("localhost", "127.0.0.1"), ca: false, "127.0.0.1",
                _ => Expect.DataEquals(Codes.TlsUntrustedRoot, "root", env.Pki.Root.Certificate.Subject)));
        yield return new("tls-incomplete-chain", Codes.TlsIncompleteChain, T("server sends the leaf without its intermediate", "服务端只发送叶子证书，没有发送中间证书"),
            (env, _) =>
            {
                var (leaf, _) = env.Leaf(env.Hosts("localhost", "127.0.0.1"));
                var server = RawServer.StartTls(leaf, [], Correct);
                return Task.FromResult(new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/") with { CaFile = env.CaFile },
                    Expect.DataEquals(Codes.TlsIncompleteChain, "missingIssuer", env.Pki.Intermediate.Certificate.Subject), server));
            });
        yield return new("tls-incomplete-chain-aia", Codes.TlsIncompleteChain, T("leaf sent alone; its AIA URL serves the intermediate (Chromium completes the chain, Node and Firefox do not)", "只发送了叶子证书；它的 AIA URL 能下载到中间证书（Chromium 会补全证书链，Node 和 Firefox 不会）"),
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
        yield return new("tls-handshake-alert", Codes.TlsHandshakeFailed, T("server answers the ClientHello with a handshake_failure alert", "服务端对 ClientHello 回了 handshake_failure 告警"),
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
        yield return new("tls-stall", Codes.TlsHandshakeFailed, T("TLS server that stalls mid-handshake", "TLS 服务端在握手中途卡住"),
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

    private static Task<LabInstance> Start(LabEnvironment env, LeafSpec spec, bool ca, string host, Func<X509Certificate2, Func<Probes.Diagnosis.CheckReport, Text?>> verify)
    {
        var (leaf, chain) = env.Leaf(spec);
        var server = RawServer.StartTls(leaf, chain, Correct);
        var options = env.Check($"wss://{host}:{server.Port}/ws");
        return Task.FromResult(new LabInstance(ca ? options with { CaFile = env.CaFile } : options, verify(leaf), server));
    }
}
