using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Net;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Loading;

/// <summary>The certificates a server sends in its TLS handshake, exactly as sent (accepted whatever they are: judging
/// them is the point), for <c>cert inspect wss://host/</c> and <c>cert inspect host:port</c>.</summary>
public static class ServedChain
{
    public static async Task<LoadedChain> FetchAsync(string host, int port, string? connectTo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(timeout);
        var sent = new List<X509Certificate2>();
        var dialHost = connectTo ?? host;
        using var client = new TcpClient(AddressFamily.InterNetworkV6) { Client = { DualMode = true } };
        try
        {
            await client.ConnectAsync(dialHost.Trim('[', ']'), port, step.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is OperationCanceledException ? NoAnswer(timeout) : Verbatim(e.Message);
            throw new CertInputException(T($"cannot connect to {dialHost}:{port}: {why}", $"无法连接 {dialHost}:{port}：{why}"));
        }

        await using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var bare = host.Trim('[', ']');
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = IPAddress.TryParse(bare, out _) ? "" : bare,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is not null)
                {
                    sent.Add(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                }

                // The peer's own chain, in the order it was sent (SslStream puts it in the ExtraStore).
                foreach (var extra in chain?.ChainPolicy.ExtraStore ?? [])
                {
                    if (sent.Count == 0 || extra.Thumbprint != sent[0].Thumbprint)
                    {
                        sent.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
                    }
                }

                return true;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, step.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            if (sent.Count == 0)
            {
                var why = e is OperationCanceledException ? NoAnswer(timeout) : Verbatim(ExceptionText.Chain(e));
                throw new CertInputException(T(
                    $"{host}:{port} completed no TLS handshake: {why} (wsdoctor check wss://{host}:{port}/ says why)",
                    $"{host}:{port} 没有完成 TLS 握手：{why}（wsdoctor check wss://{host}:{port}/ 会给出原因）"));
            }
        }

        for (int i = 0; i < sent.Count; i++)
        {
            if (CertificateDecoding.Problem(sent[i]) is { } problem)
            {
                throw new CertInputException(T($"{host}:{port} sent a certificate (#{i + 1}) that cannot be read: {problem}", $"{host}:{port} 发送的证书（第 #{i + 1} 个）无法读取：{problem}"));
            }
        }

        var certificates = sent.Select((c, i) => i == 0
            ? new SourcedCertificate(c, "sent #1 (the server's own)", T("sent #1 (the server's own)", "发送的第 #1 个（服务端自己的证书）"))
            : new SourcedCertificate(c, $"sent #{i + 1}", T($"sent #{i + 1}", $"发送的第 #{i + 1} 个"))).ToArray();
        var handshake = options.TargetHost.Length > 0
            ? T($"TLS handshake with {dialHost}:{port}, SNI {options.TargetHost}: {certificates.Length} certificate(s) sent",
                $"与 {dialHost}:{port} 的 TLS 握手，SNI {options.TargetHost}：发送了 {certificates.Length} 个证书")
            : T($"TLS handshake with {dialHost}:{port}, no SNI (IP address): {certificates.Length} certificate(s) sent",
                $"与 {dialHost}:{port} 的 TLS 握手，没有 SNI（IP 地址）：发送了 {certificates.Length} 个证书");
        return new LoadedChain($"{host}:{port}", ChainSourceKind.Served, certificates, bare, [handshake]);
    }

    private static Text NoAnswer(TimeSpan timeout) =>
        T($"no answer in {timeout.TotalSeconds:0.#} s", $"{timeout.TotalSeconds:0.#} s 内无应答");
}
