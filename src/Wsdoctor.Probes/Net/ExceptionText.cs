namespace Wsdoctor.Probes.Net;

/// <summary>What went wrong on the network in one line: the messages of an exception and its inner ones (the
/// outer "authentication failed" says little; the inner OpenSSL or socket error says why).</summary>
public static class ExceptionText
{
    public static string Chain(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" / ", messages.Distinct());
    }
}
