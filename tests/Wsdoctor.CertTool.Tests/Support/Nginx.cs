using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests.Support;

/// <summary>Real nginx for the certificate tests: a TLS server that loads given files exactly as a deployment would
/// (<c>ssl_certificate</c> sends the file's certificates in order), and a plain HTTP file server for AIA URLs.</summary>
public static class Nginx
{
    /// <summary>nginx serving <paramref name="certificateFile"/> and <paramref name="keyFile"/> on a loopback port;
    /// throws with nginx's own error when it refuses them.</summary>
    public static Task<ProxyPeer> TlsAsync(string certificateFile, string keyFile, string extra = "") => ProxyPeer.NginxAsync($$"""
        server {
            listen 127.0.0.1:PORT ssl;
            ssl_certificate     {{certificateFile}};
            ssl_certificate_key {{keyFile}};
            {{extra}}
            location / { return 200 "ok\n"; }
        }
        """);

    /// <summary>nginx serving a directory over http:// (an AIA caIssuers server on loopback), with /redirect/NAME
    /// answering 301 to /NAME and types for the files CAs publish.</summary>
    public static Task<ProxyPeer> FilesAsync(string directory) => ProxyPeer.NginxAsync($$"""
        types { application/pkix-cert crt der; application/pkcs7-mime p7c; application/x-pem-file pem; }
        server {
            listen 127.0.0.1:PORT;
            root {{directory}};
            location /redirect/ { rewrite ^/redirect/(.*)$ /$1 permanent; }
        }
        """);
}
