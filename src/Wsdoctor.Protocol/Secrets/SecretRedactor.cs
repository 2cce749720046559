using System.Buffers;
using System.Text;

namespace Wsdoctor.Protocol.Secrets;

/// <summary>Keeps credentials out of reports, logs and terminal scrollback. A redacted value keeps its length
/// ("[redacted, 43 chars]") because "the token is empty" and "the token is cut short" are diagnoses too.</summary>
public static class SecretRedactor
{
    private static readonly HashSet<string> SecretHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token",
    };

    private static readonly string[] SecretHeaderNameParts = ["token", "secret", "api-key", "apikey", "password"];

    private static readonly HashSet<string> SecretQueryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "token", "access_token", "id_token", "jwt", "auth", "authorization", "key", "api_key", "apikey",
        "password", "passwd", "secret", "signature", "sig", "session", "sessionid",
    };

    // The scheme names of the IANA HTTP Authentication Scheme Registry that carry a single credential, plus
    // "Token" (Django REST framework, Rails). The scheme says how the server will read the credential.
    private static readonly HashSet<string> AuthSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Basic", "Bearer", "Digest", "DPoP", "Negotiate", "NTLM", "Token",
    };

    // Headers whose value is a URL that may carry a token in its query, e.g. a redirect to a login page.
    private static readonly HashSet<string> UrlHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Location", "Content-Location", "Referer",
    };

    // RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    private static readonly SearchValues<char> SchemeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    public static bool IsSecretHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretHeaderNames.Contains(name)
            || SecretHeaderNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
    }

    public static bool IsSecretQueryName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretQueryNames.Contains(name)
            || name.EndsWith("_token", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("-token", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>[redacted, N chars]</c>; for <c>Bearer xyz</c> the scheme stays: <c>Bearer [redacted, 3 chars]</c>.</summary>
    public static string Redact(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        int space = secret.IndexOf(' ');
        if (space > 0 && AuthSchemes.Contains(secret[..space]))
        {
            int credentials = space;
            while (credentials < secret.Length && secret[credentials] == ' ')
            {
                credentials++;
            }

            return secret[..credentials] + Placeholder(secret.Length - credentials);
        }

        return Placeholder(secret.Length);
    }

    /// <summary>The value unchanged unless <see cref="IsSecretHeader"/>; cookie names survive (they tell
    /// which session is meant), cookie values and Set-Cookie's value do not, Set-Cookie attributes stay.</summary>
    public static string RedactHeaderValue(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsSecretHeader(name))
        {
            return value;
        }

        if (string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase))
        {
            return string.Join(';', value.Split(';').Select(RedactCookiePair));
        }

        if (string.Equals(name, "Set-Cookie", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6265 4.1.1: the first pair is the cookie, the rest are attributes (Path, Secure, ...).
            int attributes = value.IndexOf(';');
            return attributes < 0 ? RedactCookiePair(value) : RedactCookiePair(value[..attributes]) + value[attributes..];
        }

        return Redact(value);
    }

    /// <summary>Redacts the password of the userinfo and the values of secret query (and fragment)
    /// parameters; every other character stays as written, nothing is decoded or re-encoded.</summary>
    public static string RedactUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var result = new StringBuilder(url.Length);
        int pathStart = 0;
        int schemeEnd = SchemeLength(url);
        if (schemeEnd > 0)
        {
            int authorityStart = schemeEnd + "://".Length;
            int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
            pathStart = authorityEnd < 0 ? url.Length : authorityEnd;
            result.Append(RedactUserInfoPassword(url[..pathStart], authorityStart));
        }

        int fragment = url.IndexOf('#', pathStart);
        int pathEnd = fragment < 0 ? url.Length : fragment;
        int query = url.IndexOf('?', pathStart, pathEnd - pathStart);
        result.Append(url, pathStart, (query < 0 ? pathEnd : query) - pathStart);
        if (query >= 0)
        {
            result.Append('?').Append(RedactParameters(url[(query + 1)..pathEnd]));
        }

        if (fragment >= 0)
        {
            // OAuth 2.0 implicit flow (RFC 6749 4.2.2) returns access_token in the fragment.
            result.Append('#').Append(RedactParameters(url[(fragment + 1)..]));
        }

        return result.ToString();
    }

    /// <summary>Redacts every line of a request or response head: the request target's query, secret
    /// headers (and their obs-fold continuations), URLs in Location/Referer, and Sec-WebSocket-Protocol
    /// entries that look like tokens (browsers cannot set Authorization on a WebSocket, so apps smuggle the
    /// token in as a subprotocol).</summary>
    public static string RedactHead(string rawHead)
    {
        ArgumentNullException.ThrowIfNull(rawHead);
        var result = new StringBuilder(rawHead.Length);
        bool firstLine = true;
        bool continuesSecret = false;
        int position = 0;
        while (position < rawHead.Length)
        {
            int newline = rawHead.IndexOf('\n', position);
            int end = newline < 0 ? rawHead.Length : newline + 1;
            var line = rawHead[position..end];
            var content = line.TrimEnd('\r', '\n');
            var ending = line[content.Length..];
            position = end;

            if (content.Length == 0)
            {
                // The blank line ends the head; what follows is body and is not ours to rewrite.
                result.Append(line).Append(rawHead, position, rawHead.Length - position);
                break;
            }

            if (firstLine)
            {
                result.Append(RedactStartLine(content)).Append(ending);
                firstLine = false;
            }
            else if (content[0] is ' ' or '\t')
            {
                var folded = content.TrimStart(' ', '\t');
                result.Append(content, 0, content.Length - folded.Length)
                    .Append(continuesSecret ? Redact(folded) : folded)
                    .Append(ending);
            }
            else
            {
                continuesSecret = AppendFieldLine(result, content);
                result.Append(ending);
            }
        }

        return result.ToString();
    }

    private static bool AppendFieldLine(StringBuilder result, string line)
    {
        int colon = line.IndexOf(':');
        if (colon <= 0)
        {
            result.Append(line);
            return false;
        }

        var name = line[..colon];
        var afterColon = line[(colon + 1)..];
        var value = afterColon.Trim(' ', '\t');
        int valueStart = colon + 1 + (afterColon.Length - afterColon.TrimStart(' ', '\t').Length);
        var redacted = IsSecretHeader(name) ? RedactHeaderValue(name, value)
            : string.Equals(name, "Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase) ? RedactSubprotocols(value)
            : UrlHeaderNames.Contains(name) ? RedactUrl(value)
            : value;
        result.Append(line, 0, valueStart).Append(redacted).Append(line, valueStart + value.Length, line.Length - valueStart - value.Length);
        return IsSecretHeader(name);
    }

    private static string RedactStartLine(string line)
    {
        // A response's status line carries nothing secret; a request line's target can carry ?token=.
        int firstSpace = line.IndexOf(' ');
        int lastSpace = line.LastIndexOf(' ');
        if (line.StartsWith("HTTP/", StringComparison.Ordinal) || firstSpace < 0 || lastSpace == firstSpace)
        {
            return line;
        }

        return line[..(firstSpace + 1)] + RedactUrl(line[(firstSpace + 1)..lastSpace]) + line[lastSpace..];
    }

    private static string RedactSubprotocols(string value) =>
        string.Join(',', value.Split(',').Select(entry =>
        {
            var token = entry.Trim(' ', '\t');
            return LooksLikeToken(token) ? entry.Replace(token, Redact(token), StringComparison.Ordinal) : entry;
        }));

    private static bool LooksLikeToken(string entry)
    {
        if (entry.Length > 40)
        {
            return true;
        }

        var parts = entry.Split('.');
        return parts.Length == 3 && parts[0].Length > 0 && parts[1].Length > 0
            && parts.All(part => part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private static string RedactCookiePair(string pair)
    {
        int equals = pair.IndexOf('=');
        if (equals < 0)
        {
            var bare = pair.TrimStart(' ');
            return pair[..(pair.Length - bare.Length)] + Redact(bare);
        }

        return pair[..(equals + 1)] + Redact(pair[(equals + 1)..]);
    }

    private static string RedactParameters(string parameters) =>
        string.Join('&', parameters.Split('&').Select(parameter =>
        {
            int equals = parameter.IndexOf('=');
            if (equals < 0 || equals == parameter.Length - 1 || !IsSecretQueryName(Uri.UnescapeDataString(parameter[..equals])))
            {
                return parameter;
            }

            return parameter[..(equals + 1)] + Redact(parameter[(equals + 1)..]);
        }));

    private static string RedactUserInfoPassword(string schemeAndAuthority, int authorityStart)
    {
        int at = schemeAndAuthority.LastIndexOf('@');
        int colon = at < authorityStart ? -1 : schemeAndAuthority.IndexOf(':', authorityStart, at - authorityStart);
        return colon < 0
            ? schemeAndAuthority
            : schemeAndAuthority[..(colon + 1)] + Redact(schemeAndAuthority[(colon + 1)..at]) + schemeAndAuthority[at..];
    }

    /// <summary>Length of <c>scheme</c> when the URL starts with <c>scheme://</c> (RFC 3986 3.1), else 0.</summary>
    private static int SchemeLength(string url)
    {
        int separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0 || !char.IsAsciiLetter(url[0]))
        {
            return 0;
        }

        return url.AsSpan(0, separator).ContainsAnyExcept(SchemeChars) ? 0 : separator;
    }

    private static string Placeholder(int length) => $"[redacted, {length} chars]";
}
