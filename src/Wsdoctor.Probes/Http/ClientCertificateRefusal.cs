using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Http;

/// <summary>Servers that ask for a client certificate without requiring it in the handshake, then refuse at the HTTP
/// level: nginx with <c>ssl_verify_client on</c> completes TLS without one and answers 400 "No required SSL certificate
/// was sent" (or "The SSL certificate error" for a certificate it rejects); others answer 403 naming the certificate.
/// That is tls.client-cert-required, not a malformed upgrade.</summary>
internal static class ClientCertificateRefusal
{
    // nginx's own texts (src/http/ngx_http_special_response.c: ngx_http_error_496_page and _495_page, sent as 400).
    private static readonly string[] NginxTexts = ["No required SSL certificate was sent", "The SSL certificate error"];

    public static Finding? Recognise(DiagnosisContext ctx, int status, byte[] body, List<Text> evidence, Dictionary<string, object?> data)
    {
        var text = Encoding.UTF8.GetString(body);
        var nginxText = NginxTexts.FirstOrDefault(t => text.Contains(t, StringComparison.OrdinalIgnoreCase));
        var request = ctx.ClientCertificateRequest;
        var namesCertificate = nginxText is not null
            || (status == 403 && request is not null && text.Contains("certificate", StringComparison.OrdinalIgnoreCase));
        if (!namesCertificate)
        {
            return null;
        }

        var sent = request?.SentSubject;
        var noCertificate = nginxText is not null && nginxText.StartsWith("No", StringComparison.Ordinal);
        var lines = new List<Text>(evidence)
        {
            request is null
                ? T("the TLS handshake completed without a CertificateRequest reaching us", "TLS 握手完成了，但我们没有收到 CertificateRequest")
                : AskedFor(request),
            sent is null ? T("we sent none (no --cert)", "我们没有发送证书（未指定 --cert）") : T($"we sent {sent} (--cert)", $"我们发送了 {sent}（--cert）"),
            nginxText is null
                ? T($"the {status} answer names the client certificate", $"{status} 应答提到了客户端证书")
                : noCertificate
                    ? T($"\"{nginxText}\" is nginx's answer when ssl_verify_client is on and no certificate came: it lets the handshake finish and refuses the request",
                        $"\"{nginxText}\" 是 nginx 在 ssl_verify_client on 且没有收到证书时的应答：它让握手完成，然后拒绝请求")
                    : T($"\"{nginxText}\" is nginx's answer when ssl_verify_client is on and the certificate failed verification: it lets the handshake finish and refuses the request",
                        $"\"{nginxText}\" 是 nginx 在 ssl_verify_client on 且证书校验失败时的应答：它让握手完成，然后拒绝请求"),
        };
        data["clientCertificateSent"] = sent is not null;
        data["serverText"] = nginxText;
        var message = sent is null
            ? T($"the server requires a client certificate and refuses the upgrade with {status} because none was sent", $"服务端要求客户端证书，我们没有发送，于是它用 {status} 拒绝了升级请求")
            : T($"the server refuses our client certificate ({status} after the handshake)", $"服务端拒绝了我们的客户端证书（握手后返回 {status}）");
        var fix = sent is null
            ? T("Pass the client certificate and key (--cert client.pem --key client-key.pem). If clients without one should get in, make verification optional on the server (nginx: ssl_verify_client optional; and check $ssl_client_verify where it matters).",
                "传入客户端证书和私钥（--cert client.pem --key client-key.pem）。如果没有证书的客户端也应该能连入，就在服务端把校验设为可选（nginx：ssl_verify_client optional;，并在需要的地方检查 $ssl_client_verify）。")
            : T("Use a client certificate issued by a CA the server trusts (nginx: ssl_client_certificate / ssl_trusted_certificate), not expired, with the clientAuth usage; nginx's error log says which check failed.",
                "使用由服务端信任的 CA（nginx：ssl_client_certificate / ssl_trusted_certificate）签发、未过期、且带 clientAuth 用途的客户端证书；nginx 的 error log 会写明是哪项检查失败。");
        return Finding.Create(Codes.TlsClientCertRequired, message, lines, fix, data);
    }

    /// <summary>The evidence line: the server asked for a client certificate in the handshake (and from which issuers).</summary>
    public static Text AskedFor(ClientCertificateRequest request)
    {
        if (request.AcceptableIssuers.Length == 0)
        {
            return T("during the TLS handshake the server asked for a client certificate", "TLS 握手期间服务端要求客户端证书");
        }

        var issuers = string.Join("; ", request.AcceptableIssuers);
        return T($"during the TLS handshake the server asked for a client certificate issued by: {issuers}", $"TLS 握手期间服务端要求由以下 CA 签发的客户端证书：{issuers}");
    }
}
