namespace Wsdoctor.Probes.Url;

/// <summary>Uri accepts some international host names it cannot convert to their ASCII (IDNA) form, and then throws
/// from <see cref="Uri.IdnHost"/>, which DNS, TLS, the Host header and origins all need: such a URL is refused
/// where it is parsed, before anything reads its host.</summary>
public static class IdnHosts
{
    public static bool HasIdnForm(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        try
        {
            return uri.IdnHost.Length > 0;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }
}
