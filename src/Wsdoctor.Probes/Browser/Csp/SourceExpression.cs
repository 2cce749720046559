namespace Wsdoctor.Probes.Browser.Csp;

/// <summary>A scheme-source (<c>wss:</c>) or host-source (<c>[scheme://]host[:port][/path]</c>) of CSP3 section 2.3.1.
/// <see cref="Host"/> is null for a scheme-source.</summary>
public sealed record SourceExpression(string? Scheme, string? Host, string? Port, string? Path)
{
    public static bool TryParse(string text, out SourceExpression source)
    {
        source = new SourceExpression(null, null, null, null);
        var rest = text;
        string? scheme = null;
        var schemeEnd = rest.IndexOf(':', StringComparison.Ordinal);
        if (schemeEnd > 0 && IsScheme(rest[..schemeEnd]))
        {
            if (schemeEnd == rest.Length - 1)
            {
                source = new SourceExpression(rest[..schemeEnd].ToLowerInvariant(), null, null, null);
                return true;
            }

            if (rest.AsSpan(schemeEnd).StartsWith("://"))
            {
                scheme = rest[..schemeEnd].ToLowerInvariant();
                rest = rest[(schemeEnd + 3)..];
            }
        }

        var hostEnd = rest.IndexOfAny([':', '/']);
        var host = hostEnd < 0 ? rest : rest[..hostEnd];
        if (!IsHostPart(host))
        {
            return false;
        }

        rest = hostEnd < 0 ? "" : rest[hostEnd..];
        string? port = null;
        if (rest.StartsWith(':'))
        {
            var portEnd = rest.IndexOf('/', StringComparison.Ordinal);
            port = portEnd < 0 ? rest[1..] : rest[1..portEnd];
            if (!(port == "*" || (port.Length > 0 && port.All(char.IsAsciiDigit))))
            {
                return false;
            }

            rest = portEnd < 0 ? "" : rest[portEnd..];
        }

        if (rest.Length > 0 && (!rest.StartsWith('/') || rest.StartsWith("//", StringComparison.Ordinal) || rest.Contains(';') || rest.Contains(',')))
        {
            return false;
        }

        source = new SourceExpression(scheme, host, port, rest.Length == 0 ? null : rest);
        return true;
    }

    private static bool IsScheme(string text) =>
        text.Length > 0 && char.IsAsciiLetter(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    private static bool IsHostPart(string host)
    {
        if (host == "*")
        {
            return true;
        }

        var labels = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (labels.EndsWith('.'))
        {
            labels = labels[..^1];
        }

        return labels.Length > 0 && labels.Split('.').All(l => l.Length > 0 && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
