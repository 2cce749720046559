namespace Wsdoctor.Protocol.Http;

/// <summary>A parsed HTTP/1.x request head: request line and header fields (RFC 9112 3).</summary>
public sealed class RequestHead : HttpHead
{
    internal RequestHead(string method, string target, string httpVersion, IReadOnlyList<HttpHeader> headers, string rawText)
        : base(headers, rawText)
    {
        Method = method;
        Target = target;
        HttpVersion = httpVersion;
    }

    public string Method { get; }

    /// <summary>The request-target exactly as sent, e.g. <c>/chat?room=1</c>.</summary>
    public string Target { get; }

    /// <summary>The version digits, e.g. <c>1.1</c>.</summary>
    public string HttpVersion { get; }
}
