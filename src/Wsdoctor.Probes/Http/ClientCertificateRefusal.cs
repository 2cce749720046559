using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Http;

/// <summary>Servers that ask for a client certificate without requiring it in the handshake, then refuse at the HTTP
/// level: nginx with <c>ssl_verify_client on</c> completes TLS without one and answers 400 "No required SSL certificate
/// was sent" (or "The SSL certificate error" for a certificate it rejects); others answer 403 naming the certificate.
/// That is tls.client-cert-required, not a malformed upgrade.</summary>
internal static class ClientCertificateRefusal
{
    // nginx's own texts (src/http/ngx_http_special_response.c: ngx_http_error_496_page and _495_page, sent as 400).
    private static readonly string[] NginxTexts = ["No required SSL certificate was sent", "The SSL certificate error"];

    public static Finding? Recognise(DiagnosisContext ctx, int status, byte[] body, List<string> evidence, Dictionary<string, object?> data)
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
        var lines = new List<string>(evidence)
        {
            request is null
                ? "the TLS handshake completed without a CertificateRequest reaching us"
                : $"during the TLS handshake the server asked for a client certificate{(request.AcceptableIssuers.Length > 0 ? $" issued by: {string.Join("; ", request.AcceptableIssuers)}" : "")}",
            sent is null ? "we sent none (no --cert)" : $"we sent {sent} (--cert)",
            nginxText is null
                ? $"the {status} answer names the client certificate"
                : $"\"{nginxText}\" is nginx's answer when ssl_verify_client is on and {(nginxText.StartsWith("No", StringComparison.Ordinal) ? "no certificate came" : "the certificate failed verification")}: it lets the handshake finish and refuses the request",
        };
        data["clientCertificateSent"] = sent is not null;
        data["serverText"] = nginxText;
        var message = sent is null
            ? $"the server requires a client certificate and refuses the upgrade with {status} because none was sent"
            : $"the server refuses our client certificate ({status} after the handshake)";
        var fix = sent is null
            ? "Pass the client certificate and key (--cert client.pem --key client-key.pem). If clients without one should get in, make verification optional on the server (nginx: ssl_verify_client optional; and check $ssl_client_verify where it matters)."
            : "Use a client certificate issued by a CA the server trusts (nginx: ssl_client_certificate / ssl_trusted_certificate), not expired, with the clientAuth usage; nginx's error log says which check failed.";
        return Finding.Create(Codes.TlsClientCertRequired, message, lines, fix, data);
    }
}
