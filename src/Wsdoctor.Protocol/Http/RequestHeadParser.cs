namespace Wsdoctor.Protocol.Http;

/// <summary>Push-style parser for a request head, for the test servers that play the other side of the
/// handshake. Same contract as <see cref="ResponseHeadParser"/>.</summary>
public sealed class RequestHeadParser
{
    private readonly RequestLine _requestLine = new();
    private readonly HeadReader _reader;

    public RequestHeadParser(int maxHeadBytes = 65536)
    {
        _reader = new HeadReader(maxHeadBytes, _requestLine);
    }

    public RequestHead? Head { get; private set; }

    /// <summary>After Invalid or TooLarge: one sentence naming the problem and quoting the offending bytes.</summary>
    public string? Error => _reader.Error;

    public long BytesReceived => _reader.BytesReceived;

    /// <summary>Feeds the next chunk of the stream; <paramref name="consumed"/> counts the bytes of this chunk
    /// that belong to the head (all of it on NeedMoreData, the rest is body on Complete). A stream that cannot
    /// start with a method token, such as a TLS ClientHello, is Invalid at its first wrong byte. Once the
    /// status is final, further calls return it again with <paramref name="consumed"/> 0.</summary>
    public HeadParseStatus Consume(ReadOnlySpan<byte> data, out int consumed)
    {
        var status = _reader.Consume(data, out consumed);
        if (status == HeadParseStatus.Complete && Head is null)
        {
            Head = new RequestHead(_requestLine.Method, _requestLine.Target, _requestLine.HttpVersion, _reader.Headers, _reader.RawText!);
        }

        return status;
    }
}
