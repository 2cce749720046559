namespace Wsdoctor.Probes.Tls;

/// <summary>One behaviour of a TLS client's certificate verifier: whether it applies, why, and where that is documented.</summary>
public sealed record ClientRule(bool Applies, string Why, string Source);

/// <summary>How a TLS client verifies a server's certificate, in the few ways clients really differ: fetching missing
/// intermediates (AIA), preloaded intermediates, and the subject CN as a fallback name. Everything else (validity,
/// wildcard depth, IP SANs, name constraints, serverAuth EKU) every listed client does the same way, and
/// <see cref="ClientVerdicts"/> applies it to all of them.</summary>
/// <param name="Id">Stable key for JSON and tests: chromium, firefox, node, python, openssl, go, dotnet-linux, java...</param>
/// <param name="Client">Display name, with the libraries that share the verifier.</param>
/// <param name="Aia">Downloads a missing issuer from the caIssuers URL of the certificate (RFC 5280 4.2.2.1).</param>
/// <param name="PreloadedIntermediates">Knows the intermediates of the public Web PKI without being sent them.</param>
/// <param name="CommonNameFallback">Accepts a host named only in the subject CN when the certificate has no DNS SAN.</param>
/// <param name="IpAsDnsName">Accepts an IP address that the certificate lists as a DNS SAN (DNS:127.0.0.1) instead of an
/// iPAddress SAN.</param>
/// <param name="Core">Part of the per-client table of <c>wsdoctor cert inspect</c>; the other rows are only named in
/// <c>check</c>'s AIA evidence.</param>
public sealed record TlsClientProfile(
    string Id,
    string Client,
    ClientRule Aia,
    ClientRule PreloadedIntermediates,
    ClientRule CommonNameFallback,
    bool Core = true)
{
    public ClientRule IpAsDnsName { get; init; } = StrictIp;

    private static readonly ClientRule StrictIp = new(false, "an IP address only matches an iPAddress SAN entry", "RFC 6125 6.4.4 / RFC 9525 6.2");

    public bool FetchesMissingIntermediates => Aia.Applies;

    public string Why => Aia.Why;
}

/// <summary>The table of clients, shared by <c>check</c> (tls.incomplete-chain: who connects anyway) and <c>cert</c>
/// (the per-client verdicts). Each rule carries its source; the tests in tests/Wsdoctor.CertTool.Tests run the real
/// OpenSSL, Node, Python, .NET and Chromium against the same certificates and assert that they do what this table says.</summary>
public static class ClientTlsBehaviour
{
    private static readonly ClientRule NoPreload = new(false, "no list of intermediates of its own", "");

    private static readonly ClientRule OpenSslNoAia = new(false,
        "OpenSSL builds the path from the certificates sent plus the trust store only (X509_verify_cert never fetches)",
        "OpenSSL: openssl-verify(1) and X509_STORE_CTX docs; observed: tests/Wsdoctor.CertTool.Tests ClientOracleTests");

    // OpenSSL's X509_check_host falls back to the subject CN when the certificate has no DNS SAN, unless the caller
    // sets X509_CHECK_FLAG_NEVER_CHECK_SUBJECT; Python keeps the fallback on by default
    // (SSLContext.hostname_checks_common_name, "default: true"), Node's tls.checkServerIdentity checks the CN
    // "only if no supported identifiers exist", curl, PHP and Ruby do the same.
    private static readonly ClientRule OpenSslCnFallback = new(true,
        "checks the subject CN when the certificate has no DNS SAN at all",
        "Python docs ssl.SSLContext.hostname_checks_common_name; Node lib/tls.js checkServerIdentity; OpenSSL X509_check_host(3)");

    public static readonly IReadOnlyList<TlsClientProfile> Clients =
    [
        new("chromium", "Chromium (Chrome, Edge, Opera, Brave) on desktop and Android",
            new(true, "its certificate verifier builds the path with AIA fetching (net/cert: CertIssuerSourceAia); seen in wsdoctor's browser tests",
                "chromium/src net/cert/internal/cert_issuer_source_aia.h; tests/Wsdoctor.Browsers.Tests TlsInBrowsersTests"),
            NoPreload,
            new(false, "the CN is never a name since Chrome 58: a certificate without a SAN fails with NET::ERR_CERT_COMMON_NAME_INVALID",
                "https://chromestatus.com/feature/4981025180483584 (Remove support for commonName matching in certificates)")),
        new("firefox", "Firefox",
            new(false, "never fetches AIA; seen in wsdoctor's browser tests", "https://wiki.mozilla.org/Security/CryptoEngineering/Intermediate_Preloading"),
            new(true, "Intermediate CA Preloading (Firefox 75+) downloads every intermediate disclosed to the CCADB by CAs of Mozilla's root program, and it caches intermediates it has seen: an incomplete chain from a public CA usually passes, one from a private CA never does",
                "https://blog.mozilla.org/security/2020/11/13/preloading-intermediate-ca-certificates-into-firefox/"),
            new(false, "the CN is a fallback only for roots the user imported and for certificates from before 2016-08-23 (BRNameMatchingPolicy); otherwise SSL_ERROR_BAD_CERT_DOMAIN",
                "https://bugzilla.mozilla.org/show_bug.cgi?id=1432181; security/certverifier/BRNameMatchingPolicy.cpp")),
        new("node", "Node.js (ws, socket.io-client, undici)", OpenSslNoAia with { Why = OpenSslNoAia.Why + ": UNABLE_TO_VERIFY_LEAF_SIGNATURE, unable to verify the first certificate" },
            NoPreload, OpenSslCnFallback),
        new("python", "Python (websockets, aiohttp, requests)", OpenSslNoAia with { Why = OpenSslNoAia.Why + ": CERTIFICATE_VERIFY_FAILED, unable to get local issuer certificate" },
            NoPreload, OpenSslCnFallback),
        new("openssl", "curl, wget, PHP, Ruby and other OpenSSL clients", OpenSslNoAia, NoPreload, OpenSslCnFallback),
        new("go", "Go on Linux (gorilla/websocket, nhooyr.io/websocket)",
            new(false, "crypto/x509 uses only the sent intermediates and the system roots: x509: certificate signed by unknown authority",
                "https://pkg.go.dev/crypto/x509#Certificate.Verify (Intermediates: only the pool given)"),
            NoPreload,
            new(false, "the CN is ignored since Go 1.15 (x509: certificate relies on legacy Common Name field); the GODEBUG escape hatch is gone since 1.17",
                "https://go.dev/doc/go1.15#commonname")),
        new("dotnet-linux", ".NET on Linux (SslStream, ClientWebSocket, HttpClient)",
            new(true, "X509Chain downloads caIssuers unless X509ChainPolicy.DisableCertificateDownloads is set",
                "https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509chainpolicy.disablecertificatedownloads"),
            NoPreload,
            new(true, "SslStream matches the CN when the certificate has no SAN (X509Certificate2.MatchesHostname with allowCommonName)",
                "https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509certificate2.matcheshostname"))
        {
            // Found by the oracle test, not in any documentation: the name check compares the IP text with DNS entries too.
            IpAsDnsName = new(true, "SslStream on Linux also accepts the IP address written as a DNS SAN entry",
                "observed: tests/Wsdoctor.CertTool.Tests ClientOracleTests (ip-in-dns-san), .NET 10 on Linux"),
        },
        new("java", "Java (OkHttp, Jetty, Spring, java.net.http)",
            new(false, "the PKIX validator fetches AIA only with -Dcom.sun.security.enableAIAcaIssuers=true, off by default",
                "https://docs.oracle.com/en/java/javase/17/security/java-pki-programmers-guide.html (com.sun.security.enableAIAcaIssuers, default false)"),
            NoPreload,
            new(true, "sun.security.util.HostnameChecker (TLS) uses the most specific CN when there is no DNS SAN",
                "RFC 2818 3.1 as implemented by sun.security.util.HostnameChecker.matchDNS")),
        new("apple", "Safari and every app on macOS and iOS (Security.framework)",
            new(true, "the system verifier fetches caIssuers", "Apple Platform Security guide, certificate trust evaluation"),
            NoPreload,
            new(false, "SAN required since iOS 13 / macOS 10.15", "https://support.apple.com/en-us/103769 (Requirements for trusted certificates in iOS 13 and macOS 10.15)"),
            Core: false),
        new("windows", "Windows (CryptoAPI): Edge, .NET on Windows, Go on Windows",
            new(true, "CertGetCertificateChain retrieves missing issuers over the network", "https://learn.microsoft.com/windows/win32/api/wincrypt/nf-wincrypt-certgetcertificatechain"),
            NoPreload,
            new(true, "schannel's name check falls back to the CN", "https://learn.microsoft.com/windows/win32/api/wincrypt/nf-wincrypt-certverifycertificatechainpolicy (CERT_CHAIN_POLICY_SSL)"),
            Core: false),
        new("android", "Android apps (platform TLS, OkHttp)",
            new(false, "the platform verifier does not fetch AIA (only Chrome's own verifier does)", "https://developer.android.com/privacy-and-security/security-ssl#MissingCa"),
            NoPreload,
            new(false, "OkHttp's hostname verifier reads SANs only", "okhttp3.internal.tls.OkHostnameVerifier"),
            Core: false),
    ];

    public static TlsClientProfile Get(string id) => Clients.Single(c => c.Id == id);
}
