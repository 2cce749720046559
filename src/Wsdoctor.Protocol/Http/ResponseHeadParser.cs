namespace Wsdoctor.Protocol.Http;

/// <summary>Push-style parser for the response head that answers a WebSocket upgrade request.
/// Synchronous and span-based: the caller owns the socket and the buffers.</summary>
public sealed class ResponseHeadParser
{
    private readonly StatusLine _statusLine = new();
    private readonly HeadReader _reader;

    public ResponseHeadParser(int maxHeadBytes = 65536)
    {
        _reader = new HeadReader(maxHeadBytes, _statusLine);
    }

    /// <summary>The parsed head, once <see cref="Consume"/> has returned <see cref="HeadParseStatus.Complete"/>.</summary>
    public ResponseHead? Head { get; private set; }

    /// <summary>After Invalid or TooLarge: one sentence naming the problem and quoting the offending bytes.</summary>
    public string? Error => _reader.Error;

    /// <summary>Bytes taken as part of the head so far (the sum of every <c>consumed</c>).</summary>
    public long BytesReceived => _reader.BytesReceived;

    /// <summary>Feeds the next chunk of the stream. <paramref name="consumed"/> counts the bytes of this chunk
    /// that belong to the head: on Complete the rest of the chunk is the body or the first WebSocket frames
    /// and stays with the caller; on NeedMoreData it is the whole chunk. A stream that cannot start with
    /// <c>HTTP/</c> is Invalid at its first wrong byte. Once the status is final, further calls return it
    /// again with <paramref name="consumed"/> 0.</summary>
    public HeadParseStatus Consume(ReadOnlySpan<byte> data, out int consumed)
    {
        var status = _reader.Consume(data, out consumed);
        if (status == HeadParseStatus.Complete && Head is null)
        {
            Head = new ResponseHead(_statusLine.HttpVersion, _statusLine.StatusCode, _statusLine.Reason, _reader.Headers, _reader.RawText!);
        }

        return status;
    }
}
