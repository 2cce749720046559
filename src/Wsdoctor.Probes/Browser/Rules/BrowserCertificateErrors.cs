using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser.Rules;

/// <summary>How a browser names a certificate problem: Chromium's net error (net/base/net_error_list.h) and
/// Firefox's NSS / mozilla::pkix error code, as DevTools and the console show them.</summary>
/// <param name="ChromiumZh">The Chinese of <paramref name="Chromium"/> when it is more than an error name.</param>
public sealed record BrowserCertificateError(string Chromium, string Firefox, bool ChromiumRefuses = true, string? ChromiumZh = null)
{
    /// <summary><see cref="Chromium"/> for a text.</summary>
    public Text ChromiumText => ChromiumZh is null ? Verbatim(Chromium) : T(Chromium, ChromiumZh);
}

public static class BrowserCertificateErrors
{
    private static readonly Dictionary<string, BrowserCertificateError> ByCode = new(StringComparer.Ordinal)
    {
        [Codes.TlsNameMismatch] = new("net::ERR_CERT_COMMON_NAME_INVALID", "SSL_ERROR_BAD_CERT_DOMAIN"),
        [Codes.TlsIpNotInSan] = new("net::ERR_CERT_COMMON_NAME_INVALID", "SSL_ERROR_BAD_CERT_DOMAIN"),
        [Codes.TlsExpired] = new("net::ERR_CERT_DATE_INVALID", "SEC_ERROR_EXPIRED_CERTIFICATE"),
        [Codes.TlsNotYetValid] = new("net::ERR_CERT_DATE_INVALID", "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE"),
        [Codes.TlsSelfSigned] = new("net::ERR_CERT_AUTHORITY_INVALID", "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT"),
        [Codes.TlsUntrustedRoot] = new("net::ERR_CERT_AUTHORITY_INVALID", "SEC_ERROR_UNKNOWN_ISSUER"),
        // Chromium builds the path with AIA fetching (net/cert/internal/cert_issuer_source_aia.cc); Firefox does not
        // and only knows the intermediates of public CAs it preloads.
        [Codes.TlsIncompleteChain] = new("none when the AIA download works (Chromium fetches the intermediate), else net::ERR_CERT_AUTHORITY_INVALID", "SEC_ERROR_UNKNOWN_ISSUER", ChromiumRefuses: false,
            ChromiumZh: "AIA 下载成功时没有错误（Chromium 会自己获取中间证书），否则为 net::ERR_CERT_AUTHORITY_INVALID"),
    };

    public static BrowserCertificateError? For(string code) => ByCode.GetValueOrDefault(code);
}
