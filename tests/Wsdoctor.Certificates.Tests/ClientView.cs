using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

/// <summary>What a TLS client's RemoteCertificateValidationCallback was given, copied out while the chain is
/// still alive (SslStream disposes it after the callback returns).</summary>
internal sealed record ClientView(
    SslPolicyErrors Errors,
    X509ChainStatusFlags ChainStatus,
    IReadOnlyList<(string Subject, X509ChainStatusFlags Status)> Elements,
    IReadOnlyList<string> ExtraStoreSubjects,
    string? PresentedSubject)
{
    public static ClientView Capture(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status)
            ?? X509ChainStatusFlags.NoError;
        var elements = chain?.ChainElements
            .Select(e => (e.Certificate.Subject,
                e.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status)))
            .ToArray() ?? [];
        var extra = chain?.ChainPolicy.ExtraStore.Select(c => c.Subject).ToArray() ?? [];
        return new ClientView(errors, status, elements, extra, certificate?.Subject);
    }
}
