namespace Wsdoctor.Protocol.Http;

/// <summary>A parsed HTTP/1.x response head: status line and header fields (RFC 9112 4).</summary>
public sealed class ResponseHead : HttpHead
{
    internal ResponseHead(string httpVersion, int statusCode, string reason, IReadOnlyList<HttpHeader> headers, string rawText)
        : base(headers, rawText)
    {
        HttpVersion = httpVersion;
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The version digits, e.g. <c>1.1</c>.</summary>
    public string HttpVersion { get; }

    public int StatusCode { get; }

    /// <summary>The reason phrase, possibly empty; RFC 9112 4 says clients should ignore it.</summary>
    public string Reason { get; }
}
