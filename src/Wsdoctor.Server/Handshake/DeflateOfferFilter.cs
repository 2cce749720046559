namespace Wsdoctor.Server.Handshake;

/// <summary>Drops the permessage-deflate offers RFC 7692 makes a server decline before ASP.NET Core negotiates: it
/// ignores parameters it does not know, and would accept <c>permessage-deflate; x_unknown</c>. RFC 7692 5: a server
/// MUST decline an offer with a parameter not defined for offers, a duplicate parameter, or an invalid value.</summary>
public static class DeflateOfferFilter
{
    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase) { "server_no_context_takeover", "client_no_context_takeover" };

    /// <summary>The header value with the invalid permessage-deflate offers removed (other extensions kept), or null
    /// when nothing changes.</summary>
    public static string? Filter(IEnumerable<string> values)
    {
        var elements = values.SelectMany(v => v.Split(',')).Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
        var kept = elements.Where(e => !IsDeflate(e) || IsValidOffer(e)).ToList();
        return kept.Count == elements.Count ? null : string.Join(", ", kept);
    }

    private static bool IsDeflate(string element) =>
        element.Split(';')[0].Trim().Equals("permessage-deflate", StringComparison.OrdinalIgnoreCase);

    private static bool IsValidOffer(string element)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in element.Split(';').Skip(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? parameter : parameter[..equals]).Trim();
            var value = equals < 0 ? null : parameter[(equals + 1)..].Trim().Trim('"');
            if (!seen.Add(name))
            {
                return false;
            }

            var valid = Flags.Contains(name) ? value is null
                : name.Equals("server_max_window_bits", StringComparison.OrdinalIgnoreCase) ? IsWindowBits(value)
                : name.Equals("client_max_window_bits", StringComparison.OrdinalIgnoreCase) && (value is null || IsWindowBits(value));
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    // RFC 7692 7.1.2: 1*DIGIT, 8 to 15, no leading zeros.
    private static bool IsWindowBits(string? value) => value is { Length: 1 or 2 } && value[0] != '0' && int.TryParse(value, out var bits) && bits is >= 8 and <= 15;
}
