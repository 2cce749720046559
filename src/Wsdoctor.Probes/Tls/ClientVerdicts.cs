using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

public enum ClientOutcome
{
    Pass,
    Fail,

    /// <summary>Decided by state wsdoctor cannot see from here (Firefox's intermediate cache, a preloaded list).</summary>
    Depends,
}

/// <summary>How the host name relates to the certificate, as <see cref="CertificateNames"/> decides it.</summary>
public enum NameCoverage
{
    /// <summary>No host to check (a file inspected without --host).</summary>
    NotChecked,
    Covered,

    /// <summary>Only the subject CN names the host and there is no DNS SAN: clients with a CN fallback accept it.</summary>
    CommonNameOnly,

    /// <summary>The host is an IP address the certificate lists only as a DNS SAN entry (DNS:127.0.0.1).</summary>
    IpWrittenAsDnsName,
    NotCovered,
}

/// <summary>What is true of a chain, in the terms the client rules need. Built by <c>cert</c> from files or a server,
/// and by <c>check</c> from the handshake.</summary>
public sealed record ChainFacts
{
    /// <summary>The private key is not the leaf's: no server loads such a pair (nginx: key values mismatch).</summary>
    public bool KeyMismatch { get; init; }

    /// <summary>The first certificate is not the end-entity certificate (an intermediate or a root comes first).</summary>
    public bool LeafNotFirst { get; init; }

    public bool Expired { get; init; }

    public bool NotYetValid { get; init; }

    /// <summary>The leaf has an EKU extension without serverAuth (RFC 5280 4.2.1.12).</summary>
    public bool NotForServerAuth { get; init; }

    /// <summary>An issuing CA's nameConstraints exclude (or do not permit) a name of the leaf (RFC 5280 4.2.1.10).</summary>
    public bool NameConstraintViolation { get; init; }

    public NameCoverage Name { get; init; } = NameCoverage.NotChecked;

    /// <summary>The chain reaches a trusted root from what was sent (or found) alone.</summary>
    public bool TrustedAsSent { get; init; }

    /// <summary>It does once the issuers named by caIssuers URLs are downloaded.</summary>
    public bool TrustedWithAia { get; init; }

    /// <summary>The trust anchor is a public root (the system store), not a --ca of the user's: only then can Firefox's
    /// preloaded intermediates apply.</summary>
    public bool PublicRoot { get; init; }

    /// <summary>Why the chain is not trusted even with AIA (self-signed, untrusted root...), for the verdict text.</summary>
    public Text? UntrustedReason { get; init; }
}

/// <param name="Name">The client's display name (<see cref="TlsClientProfile.Name"/>).</param>
/// <param name="Reason">Why it passes or fails, in every language.</param>
public sealed record ClientVerdict(string Id, Text Name, ClientOutcome Outcome, Text Reason, string Source)
{
    /// <summary>The display name in English (<c>cert</c>'s table and JSON).</summary>
    public string Client => Name.En;

    /// <summary>The reason in English (<c>cert</c>'s table and JSON).</summary>
    public string Why => Reason.En;
}

/// <summary>Applies <see cref="ClientTlsBehaviour"/> to a chain. The order of the rules is the order in which a
/// verifier fails: a certificate no server can load, then path building, dates, usage, names.</summary>
public static class ClientVerdicts
{
    private const string Rfc5280 = "RFC 5280 (4.1.2.5 validity, 4.2.1.10 name constraints, 4.2.1.12 EKU)";
    private const string Rfc6125 = "RFC 6125 6.4.3 (a wildcard is one whole left-most label), RFC 6125 6.4.4 / RFC 9525 (an IP only matches an iPAddress SAN)";

    public static IReadOnlyList<ClientVerdict> Judge(ChainFacts facts, bool coreOnly = true)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return ClientTlsBehaviour.Clients.Where(c => c.Core || !coreOnly).Select(c => Judge(c, facts)).ToArray();
    }

    private static ClientVerdict Judge(TlsClientProfile client, ChainFacts facts)
    {
        ClientVerdict Verdict(ClientOutcome outcome, Text why, string source) => new(client.Id, client.Name, outcome, why, source);
        var untrusted = facts.UntrustedReason ?? T("the chain does not reach a trusted root", "证书链无法到达受信任的根证书");

        if (facts.KeyMismatch)
        {
            return Verdict(ClientOutcome.Fail, T("no server starts with a key that is not the leaf's, so no client gets this far", "私钥不属于叶子证书时服务端根本启动不了，客户端也就走不到这一步"), "nginx: SSL_CTX_use_PrivateKey failed (key values mismatch)");
        }

        if (facts.LeafNotFirst)
        {
            return Verdict(ClientOutcome.Fail, T("the first certificate sent is taken as the server's own, and it is not the leaf", "发送的第一个证书会被当作服务端自己的证书，而它不是叶子证书"), "RFC 8446 4.4.2 (the sender's certificate MUST come first)");
        }

        if (facts.Expired || facts.NotYetValid)
        {
            return Verdict(ClientOutcome.Fail, facts.Expired ? T("the leaf has expired", "叶子证书已过期") : T("the leaf is not valid yet", "叶子证书尚未生效"), Rfc5280);
        }

        if (facts.NotForServerAuth)
        {
            return Verdict(ClientOutcome.Fail, T("the leaf's extended key usage does not include serverAuth", "叶子证书的扩展密钥用法（EKU）不包含 serverAuth"), Rfc5280);
        }

        if (facts.NameConstraintViolation)
        {
            return Verdict(ClientOutcome.Fail, T("an issuing CA's name constraints forbid a name of the leaf; every verifier listed enforces them", "签发 CA 的名称约束禁止了叶子证书中的某个名称；这里列出的所有验证器都会检查名称约束"), Rfc5280);
        }

        switch (facts.Name)
        {
            case NameCoverage.NotCovered:
                return Verdict(ClientOutcome.Fail, T("the host is not among the SANs", "主机名不在 SAN 中"), Rfc6125);
            case NameCoverage.CommonNameOnly when !client.CommonNameFallback.Applies:
                return Verdict(ClientOutcome.Fail, T("no SAN: ", "没有 SAN：") + client.CommonNameFallback.Why, client.CommonNameFallback.Source);
            case NameCoverage.IpWrittenAsDnsName when !client.IpAsDnsName.Applies:
                return Verdict(ClientOutcome.Fail, T("the IP is listed as a DNS name: ", "IP 被写成了 DNS 名称：") + client.IpAsDnsName.Why, client.IpAsDnsName.Source);
            case NameCoverage.IpWrittenAsDnsName:
                return facts.TrustedAsSent || (facts.TrustedWithAia && client.Aia.Applies)
                    ? Verdict(ClientOutcome.Pass, client.IpAsDnsName.Why, client.IpAsDnsName.Source)
                    : Verdict(ClientOutcome.Fail, untrusted, Rfc5280);
        }

        var cnNote = facts.Name == NameCoverage.CommonNameOnly ? T("; the host matches only the CN, which ", "；主机名只匹配 CN：") + client.CommonNameFallback.Why : Text.Empty;
        if (facts.TrustedAsSent)
        {
            return Verdict(ClientOutcome.Pass, T("the chain sent is complete and trusted", "发送的证书链完整且受信任") + cnNote, facts.Name == NameCoverage.CommonNameOnly ? client.CommonNameFallback.Source : Rfc5280);
        }

        if (facts.TrustedWithAia)
        {
            if (client.Aia.Applies)
            {
                return Verdict(ClientOutcome.Pass, T("the intermediate is missing, but ", "缺少中间证书，但") + client.Aia.Why + cnNote, client.Aia.Source);
            }

            if (client.PreloadedIntermediates.Applies)
            {
                return facts.PublicRoot
                    ? Verdict(ClientOutcome.Depends, T("the intermediate is missing; ", "缺少中间证书；") + client.PreloadedIntermediates.Why, client.PreloadedIntermediates.Source)
                    : Verdict(ClientOutcome.Fail, T("the intermediate is missing and belongs to a private CA, which no preloaded list holds", "缺少中间证书，而且它属于私有 CA，任何预置列表里都没有"), client.PreloadedIntermediates.Source);
            }

            return Verdict(ClientOutcome.Fail, T("the intermediate is missing: ", "缺少中间证书：") + client.Aia.Why, client.Aia.Source);
        }

        return Verdict(ClientOutcome.Fail, untrusted, Rfc5280);
    }
}
