using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Protocol.Tests.Http;

internal delegate HeadParseStatus ConsumeHead(ReadOnlySpan<byte> data, out int consumed);

/// <summary>What feeding a head parser produced: final status, bytes it took, and the bytes it left to the
/// caller (body or WebSocket frames).</summary>
internal sealed record HeadFeed(HeadParseStatus Status, long Consumed, byte[] Rest)
{
    /// <summary>Feeds every chunk, checking the <c>consumed</c> contract on the way: all of a chunk while
    /// NeedMoreData, nothing once the status is final.</summary>
    public static HeadFeed Run(ReadOnlyMemory<byte>[] chunks, ConsumeHead consume)
    {
        var status = HeadParseStatus.NeedMoreData;
        long total = 0;
        var rest = new List<byte>();
        foreach (var chunk in chunks)
        {
            var before = status;
            status = consume(chunk.Span, out int consumed);
            if (before != HeadParseStatus.NeedMoreData)
            {
                Assert.Equal(before, status);
                Assert.Equal(0, consumed);
            }
            else if (status == HeadParseStatus.NeedMoreData)
            {
                Assert.Equal(chunk.Length, consumed);
            }

            total += consumed;
            if (status == HeadParseStatus.Complete)
            {
                rest.AddRange(chunk.Span[consumed..]);
            }
        }

        return new HeadFeed(status, total, [.. rest]);
    }

    public string Describe() => $"{Status} consumed={Consumed} rest={Convert.ToHexString(Rest)}";

    public static string Describe(HttpHead? head) => head is null
        ? "no head"
        : string.Join("\n", head.Headers.Select(h => $"[{h.Name}]=[{h.Value}]").Prepend(head.RawText));
}
