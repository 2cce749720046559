namespace Wsdoctor.Protocol.Http;

/// <summary>What request and response heads share: the header fields, the raw text, and the lookups the
/// handshake checks need.</summary>
public abstract class HttpHead
{
    private protected HttpHead(IReadOnlyList<HttpHeader> headers, string rawText)
    {
        Headers = headers;
        RawText = rawText;
    }

    /// <summary>Header fields in the order received, duplicates kept.</summary>
    public IReadOnlyList<HttpHeader> Headers { get; }

    /// <summary>The whole head as Latin-1 text, start line to the final blank line inclusive.</summary>
    public string RawText { get; }

    /// <summary>The combined value of a field, or null when absent. RFC 9110 5.3: a recipient may combine
    /// repeated field lines into one value by joining them with a comma.</summary>
    public string? Get(string name)
    {
        var values = GetAll(name);
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    /// <summary>Every value of a field, in order. Field names are case-insensitive (RFC 9110 5.1).</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var values = new List<string>();
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(header.Value);
            }
        }

        return values;
    }

    /// <summary>Whether a comma-separated list field contains a token, e.g. <c>Connection: keep-alive, Upgrade</c>
    /// contains <c>upgrade</c>. RFC 9110 7.6.1 and 7.8: connection options and upgrade protocols are
    /// case-insensitive and may share one field line with others.</summary>
    public bool HasToken(string name, string token)
    {
        foreach (var value in GetAll(name))
        {
            foreach (var element in value.Split(','))
            {
                if (element.AsSpan().Trim(" \t").Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
