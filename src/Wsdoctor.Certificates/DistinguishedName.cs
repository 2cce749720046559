using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

internal static class DistinguishedName
{
    // The builder escapes characters such as ',' or '+' that would break a parsed "CN=..." string.
    public static X500DistinguishedName FromCommonName(string commonName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
