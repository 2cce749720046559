using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>Leaves that are their own issuer — the typical "works with curl -k only" development certificate.</summary>
public static class SelfSigned
{
    /// <summary>A self-signed leaf (CA:false, same extensions as an issued leaf) with a fresh private key.</summary>
    public static X509Certificate2 Create(LeafSpec spec)
    {
        using var key = KeyPair.Create(spec.Key);
        var request = LeafProfile.CreateRequest(spec, key);
        return Issuance.SelfSign(request, key, spec.NotBefore, spec.NotAfter);
    }
}
