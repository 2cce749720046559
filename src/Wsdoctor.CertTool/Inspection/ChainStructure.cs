using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;

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
    public IEnumerable<Finding> Findings(IReadOnlyList<X509Certificate2> certificates, string where)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        string Name(int i) => $"#{i + 1} '{CertificateAnalysis.Short(certificates[i].Subject)}'";
        var expected = string.Join(", ", Path.Select(Name));
        var written = string.Join(", ", Enumerable.Range(0, certificates.Count).Select(Name));
        var order = new Dictionary<string, object?> { ["order"] = certificates.Select(c => c.Subject).ToArray(), ["expected"] = Path.Select(i => certificates[i].Subject).ToArray() };
        if (LeafIndex > 0)
        {
            yield return Finding.Create(Codes.TlsChainOrder,
                $"the leaf is certificate #{LeafIndex + 1}, not the first: servers pair the private key with the first certificate ({CertificateAnalysis.Short(certificates[0].Subject)}, a CA)",
                [$"{where}: {written}", $"leaf first would be: {expected}",
                 "nginx refuses to start (key values mismatch), Python load_cert_chain and Node tls.createServer throw; a server that loads it anyway sends a CA certificate as its own"],
                "Write the leaf first, then the intermediates: cat cert.pem chain.pem > fullchain.pem (or wsdoctor cert chain LEAF --out fullchain.pem).",
                new Dictionary<string, object?>(order) { ["kind"] = "leaf-not-first" }, Severity.Error);
        }
        else if (HasLeaf && !Path.SequenceEqual(Enumerable.Range(0, Path.Count)))
        {
            yield return Finding.Create(Codes.TlsChainOrder,
                "the intermediates are out of order: each certificate should be followed by the one that signed it",
                [$"{where}: {written}", $"in order: {expected}",
                 "RFC 8446 4.4.2 lets clients accept any order after the leaf, and OpenSSL, Go, Java, .NET and browsers do; older TLS 1.2 stacks (RFC 5246 7.4.2: each certificate certifies the one before it) may not"],
                data: new Dictionary<string, object?>(order) { ["kind"] = "out-of-order" });
        }

        if (HasLeaf && Unrelated.Count > 0)
        {
            yield return Finding.Create(Codes.TlsChainOrder,
                $"{Unrelated.Count} certificate(s) do not belong to the leaf's chain: {string.Join(", ", Unrelated.Select(Name))}",
                [$"{where}: {written}", $"the leaf's chain: {expected}",
                 .. Unrelated.Select(i => $"{Name(i)} is issued by '{CertificateAnalysis.Short(certificates[i].Issuer)}' and signs nothing here")],
                "Remove them: a stale intermediate or another host's certificate only costs bytes, and a stale cross-sign can make old clients pick an expired path.",
                new Dictionary<string, object?>(order) { ["kind"] = "unrelated", ["unrelated"] = Unrelated.Select(i => certificates[i].Subject).ToArray() });
        }

        if (HasLeaf && RootIndex is { } root)
        {
            yield return Finding.Create(Codes.TlsChainOrder,
                $"the root '{CertificateAnalysis.Short(certificates[root].Subject)}' is included; clients never use a root they are sent",
                [$"{where}: {written}", "a client trusts a root only from its own store (RFC 8446 4.4.2: a root MAY be omitted), so it is sent for nothing on every handshake"],
                "Leave the root out of the served file (certbot's fullchain.pem already does).",
                new Dictionary<string, object?>(order) { ["kind"] = "root-included" }, Severity.Info);
        }
    }
}
