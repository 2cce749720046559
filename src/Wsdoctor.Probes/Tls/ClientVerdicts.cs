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
    public string? UntrustedReason { get; init; }
}

public sealed record ClientVerdict(string Id, string Client, ClientOutcome Outcome, string Why, string Source);

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
        ClientVerdict Verdict(ClientOutcome outcome, string why, string source) => new(client.Id, client.Client, outcome, why, source);

        if (facts.KeyMismatch)
        {
            return Verdict(ClientOutcome.Fail, "no server starts with a key that is not the leaf's, so no client gets this far", "nginx: SSL_CTX_use_PrivateKey failed (key values mismatch)");
        }

        if (facts.LeafNotFirst)
        {
            return Verdict(ClientOutcome.Fail, "the first certificate sent is taken as the server's own, and it is not the leaf", "RFC 8446 4.4.2 (the sender's certificate MUST come first)");
        }

        if (facts.Expired || facts.NotYetValid)
        {
            return Verdict(ClientOutcome.Fail, facts.Expired ? "the leaf has expired" : "the leaf is not valid yet", Rfc5280);
        }

        if (facts.NotForServerAuth)
        {
            return Verdict(ClientOutcome.Fail, "the leaf's extended key usage does not include serverAuth", Rfc5280);
        }

        if (facts.NameConstraintViolation)
        {
            return Verdict(ClientOutcome.Fail, "an issuing CA's name constraints forbid a name of the leaf; every verifier listed enforces them", Rfc5280);
        }

        switch (facts.Name)
        {
            case NameCoverage.NotCovered:
                return Verdict(ClientOutcome.Fail, "the host is not among the SANs", Rfc6125);
            case NameCoverage.CommonNameOnly when !client.CommonNameFallback.Applies:
                return Verdict(ClientOutcome.Fail, "no SAN: " + client.CommonNameFallback.Why, client.CommonNameFallback.Source);
            case NameCoverage.IpWrittenAsDnsName when !client.IpAsDnsName.Applies:
                return Verdict(ClientOutcome.Fail, "the IP is listed as a DNS name: " + client.IpAsDnsName.Why, client.IpAsDnsName.Source);
            case NameCoverage.IpWrittenAsDnsName:
                return facts.TrustedAsSent || (facts.TrustedWithAia && client.Aia.Applies)
                    ? Verdict(ClientOutcome.Pass, client.IpAsDnsName.Why, client.IpAsDnsName.Source)
                    : Verdict(ClientOutcome.Fail, facts.UntrustedReason ?? "the chain does not reach a trusted root", Rfc5280);
        }

        var cnNote = facts.Name == NameCoverage.CommonNameOnly ? "; the host matches only the CN, which " + client.CommonNameFallback.Why : "";
        if (facts.TrustedAsSent)
        {
            return Verdict(ClientOutcome.Pass, "the chain sent is complete and trusted" + cnNote, facts.Name == NameCoverage.CommonNameOnly ? client.CommonNameFallback.Source : Rfc5280);
        }

        if (facts.TrustedWithAia)
        {
            if (client.Aia.Applies)
            {
                return Verdict(ClientOutcome.Pass, "the intermediate is missing, but " + client.Aia.Why + cnNote, client.Aia.Source);
            }

            if (client.PreloadedIntermediates.Applies)
            {
                return facts.PublicRoot
                    ? Verdict(ClientOutcome.Depends, "the intermediate is missing; " + client.PreloadedIntermediates.Why, client.PreloadedIntermediates.Source)
                    : Verdict(ClientOutcome.Fail, "the intermediate is missing and belongs to a private CA, which no preloaded list holds", client.PreloadedIntermediates.Source);
            }

            return Verdict(ClientOutcome.Fail, "the intermediate is missing: " + client.Aia.Why, client.Aia.Source);
        }

        return Verdict(ClientOutcome.Fail, facts.UntrustedReason ?? "the chain does not reach a trusted root", Rfc5280);
    }
}
