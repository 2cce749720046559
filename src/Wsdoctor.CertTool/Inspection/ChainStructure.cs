using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Inspection;

/// <summary>The order of a chain as written or sent, against the order it must have: leaf first, then each
/// certificate followed by its issuer (RFC 5246 7.4.2; RFC 8446 4.4.2 keeps only "leaf first" a MUST), no root,
/// nothing unrelated.</summary>
/// <param name="LeafIndex">Position of the end-entity certificate; -1 when every certificate is a CA (a chain.pem or a
/// CA bundle inspected alone).</param>
/// <param name="Path">Positions from the leaf upwards, following issuer links inside the set.</param>
/// <param name="SignedBy">For each position, the position of its issuer inside the set, if any.</param>
public sealed record ChainStructure(int LeafIndex, IReadOnlyList<int> Path, IReadOnlyList<int> Unrelated, int? RootIndex, IReadOnlyList<int?> SignedBy)
{
    public bool HasLeaf => LeafIndex >= 0;

    public bool LeafFirst => LeafIndex <= 0;

    public static ChainStructure Of(IReadOnlyList<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var signedBy = certificates.Select((c, i) => (int?)Enumerable.Range(0, certificates.Count)
            .Where(j => j != i && CertificateLinks.IsIssuedBy(c, certificates[j])).Cast<int?>().FirstOrDefault()).ToArray();
        var leaf = certificates.Count == 0 ? -1
            : !CertificateLinks.IsCa(certificates[0]) ? 0
            : Enumerable.Range(0, certificates.Count).Where(i => !CertificateLinks.IsCa(certificates[i])).DefaultIfEmpty(-1).First();
        var path = new List<int>();
        for (var at = (int?)(leaf >= 0 ? leaf : certificates.Count > 0 ? 0 : null); at is { } i && !path.Contains(i); at = signedBy[i])
        {
            path.Add(i);
        }

        var root = Enumerable.Range(0, certificates.Count).Where(i => CertificateLinks.IsSelfIssued(certificates[i]) && i != leaf).Cast<int?>().FirstOrDefault();
        var unrelated = Enumerable.Range(0, certificates.Count).Where(i => !path.Contains(i) && i != root).ToArray();
        return new ChainStructure(leaf, path, unrelated, root, signedBy);
    }

    /// <summary>tls.chain-order findings: an error when the leaf is not first, warnings for the rest.</summary>
    /// <param name="where">"sent" (a server's chain) or "files".</param>
    public IEnumerable<Finding> Findings(IReadOnlyList<X509Certificate2> certificates, string where)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        string Name(int i) => $"#{i + 1} '{CertificateAnalysis.Short(certificates[i].Subject)}'";
        var expected = string.Join(", ", Path.Select(Name));
        var written = string.Join(", ", Enumerable.Range(0, certificates.Count).Select(Name));
        var order = new Dictionary<string, object?> { ["order"] = certificates.Select(c => c.Subject).ToArray(), ["expected"] = Path.Select(i => certificates[i].Subject).ToArray() };
        var asWritten = where == "sent" ? T($"{where}: {written}", $"服务端发送：{written}") : T($"{where}: {written}", $"文件中：{written}");
        if (LeafIndex > 0)
        {
            var first = CertificateAnalysis.Short(certificates[0].Subject);
            yield return Finding.Create(Codes.TlsChainOrder,
                T($"the leaf is certificate #{LeafIndex + 1}, not the first: servers pair the private key with the first certificate ({first}, a CA)",
                  $"叶子证书是第 #{LeafIndex + 1} 个，而不是第一个：服务端会把私钥和第一个证书配对（{first}，一个 CA）"),
                [asWritten, T($"leaf first would be: {expected}", $"叶子证书在前应为：{expected}"),
                 T("nginx refuses to start (key values mismatch), Python load_cert_chain and Node tls.createServer throw; a server that loads it anyway sends a CA certificate as its own",
                   "nginx 拒绝启动（\"key values mismatch\"），Python 的 load_cert_chain 和 Node 的 tls.createServer 会抛出异常；即使有服务端照样加载，它也会把一个 CA 证书当作自己的证书发送")],
                T("Write the leaf first, then the intermediates: cat cert.pem chain.pem > fullchain.pem (or wsdoctor cert chain LEAF --out fullchain.pem).",
                  "先写叶子证书，再写中间证书：`cat cert.pem chain.pem > fullchain.pem`（或 `wsdoctor cert chain LEAF --out fullchain.pem`）。"),
                new Dictionary<string, object?>(order) { ["kind"] = "leaf-not-first" }, Severity.Error);
        }
        else if (HasLeaf && !Path.SequenceEqual(Enumerable.Range(0, Path.Count)))
        {
            yield return Finding.Create(Codes.TlsChainOrder,
                T("the intermediates are out of order: each certificate should be followed by the one that signed it",
                  "中间证书顺序不对：每个证书后面应紧跟签发它的那个证书"),
                [asWritten, T($"in order: {expected}", $"正确顺序：{expected}"),
                 T("RFC 8446 4.4.2 lets clients accept any order after the leaf, and OpenSSL, Go, Java, .NET and browsers do; older TLS 1.2 stacks (RFC 5246 7.4.2: each certificate certifies the one before it) may not",
                   "RFC 8446 4.4.2 允许客户端接受叶子证书之后的任意顺序，OpenSSL、Go、Java、.NET 和浏览器也都接受；较老的 TLS 1.2 实现（RFC 5246 7.4.2：每个证书为它前面的那个作证）则未必")],
                data: new Dictionary<string, object?>(order) { ["kind"] = "out-of-order" });
        }

        if (HasLeaf && Unrelated.Count > 0)
        {
            var unrelated = string.Join(", ", Unrelated.Select(Name));
            yield return Finding.Create(Codes.TlsChainOrder,
                T($"{Unrelated.Count} certificate(s) do not belong to the leaf's chain: {unrelated}",
                  $"{Unrelated.Count} 个证书不属于叶子证书的证书链：{unrelated}"),
                [asWritten, T($"the leaf's chain: {expected}", $"叶子证书的证书链：{expected}"),
                 .. Unrelated.Select(i => T($"{Name(i)} is issued by '{CertificateAnalysis.Short(certificates[i].Issuer)}' and signs nothing here",
                     $"{Name(i)} 由 '{CertificateAnalysis.Short(certificates[i].Issuer)}' 签发，在这里没有签发任何证书"))],
                T("Remove them: a stale intermediate or another host's certificate only costs bytes, and a stale cross-sign can make old clients pick an expired path.",
                  "把它们删掉：过时的中间证书或其他主机的证书只会白白占用字节，过时的交叉签名还可能让老客户端选中一条已过期的路径。"),
                new Dictionary<string, object?>(order) { ["kind"] = "unrelated", ["unrelated"] = Unrelated.Select(i => certificates[i].Subject).ToArray() });
        }

        if (HasLeaf && RootIndex is { } root)
        {
            var rootName = CertificateAnalysis.Short(certificates[root].Subject);
            yield return Finding.Create(Codes.TlsChainOrder,
                T($"the root '{rootName}' is included; clients never use a root they are sent",
                  $"包含了根证书 '{rootName}'；客户端从不使用对方发来的根证书"),
                [asWritten, T("a client trusts a root only from its own store (RFC 8446 4.4.2: a root MAY be omitted), so it is sent for nothing on every handshake",
                    "客户端只信任自己信任库里的根证书（RFC 8446 4.4.2：根证书 MAY 省略），所以每次握手都白白发送了它")],
                T("Leave the root out of the served file (certbot's fullchain.pem already does).",
                  "不要把根证书放进服务端加载的文件（certbot 的 fullchain.pem 本来就不含根证书）。"),
                new Dictionary<string, object?>(order) { ["kind"] = "root-included" }, Severity.Info);
        }
    }
}
