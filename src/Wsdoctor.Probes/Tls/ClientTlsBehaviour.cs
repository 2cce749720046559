using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

/// <summary>One behaviour of a TLS client's certificate verifier: whether it applies, why, and where that is documented.</summary>
public sealed record ClientRule(bool Applies, Text Why, string Source);

/// <summary>How a TLS client verifies a server's certificate, in the few ways clients really differ: fetching missing
/// intermediates (AIA), preloaded intermediates, and the subject CN as a fallback name. Everything else (validity,
/// wildcard depth, IP SANs, name constraints, serverAuth EKU) every listed client does the same way, and
/// <see cref="ClientVerdicts"/> applies it to all of them.</summary>
/// <param name="Id">Stable key for JSON and tests: chromium, firefox, node, python, openssl, go, dotnet-linux, java...</param>
/// <param name="Name">Display name, with the libraries that share the verifier.</param>
/// <param name="Aia">Downloads a missing issuer from the caIssuers URL of the certificate (RFC 5280 4.2.2.1).</param>
/// <param name="PreloadedIntermediates">Knows the intermediates of the public Web PKI without being sent them.</param>
/// <param name="CommonNameFallback">Accepts a host named only in the subject CN when the certificate has no DNS SAN.</param>
/// <param name="IpAsDnsName">Accepts an IP address that the certificate lists as a DNS SAN (DNS:127.0.0.1) instead of an
/// iPAddress SAN.</param>
/// <param name="Core">Part of the per-client table of <c>wsdoctor cert inspect</c>; the other rows are only named in
/// <c>check</c>'s AIA evidence.</param>
public sealed record TlsClientProfile(
    string Id,
    Text Name,
    ClientRule Aia,
    ClientRule PreloadedIntermediates,
    ClientRule CommonNameFallback,
    bool Core = true)
{
    public ClientRule IpAsDnsName { get; init; } = StrictIp;

    private static readonly ClientRule StrictIp = new(false, T("an IP address only matches an iPAddress SAN entry", "IP 地址只匹配 iPAddress 类型的 SAN 条目"), "RFC 6125 6.4.4 / RFC 9525 6.2");

    /// <summary>The display name in English (<c>cert</c>'s table and JSON).</summary>
    public string Client => Name.En;

    public bool FetchesMissingIntermediates => Aia.Applies;

    public Text Why => Aia.Why;
}

/// <summary>The table of clients, shared by <c>check</c> (tls.incomplete-chain: who connects anyway) and <c>cert</c>
/// (the per-client verdicts). Each rule carries its source; the tests in tests/Wsdoctor.CertTool.Tests run the real
/// OpenSSL, Node, Python, .NET and Chromium against the same certificates and assert that they do what this table says.</summary>
public static class ClientTlsBehaviour
{
    private static readonly ClientRule NoPreload = new(false, T("no list of intermediates of its own", "没有自带的中间证书列表"), "");

    private static readonly ClientRule OpenSslNoAia = new(false,
        T("OpenSSL builds the path from the certificates sent plus the trust store only (X509_verify_cert never fetches)",
          "OpenSSL 只用服务端发送的证书和信任库构建证书路径（X509_verify_cert 从不下载）"),
        "OpenSSL: openssl-verify(1) and X509_STORE_CTX docs; observed: tests/Wsdoctor.CertTool.Tests ClientOracleTests");

    // OpenSSL's X509_check_host falls back to the subject CN when the certificate has no DNS SAN, unless the caller
    // sets X509_CHECK_FLAG_NEVER_CHECK_SUBJECT; Python keeps the fallback on by default
    // (SSLContext.hostname_checks_common_name, "default: true"), Node's tls.checkServerIdentity checks the CN
    // "only if no supported identifiers exist", curl, PHP and Ruby do the same.
    private static readonly ClientRule OpenSslCnFallback = new(true,
        T("checks the subject CN when the certificate has no DNS SAN at all", "证书完全没有 DNS SAN 时会检查主体 CN"),
        "Python docs ssl.SSLContext.hostname_checks_common_name; Node lib/tls.js checkServerIdentity; OpenSSL X509_check_host(3)");

    public static readonly IReadOnlyList<TlsClientProfile> Clients =
    [
        new("chromium", T("Chromium (Chrome, Edge, Opera, Brave) on desktop and Android", "Chromium（Chrome、Edge、Opera、Brave，桌面和 Android）"),
            new(true, T("its certificate verifier builds the path with AIA fetching (net/cert: CertIssuerSourceAia); seen in wsdoctor's browser tests",
                    "它的证书验证器构建证书路径时会通过 AIA 下载缺失的证书（net/cert：CertIssuerSourceAia）；已在 wsdoctor 的浏览器测试中观察到"),
                "chromium/src net/cert/internal/cert_issuer_source_aia.h; tests/Wsdoctor.Browsers.Tests TlsInBrowsersTests"),
            NoPreload,
            new(false, T("the CN is never a name since Chrome 58: a certificate without a SAN fails with NET::ERR_CERT_COMMON_NAME_INVALID",
                    "从 Chrome 58 起 CN 不再算作名称：没有 SAN 的证书会报 NET::ERR_CERT_COMMON_NAME_INVALID"),
                "https://chromestatus.com/feature/4981025180483584 (Remove support for commonName matching in certificates)")),
        new("firefox", Verbatim("Firefox"),
            new(false, T("never fetches AIA; seen in wsdoctor's browser tests", "从不获取 AIA；已在 wsdoctor 的浏览器测试中观察到"), "https://wiki.mozilla.org/Security/CryptoEngineering/Intermediate_Preloading"),
            new(true, T("Intermediate CA Preloading (Firefox 75+) downloads every intermediate disclosed to the CCADB by CAs of Mozilla's root program, and it caches intermediates it has seen: an incomplete chain from a public CA usually passes, one from a private CA never does",
                    "Intermediate CA Preloading（Firefox 75+）会下载 Mozilla 根证书计划中各 CA 向 CCADB 披露的全部中间证书，还会缓存见过的中间证书：公共 CA 的不完整证书链通常能通过，私有 CA 的则永远不行"),
                "https://blog.mozilla.org/security/2020/11/13/preloading-intermediate-ca-certificates-into-firefox/"),
            new(false, T("the CN is a fallback only for roots the user imported and for certificates from before 2016-08-23 (BRNameMatchingPolicy); otherwise SSL_ERROR_BAD_CERT_DOMAIN",
                    "只有用户导入的根证书和 2016-08-23 之前签发的证书才会回退到 CN（BRNameMatchingPolicy）；否则报 SSL_ERROR_BAD_CERT_DOMAIN"),
                "https://bugzilla.mozilla.org/show_bug.cgi?id=1432181; security/certverifier/BRNameMatchingPolicy.cpp")),
        new("node", T("Node.js (ws, socket.io-client, undici)", "Node.js（ws、socket.io-client、undici）"),
            OpenSslNoAia with { Why = OpenSslNoAia.Why + T(": UNABLE_TO_VERIFY_LEAF_SIGNATURE, unable to verify the first certificate", "：UNABLE_TO_VERIFY_LEAF_SIGNATURE，\"unable to verify the first certificate\"") },
            NoPreload, OpenSslCnFallback),
        new("python", T("Python (websockets, aiohttp, requests)", "Python（websockets、aiohttp、requests）"),
            OpenSslNoAia with { Why = OpenSslNoAia.Why + T(": CERTIFICATE_VERIFY_FAILED, unable to get local issuer certificate", "：CERTIFICATE_VERIFY_FAILED，\"unable to get local issuer certificate\"") },
            NoPreload, OpenSslCnFallback),
        new("openssl", T("curl, wget, PHP, Ruby and other OpenSSL clients", "OpenSSL 客户端（curl、wget、PHP、Ruby 等）"), OpenSslNoAia, NoPreload, OpenSslCnFallback),
        new("go", T("Go on Linux (gorilla/websocket, nhooyr.io/websocket)", "Linux 上的 Go（gorilla/websocket、nhooyr.io/websocket）"),
            new(false, T("crypto/x509 uses only the sent intermediates and the system roots: x509: certificate signed by unknown authority",
                    "crypto/x509 只使用发送的中间证书和系统根证书：\"x509: certificate signed by unknown authority\""),
                "https://pkg.go.dev/crypto/x509#Certificate.Verify (Intermediates: only the pool given)"),
            NoPreload,
            new(false, T("the CN is ignored since Go 1.15 (x509: certificate relies on legacy Common Name field); the GODEBUG escape hatch is gone since 1.17",
                    "从 Go 1.15 起忽略 CN（\"x509: certificate relies on legacy Common Name field\"）；GODEBUG 开关从 1.17 起也已移除"),
                "https://go.dev/doc/go1.15#commonname")),
        new("dotnet-linux", T(".NET on Linux (SslStream, ClientWebSocket, HttpClient)", "Linux 上的 .NET（SslStream、ClientWebSocket、HttpClient）"),
            new(true, T("X509Chain downloads caIssuers unless X509ChainPolicy.DisableCertificateDownloads is set",
                    "除非设置了 X509ChainPolicy.DisableCertificateDownloads，X509Chain 都会下载 caIssuers"),
                "https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509chainpolicy.disablecertificatedownloads"),
            NoPreload,
            new(true, T("SslStream matches the CN when the certificate has no SAN (X509Certificate2.MatchesHostname with allowCommonName)",
                    "证书没有 SAN 时 SslStream 会匹配 CN（X509Certificate2.MatchesHostname 的 allowCommonName）"),
                "https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509certificate2.matcheshostname"))
        {
            // Found by the oracle test, not in any documentation: the name check compares the IP text with DNS entries too.
            IpAsDnsName = new(true, T("SslStream on Linux also accepts the IP address written as a DNS SAN entry", "Linux 上的 SslStream 也接受写成 DNS SAN 条目的 IP 地址"),
                "observed: tests/Wsdoctor.CertTool.Tests ClientOracleTests (ip-in-dns-san), .NET 10 on Linux"),
        },
        new("java", T("Java (OkHttp, Jetty, Spring, java.net.http)", "Java（OkHttp、Jetty、Spring、java.net.http）"),
            new(false, T("the PKIX validator fetches AIA only with -Dcom.sun.security.enableAIAcaIssuers=true, off by default",
                    "PKIX 验证器只有在 -Dcom.sun.security.enableAIAcaIssuers=true 时才获取 AIA，默认关闭"),
                "https://docs.oracle.com/en/java/javase/17/security/java-pki-programmers-guide.html (com.sun.security.enableAIAcaIssuers, default false)"),
            NoPreload,
            new(true, T("sun.security.util.HostnameChecker (TLS) uses the most specific CN when there is no DNS SAN",
                    "没有 DNS SAN 时，sun.security.util.HostnameChecker（TLS）会使用最具体的 CN"),
                "RFC 2818 3.1 as implemented by sun.security.util.HostnameChecker.matchDNS")),
        new("apple", T("Safari and every app on macOS and iOS (Security.framework)", "Safari 以及 macOS 和 iOS 上的所有应用（Security.framework）"),
            new(true, T("the system verifier fetches caIssuers", "系统验证器会获取 caIssuers"), "Apple Platform Security guide, certificate trust evaluation"),
            NoPreload,
            new(false, T("SAN required since iOS 13 / macOS 10.15", "从 iOS 13 / macOS 10.15 起必须有 SAN"), "https://support.apple.com/en-us/103769 (Requirements for trusted certificates in iOS 13 and macOS 10.15)"),
            Core: false),
        new("windows", T("Windows (CryptoAPI): Edge, .NET on Windows, Go on Windows", "Windows（CryptoAPI）：Edge 以及 Windows 上的 .NET 和 Go"),
            new(true, T("CertGetCertificateChain retrieves missing issuers over the network", "系统的 CertGetCertificateChain 会通过网络获取缺少的签发者"), "https://learn.microsoft.com/windows/win32/api/wincrypt/nf-wincrypt-certgetcertificatechain"),
            NoPreload,
            new(true, T("schannel's name check falls back to the CN", "schannel 的名称检查会回退到 CN"), "https://learn.microsoft.com/windows/win32/api/wincrypt/nf-wincrypt-certverifycertificatechainpolicy (CERT_CHAIN_POLICY_SSL)"),
            Core: false),
        new("android", T("Android apps (platform TLS, OkHttp)", "Android 应用（平台 TLS、OkHttp）"),
            new(false, T("the platform verifier does not fetch AIA (only Chrome's own verifier does)", "平台验证器不获取 AIA（只有 Chrome 自带的验证器会）"), "https://developer.android.com/privacy-and-security/security-ssl#MissingCa"),
            NoPreload,
            new(false, T("OkHttp's hostname verifier reads SANs only", "OkHttp 的主机名验证器只读取 SAN"), "okhttp3.internal.tls.OkHostnameVerifier"),
            Core: false),
    ];

    public static TlsClientProfile Get(string id) => Clients.Single(c => c.Id == id);
}
