using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Http;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Http;

internal enum ExchangeOutcome
{
    Response,
    Timeout,
    Closed,
    Invalid,
    TooLarge,
}

/// <summary>What came back for one upgrade request. <see cref="Leftover"/> holds bytes after the head
/// (WebSocket frames the server sent right after its 101). <see cref="Error"/> is evidence: why no response came.</summary>
internal sealed record ExchangeResult(
    ExchangeOutcome Outcome,
    ResponseHead? Head,
    byte[] Prefix,
    long BytesReceived,
    byte[] Leftover,
    byte[] Body,
    double Ms,
    DateTimeOffset ReceivedAt,
    Text? Error);

/// <summary>Sends the upgrade request and reads the response head, bounded in size and time.</summary>
internal static class UpgradeExchange
{
    private const int PrefixBytes = 256;
    private const int MaxBody = 4096;

    public static async Task<ExchangeResult> RunAsync(Stream stream, string requestHead, TimeSpan timeout, TimeProvider time, CancellationToken deadline)
    {
        var start = Stopwatch.GetTimestamp();
        var parser = new ResponseHeadParser();
        var prefix = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        cts.CancelAfter(timeout);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(requestHead), cts.Token).ConfigureAwait(false);
            await stream.FlushAsync(cts.Token).ConfigureAwait(false);
            while (true)
            {
                var n = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return Result(ExchangeOutcome.Closed, null, T("the server closed the connection", "服务端关闭了连接"));
                }

                if (prefix.Length < PrefixBytes)
                {
                    prefix.Write(buffer, 0, (int)Math.Min(n, PrefixBytes - prefix.Length));
                }

                var status = parser.Consume(buffer.AsSpan(0, n), out var consumed);
                switch (status)
                {
                    case HeadParseStatus.Complete:
                        var head = parser.Head!;
                        var receivedAt = time.GetUtcNow();
                        var leftover = buffer.AsSpan(consumed, n - consumed).ToArray();
                        var body = head.StatusCode == 101 ? [] : await ReadBodyAsync(stream, head, leftover, deadline).ConfigureAwait(false);
                        return new ExchangeResult(ExchangeOutcome.Response, head, prefix.ToArray(), parser.BytesReceived,
                            head.StatusCode == 101 ? leftover : [], body, Elapsed(), receivedAt, null);
                    case HeadParseStatus.Invalid:
                        return Result(ExchangeOutcome.Invalid, null, ParserError(parser.Error));
                    case HeadParseStatus.TooLarge:
                        return Result(ExchangeOutcome.TooLarge, null, ParserError(parser.Error));
                    case HeadParseStatus.NeedMoreData:
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return Result(ExchangeOutcome.Timeout, null, T($"no complete response head within {timeout.TotalSeconds:0.#} s", $"{timeout.TotalSeconds:0.#} s 内没有收到完整的响应头"));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            var chain = Net.ExceptionText.Chain(ex);
            return Result(ExchangeOutcome.Closed, null, T($"connection failed: {chain}", $"连接失败：{chain}"));
        }

        ExchangeResult Result(ExchangeOutcome outcome, ResponseHead? head, Text? error) =>
            new(outcome, head, prefix.ToArray(), parser.BytesReceived, [], [], Elapsed(), time.GetUtcNow(), error);

        double Elapsed() => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>What the head parser found wrong, quoted as it says it (with the RFC section).</summary>
    private static Text? ParserError(string? error) => error is null ? null : T(error, $"HTTP 响应头解析失败：{error}");

    /// <summary>A little of the body, for evidence (the HTML page of a 200, the text of a 400); never waits long.</summary>
    private static async Task<byte[]> ReadBodyAsync(Stream stream, ResponseHead head, byte[] already, CancellationToken deadline)
    {
        var body = new MemoryStream();
        body.Write(already, 0, Math.Min(already.Length, MaxBody));
        var expected = long.TryParse(head.Get("Content-Length"), out var length) ? Math.Min(length, MaxBody) : MaxBody;
        if (head.Get("Content-Length") is "0" || body.Length >= expected)
        {
            return body.ToArray();
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));
        var buffer = new byte[MaxBody];
        try
        {
            while (body.Length < expected)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, (int)(expected - body.Length)), cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                body.Write(buffer, 0, n);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // What arrived in time is evidence enough.
        }

        return body.ToArray();
    }
}
