using System.Text;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Client.Opening;

/// <summary>The opening handshake (RFC 6455 4.1): the request as the user asked for it, and the response head.</summary>
internal static class Handshake
{
    public sealed record Exchange(ResponseHead? Head, byte[] Leftover, string Key, OpenFailure? Failure);

    public static async Task<Exchange> RunAsync(Stream stream, TargetUrl target, OpenOptions options, CancellationToken ct)
    {
        var check = options.Check;
        if (options.Compress && !check.Headers.Any(h => h.Name.Equals("Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase)))
        {
            check = check with { Headers = [.. check.Headers, new HttpHeader("Sec-WebSocket-Extensions", DeflateNegotiation.Offer)] };
        }

        var (head, key) = UpgradeRequestSpec.Build(check, target, check.Origin);
        using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
        step.CancelAfter(check.StepTimeout);
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head), step.Token).ConfigureAwait(false);
            await stream.FlushAsync(step.Token).ConfigureAwait(false);
            var parser = new ResponseHeadParser();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var n = await stream.ReadAsync(buffer, step.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return Failed(key, parser.BytesReceived == 0
                        ? T("the server closed the connection without answering the upgrade request", "服务端没有回应升级请求就关闭了连接")
                        : T("the server closed the connection in the middle of its response head", "服务端在响应头发到一半时关闭了连接"));
                }

                var status = parser.Consume(buffer.AsSpan(0, n), out var consumed);
                switch (status)
                {
                    case HeadParseStatus.Complete:
                        return new Exchange(parser.Head, buffer[consumed..n], key, null);
                    case HeadParseStatus.Invalid or HeadParseStatus.TooLarge:
                        return Failed(key, T($"the answer to the upgrade request is not HTTP: {parser.Error}", $"升级请求的回应不是 HTTP：{parser.Error}"));
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(key, T($"no response to the upgrade request within {check.StepTimeout.TotalSeconds:0.#} s", $"{check.StepTimeout.TotalSeconds:0.#} s 内升级请求没有得到回应"));
        }
        catch (IOException ex)
        {
            return Failed(key, T($"the connection broke during the handshake: {ex.Message}", $"握手过程中连接断开：{ex.Message}"));
        }
    }

    private static Exchange Failed(string key, Wsdoctor.Findings.Text message) => new(null, [], key, new OpenFailure(OpenStage.Handshake, message));

    /// <summary>RFC 6455 4.2.2 / 4.1 items 5-6: what a client must check in a 101 before using the connection.</summary>
    public static Wsdoctor.Findings.Text? Validate(ResponseHead head, string key, IReadOnlyList<string> offeredProtocols)
    {
        if (!head.HasToken("Upgrade", "websocket"))
        {
            return T("the 101 response lacks 'Upgrade: websocket'", "101 响应缺少 'Upgrade: websocket'");
        }

        if (!head.HasToken("Connection", "upgrade"))
        {
            return T("the 101 response lacks 'Connection: Upgrade'", "101 响应缺少 'Connection: Upgrade'");
        }

        var accept = head.Get("Sec-WebSocket-Accept");
        var expected = HandshakeKeys.ComputeAccept(key);
        if (accept != expected)
        {
            return accept is null
                ? T("the 101 response has no Sec-WebSocket-Accept", "101 响应没有 Sec-WebSocket-Accept")
                : T($"Sec-WebSocket-Accept is '{accept}', expected '{expected}' (a proxy or server computing it wrongly)", $"Sec-WebSocket-Accept 是 '{accept}'，应为 '{expected}'（代理或服务端算错了）");
        }

        if (head.Get("Sec-WebSocket-Protocol") is { } chosen && !offeredProtocols.Contains(chosen, StringComparer.Ordinal))
        {
            return T($"the server chose subprotocol '{chosen}', which was not offered (RFC 6455 4.1 item 6)", $"服务端选择了客户端没有提供的子协议 '{chosen}'（RFC 6455 4.1 第 6 项）");
        }

        return null;
    }
}
