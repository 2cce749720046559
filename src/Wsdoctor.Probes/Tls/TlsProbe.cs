using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Net;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

/// <summary>The tls layer (wss:// only).</summary>
internal static class TlsProbe
{
    public static async Task<Stream?> RunAsync(DiagnosisContext ctx, Stream network, Route route, TlsMaterial material)
    {
        if (!ctx.Target.IsSecure)
        {
            ctx.Layer(Layer.Tls, LayerStatus.Skipped, null, T("ws:// — no TLS", "ws://，不使用 TLS"));
            return network;
        }

        var recorder = new RecordingStream(network);
        var ssl = new SslStream(recorder, leaveInnerStreamOpen: false);
        X509Certificate2? leaf = null;
        var sent = new List<X509Certificate2>();
        var host = ctx.Target.Host.Trim('[', ']');
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ctx.Target.HostIsIpLiteral ? "" : host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificates = material.ClientCertificate is null ? null : [material.ClientCertificate],
            // Called only when the server sends a CertificateRequest: with TLS 1.3 that message is encrypted, and a
            // server that dislikes the answer just closes after the handshake, so this is the only trace of mTLS.
            LocalCertificateSelectionCallback = (_, _, _, _, issuers) =>
            {
                ctx.ClientCertificateRequest = new ClientCertificateRequest(issuers, material.ClientCertificate?.Subject);
                return material.ClientCertificate!;
            },
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                // Accept here, judge afterwards: the analysis must see the certificate to explain what is wrong with it.
                if (certificate is not null)
                {
                    leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    sent.Add(leaf);
                }

                if (chain is not null)
                {
                    foreach (var extra in chain.ChainPolicy.ExtraStore)
                    {
                        if (extra.Thumbprint != leaf?.Thumbprint)
                        {
                            sent.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
                        }
                    }
                }

                return true;
            },
        };

        var start = Stopwatch.GetTimestamp();
        using (var step = ctx.Step())
        {
            try
            {
                await ssl.AuthenticateAsClientAsync(options, step.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException)
            {
                var ms = DiagnosisContext.Ms(start);
                var timedOut = ex is OperationCanceledException;
                var recorded = recorder.Recorded.ToArray();
                await ssl.DisposeAsync().ConfigureAwait(false);
                await TlsFailure.ClassifyAsync(ctx, route, recorded, ex, timedOut, ms).ConfigureAwait(false);
                return null;
            }
        }

        var elapsed = DiagnosisContext.Ms(start);
        ctx.Timings = ctx.Timings with { TlsMs = elapsed };
        var names = leaf is null ? null : CertificateNames.Of(leaf);
        ctx.Facts = ctx.Facts with
        {
            TlsProtocol = Describe(ssl.SslProtocol),
            CipherSuite = ssl.NegotiatedCipherSuite.ToString(),
            Alpn = ssl.NegotiatedApplicationProtocol.Protocol.Length == 0 ? null : Encoding.ASCII.GetString(ssl.NegotiatedApplicationProtocol.Protocol.Span),
            CertificateSubject = leaf?.Subject,
            CertificateIssuer = leaf?.Issuer,
            CertificateNotAfter = leaf is null ? null : CertificateAnalysis.NotAfter(leaf),
            CertificateNames = names?.All.ToArray(),
            ChainEarliestNotAfter = sent.Count == 0 ? null : sent.Min(CertificateAnalysis.NotAfter),
            VerifiedChainNotAfter = leaf is null ? null : CertificateAnalysis.VerifiedChainNotAfter(leaf, sent, material.CustomRoots, ctx.Options.Time.GetUtcNow()),
        };

        if (leaf is not null)
        {
            ctx.AddRange(CertificateAnalysis.Analyze(leaf, sent, host, material.CustomRoots, ctx.Options.Time.GetUtcNow()));
            await AiaCompletion.RunAsync(ctx, leaf, sent, material).ConfigureAwait(false);
            WeakConfiguration(ctx, ssl, leaf);
        }

        var certificate = CertificateAnalysis.Short(leaf?.Subject ?? "?");
        var summary = T($"{Describe(ssl.SslProtocol)}, {ssl.NegotiatedCipherSuite}, certificate {certificate}",
            $"{Describe(ssl.SslProtocol)}，{ssl.NegotiatedCipherSuite}，证书 {certificate}");
        if (ctx.HasError(Layer.Tls))
        {
            if (!ctx.Options.Insecure)
            {
                ctx.Layer(Layer.Tls, LayerStatus.Failed, elapsed, summary + T(" — rejected", "，未通过验证"));
                await ssl.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            summary += T(" — rejected, continuing because of --insecure", "，未通过验证（因 --insecure 继续检查）");
        }

        ctx.Layer(Layer.Tls, ctx.StatusOf(Layer.Tls), elapsed, summary);
        return ssl;
    }

    private static void WeakConfiguration(DiagnosisContext ctx, SslStream ssl, X509Certificate2 leaf)
    {
        var problems = new List<Text>();
#pragma warning disable SYSLIB0039 // naming the legacy protocols is the point: they are what we warn about
        if (ssl.SslProtocol is SslProtocols.Tls or SslProtocols.Tls11)
#pragma warning restore SYSLIB0039
        {
            problems.Add(T($"negotiated {Describe(ssl.SslProtocol)} (deprecated by RFC 8996)", $"协商出的是 {Describe(ssl.SslProtocol)}（已被 RFC 8996 废弃）"));
        }

        if (leaf.SignatureAlgorithm.FriendlyName?.Contains("sha1", StringComparison.OrdinalIgnoreCase) == true)
        {
            problems.Add(T($"certificate signed with {leaf.SignatureAlgorithm.FriendlyName}", $"证书用 {leaf.SignatureAlgorithm.FriendlyName} 签名"));
        }

        using var rsa = leaf.GetRSAPublicKey();
        if (rsa is not null && rsa.KeySize < 2048)
        {
            problems.Add(T($"RSA key of {rsa.KeySize} bits", $"RSA 密钥只有 {rsa.KeySize} 位"));
        }

        if (problems.Count > 0)
        {
            ctx.Add(Finding.Create(Codes.TlsWeak, T($"weak TLS: {string.Join("; ", problems)}", $"TLS 配置偏弱：{Text.Join(T("; ", "；"), problems)}"), problems));
        }
    }

    public static string Describe(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
#pragma warning disable SYSLIB0039
        SslProtocols.Tls11 => "TLS 1.1",
        SslProtocols.Tls => "TLS 1.0",
#pragma warning restore SYSLIB0039
        _ => protocol.ToString(),
    };
}
