using System.Text;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>The HTTP head parsers (what a server answers to check/connect, what a client sends to serve and to
/// conform's fuzzing server), then what reads the parsed head: token lists and the permessage-deflate negotiation.</summary>
public static class HttpHeadTargets
{
    /// <summary>Smaller than the 64 KiB default so that TooLarge is reachable by a fuzzer's small inputs.</summary>
    private const int MaxHeadBytes = 4096;

    private static readonly DeflateOffer[] Offers = [new(), new(ServerNoContextTakeover: true, ServerMaxWindowBits: 10)];

    public static void Response(byte[] input)
    {
        var head = ParseEveryWay<ResponseHead>(input, "http-response", () =>
        {
            var parser = new ResponseHeadParser(MaxHeadBytes);
            return (new Consume(parser.Consume), () => (parser.BytesReceived, parser.Error, parser.Head));
        });
        if (head is not null)
        {
            Invariants.Require(head.StatusCode is >= 0 and <= 999, "http-response", $"status code {head.StatusCode} is not three digits");
            var (agreement, problem) = DeflateNegotiation.JudgeResponse(Offers, head.GetAll("Sec-WebSocket-Extensions"));
            Invariants.Require(agreement is null || problem is null, "http-response", "deflate: both an agreement and a problem");
            _ = head.HasToken("Connection", "upgrade");
        }
    }

    public static void Request(byte[] input)
    {
        var head = ParseEveryWay<RequestHead>(input, "http-request", () =>
        {
            var parser = new RequestHeadParser(MaxHeadBytes);
            return (new Consume(parser.Consume), () => (parser.BytesReceived, parser.Error, parser.Head));
        });
        if (head is not null)
        {
            _ = head.HasToken("Connection", "upgrade");
            _ = head.HasToken("Upgrade", "websocket");
            _ = DeflateNegotiation.Accept(head.GetAll("Sec-WebSocket-Extensions"), new DeflateAcceptRule());
            _ = DeflateNegotiation.Accept(head.GetAll("Sec-WebSocket-Extensions"), new DeflateAcceptRule(ClientNoContextTakeover: true, ClientMaxWindowBits: 9));
        }
    }

    /// <summary>Parses with a new parser per chunking plan, checks each result and that all plans agree; the head,
    /// if the input holds a complete one.</summary>
    private static THead? ParseEveryWay<THead>(byte[] input, string target, Func<(Consume Consume, Func<(long Received, string? Error, THead? Head)> State)> create)
        where THead : HttpHead
    {
        var results = new string[Chunking.Plans];
        THead? head = null;
        for (int plan = 0; plan < Chunking.Plans; plan++)
        {
            var (consume, state) = create();
            var status = Feed(input, plan, consume, target);
            var (received, error, parsed) = state();
            results[plan] = Describe(status, received, error, parsed);
            CheckFinal(status, error, parsed, received, target);
            head = parsed;
        }

        RequireSameForEveryChunking(results, target);
        return head;
    }

    private delegate HeadParseStatus Consume(ReadOnlySpan<byte> chunk, out int used);

    /// <summary>Feeds the chunks of one plan as a socket would deliver them: after a final status the next chunks
    /// are the stream's next bytes (the rest of the deciding chunk stays with the caller), and must not be taken.</summary>
    private static HeadParseStatus Feed(byte[] input, int plan, Consume consume, string target)
    {
        var status = HeadParseStatus.NeedMoreData;
        int offset = 0;
        foreach (int size in Chunking.Sizes(plan, input.Length, input.Length))
        {
            var chunk = input.AsSpan(offset, size);
            offset += size;
            var before = status;
            status = consume(chunk, out int used);
            Invariants.Require(used >= 0 && used <= size, target, $"consumed {used} of a {size}-byte chunk");
            if (before != HeadParseStatus.NeedMoreData)
            {
                Invariants.Require(used == 0 && status == before, target, $"after {before} a further chunk changed the status to {status} or was consumed ({used})");
            }
            else if (status == HeadParseStatus.NeedMoreData)
            {
                Invariants.Require(used == size, target, $"NeedMoreData after taking {used} of {size} bytes");
            }
        }

        return status;
    }

    private static void CheckFinal(HeadParseStatus status, string? error, HttpHead? head, long received, string target)
    {
        switch (status)
        {
            case HeadParseStatus.Complete:
                Invariants.Require(head is not null && error is null, target, "Complete without a head, or with an error");
                Invariants.Require(head!.RawText.Length == received, target, $"raw text of {head.RawText.Length} chars for {received} bytes (Latin-1 is one char per byte)");
                break;
            case HeadParseStatus.Invalid or HeadParseStatus.TooLarge:
                Invariants.Require(head is null && !string.IsNullOrEmpty(error), target, $"{status} without an error sentence");
                Invariants.Require(!error!.Contains('\n', StringComparison.Ordinal), target, "the error is not one line");
                Invariants.Require(status != HeadParseStatus.TooLarge || received <= MaxHeadBytes + 1, target, $"TooLarge after {received} bytes");
                break;
            default:
                Invariants.Require(head is null && error is null, target, "NeedMoreData with a head or an error");
                Invariants.Require(received <= MaxHeadBytes, target, $"still reading after {received} bytes, over the {MaxHeadBytes}-byte limit");
                break;
        }
    }

    private static string Describe(HeadParseStatus status, long received, string? error, HttpHead? head)
    {
        var text = new StringBuilder().Append(status).Append(' ').Append(received).Append(' ').Append(error);
        if (head is not null)
        {
            text.Append('\n').Append(head.RawText);
            foreach (var header in head.Headers)
            {
                text.Append('\n').Append(header.Name).Append(": ").Append(header.Value);
            }

            text.Append('\n').Append(head switch
            {
                ResponseHead r => $"{r.HttpVersion} {r.StatusCode} {r.Reason}",
                RequestHead r => $"{r.Method} {r.Target} {r.HttpVersion}",
                _ => "",
            });
        }

        return text.ToString();
    }

    internal static void RequireSameForEveryChunking(string[] results, string target)
    {
        for (int plan = 1; plan < results.Length; plan++)
        {
            Invariants.Require(results[plan] == results[0], target, $"chunking plan {plan} gave a different result:\n{results[plan]}\nwhole input:\n{results[0]}");
        }
    }
}
