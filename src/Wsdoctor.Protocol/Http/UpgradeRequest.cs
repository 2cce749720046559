using System.Text;

namespace Wsdoctor.Protocol.Http;

/// <summary>Builds the opening handshake request of RFC 6455 4.1.</summary>
public static class UpgradeRequest
{
    // RFC 6455 4.1 items 2, 5, 6, 7, 9, in the order browsers send them.
    private static readonly string[] HandshakeFieldNames = ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"];

    /// <summary>The request head as text, ending with the blank line. A field in <paramref name="headers"/>
    /// named like one of the handshake fields replaces that field in place (so a diagnosis can send, say,
    /// <c>Sec-WebSocket-Version: 8</c>); all other fields follow in the given order.</summary>
    /// <exception cref="ArgumentException">A name that is not a token, or a CR, LF or NUL in any name or
    /// value: that would let a value inject extra header lines.</exception>
    public static string Build(string hostHeader, string pathAndQuery, string key, IEnumerable<HttpHeader> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        RequireFieldValue(hostHeader, nameof(hostHeader));
        RequireFieldValue(key, nameof(key));
        if (pathAndQuery.Length == 0 || pathAndQuery.AsSpan().IndexOfAny(" \t\r\n\0") >= 0)
        {
            throw new ArgumentException("the request target must be non-empty and free of whitespace and control characters (RFC 9112 3.2)", nameof(pathAndQuery));
        }

        var extra = headers.ToList();
        foreach (var header in extra)
        {
            if (!TokenGrammar.IsToken(header.Name))
            {
                throw new ArgumentException($"header name \"{header.Name}\" is not an RFC 9110 token", nameof(headers));
            }

            RequireFieldValue(header.Value, nameof(headers));
        }

        string[] defaults = [hostHeader, "websocket", "Upgrade", key, "13"];
        var request = new StringBuilder($"GET {pathAndQuery} HTTP/1.1\r\n");
        for (int i = 0; i < HandshakeFieldNames.Length; i++)
        {
            var overrides = extra.Where(h => IsNamed(h, HandshakeFieldNames[i])).ToList();
            if (overrides.Count == 0)
            {
                AppendField(request, HandshakeFieldNames[i], defaults[i]);
            }

            foreach (var header in overrides)
            {
                AppendField(request, header.Name, header.Value);
            }
        }

        foreach (var header in extra.Where(h => !HandshakeFieldNames.Any(name => IsNamed(h, name))))
        {
            AppendField(request, header.Name, header.Value);
        }

        return request.Append("\r\n").ToString();
    }

    private static bool IsNamed(HttpHeader header, string name) => string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase);

    private static void AppendField(StringBuilder request, string name, string value) =>
        request.Append(name).Append(": ").Append(value).Append("\r\n");

    private static void RequireFieldValue(string value, string parameter)
    {
        // RFC 9110 5.5: CR, LF and NUL are never valid in a field value.
        if (value.AsSpan().IndexOfAny("\r\n\0") >= 0)
        {
            throw new ArgumentException($"value \"{value.ReplaceLineEndings("\\n")}\" contains CR, LF or NUL, which would inject header lines", parameter);
        }
    }
}
