namespace Wsdoctor.Probes.Tls;

/// <summary>How a TLS client treats a chain the server sent incompletely: whether it downloads missing intermediates
/// from the certificate's AIA caIssuers URL. One typed table, with the reason for each row, shared by check and cert.</summary>
public sealed record TlsClientProfile(string Client, bool FetchesMissingIntermediates, string Why);

public static class ClientTlsBehaviour
{
    public static readonly IReadOnlyList<TlsClientProfile> Clients =
    [
        new("Chromium (Chrome, Edge, Opera, Brave) on desktop and Android", true,
            "its certificate verifier builds the path with AIA fetching (net/cert: CertIssuerSourceAia); seen in wsdoctor's browser tests"),
        new("Safari and every app on macOS and iOS (Security.framework)", true,
            "the system verifier fetches caIssuers"),
        new("Windows (CryptoAPI): Edge, .NET on Windows, Go on Windows", true,
            "CertGetCertificateChain retrieves missing issuers over the network"),
        new(".NET on Linux (SslStream, ClientWebSocket)", true,
            "X509Chain downloads caIssuers unless X509ChainPolicy.DisableCertificateDownloads is set"),
        new("Firefox", false,
            "never fetches AIA; it knows only the intermediates of public CAs it preloads from Mozilla's list; seen in wsdoctor's browser tests"),
        new("Node.js (ws, socket.io-client, undici)", false,
            "OpenSSL verifies only what was sent plus the CA store: UNABLE_TO_VERIFY_LEAF_SIGNATURE / unable to verify the first certificate"),
        new("Python (websockets, aiohttp, requests)", false,
            "OpenSSL: CERTIFICATE_VERIFY_FAILED, unable to get local issuer certificate"),
        new("curl, wget, PHP, Ruby and other OpenSSL clients", false,
            "OpenSSL does not fetch issuers"),
        new("Go on Linux (gorilla/websocket, nhooyr.io/websocket)", false,
            "crypto/x509 uses only the sent intermediates and the system roots: x509: certificate signed by unknown authority"),
        new("Java (OkHttp, Jetty, Spring)", false,
            "the PKIX validator fetches AIA only with -Dcom.sun.security.enableAIAcaIssuers=true, off by default"),
        new("Android apps (platform TLS, OkHttp)", false,
            "the platform verifier does not fetch AIA (only Chrome's own verifier does)"),
    ];
}
