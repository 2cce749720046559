namespace Wsdoctor.Server.Handshake;

/// <summary>Which browser pages may open a WebSocket here. Browsers send Origin on every WebSocket handshake
/// and do not apply CORS to it (RFC 6455 10.2), so the server must check it itself or any site the user visits
/// can talk to it with the user's cookies (cross-site WebSocket hijacking).</summary>
public sealed class OriginPolicy(IReadOnlyList<string> patterns)
{
    /// <summary>Null when allowed; otherwise why not, for the reject log line.</summary>
    public string? Check(string? origin, string? host)
    {
        // Non-browser clients send no Origin; the check protects browsers' ambient credentials only.
        if (string.IsNullOrEmpty(origin))
        {
            return null;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return patterns.Contains("*") ? null : $"origin {origin} is not an http(s) origin";
        }

        if (host is not null && SameHost(uri, host))
        {
            return null;
        }

        foreach (var pattern in patterns)
        {
            if (Matches(pattern, uri))
            {
                return null;
            }
        }

        return patterns.Count == 0
            ? $"origin {origin} is not the server's host {host}; allow it with --allow-origin"
            : $"origin {origin} matches no --allow-origin pattern";
    }

    // Host may carry the port or leave out the scheme's default; Uri.Authority leaves out the default port too.
    private static bool SameHost(Uri origin, string host) =>
        string.Equals(origin.Authority, host, StringComparison.OrdinalIgnoreCase)
        || string.Equals($"{origin.Host}:{origin.Port}", host, StringComparison.OrdinalIgnoreCase);

    internal static bool Matches(string pattern, Uri origin)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            // *.example.com: any subdomain, any scheme and port; not example.com itself (as in TLS wildcards).
            return origin.Host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
                && origin.Host.Length > pattern.Length - 1;
        }

        if (Uri.TryCreate(pattern, UriKind.Absolute, out var allowed))
        {
            return string.Equals(allowed.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(allowed.Host, origin.Host, StringComparison.OrdinalIgnoreCase)
                && allowed.Port == origin.Port;
        }

        // A bare host name: any scheme and port.
        return string.Equals(pattern, origin.Host, StringComparison.OrdinalIgnoreCase);
    }
}
