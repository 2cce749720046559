using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Http;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Net;

/// <summary>What the proxy answered to CONNECT. On success the stream is a tunnel to the target; on failure
/// <see cref="Head"/> (if any) is the proxy's refusal (403, 407...) and <see cref="Error"/> says what happened.</summary>
public sealed record TunnelResult(bool Established, ResponseHead? Head, byte[] Leftover, double Ms, Text? Error)
{
    public int? StatusCode => Head?.StatusCode;
}

/// <summary>Opens a CONNECT tunnel (RFC 9110 9.3.6) through an HTTP proxy, with Basic credentials when the proxy URL
/// carries them (RFC 9110 11.7.1, Proxy-Authorization).</summary>
public static class HttpConnectTunnel
{
    private const int MaxHead = 16 * 1024;

    public static string RequestHead(string host, int port, ProxyEndpoint proxy)
    {
        var authority = $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}";
        var head = new StringBuilder()
            .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n")
            .Append("User-Agent: wsdoctor\r\n");
        if (proxy.User is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{proxy.User}:{proxy.Password}"));
            head.Append("Proxy-Authorization: Basic ").Append(credentials).Append("\r\n");
        }

        return head.Append("\r\n").ToString();
    }

    public static async Task<TunnelResult> OpenAsync(Stream toProxy, string host, int port, ProxyEndpoint proxy, TimeSpan timeout, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var parser = new ResponseHeadParser(MaxHead);
        var buffer = new byte[4096];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await toProxy.WriteAsync(Encoding.ASCII.GetBytes(RequestHead(host, port, proxy)), cts.Token).ConfigureAwait(false);
            await toProxy.FlushAsync(cts.Token).ConfigureAwait(false);
            while (true)
            {
                var n = await toProxy.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return new TunnelResult(false, null, [], Ms(start), T("the proxy closed the connection without answering CONNECT", "代理没有响应 CONNECT 就关闭了连接"));
                }

                var status = parser.Consume(buffer.AsSpan(0, n), out var consumed);
                switch (status)
                {
                    case HeadParseStatus.NeedMoreData:
                        continue;
                    case HeadParseStatus.Complete:
                        var head = parser.Head!;
                        var leftover = buffer[consumed..n];
                        if (head.StatusCode is < 200 or >= 300)
                        {
                            return new TunnelResult(false, head, leftover, Ms(start),
                                T($"the proxy answered {head.StatusCode} {head.Reason}".TrimEnd(), $"代理返回了 {head.StatusCode} {head.Reason}".TrimEnd()));
                        }

                        // Neither TLS nor a WebSocket upgrade lets the server speak first, so bytes here are the proxy's own.
                        return leftover.Length == 0
                            ? new TunnelResult(true, head, leftover, Ms(start), null)
                            : new TunnelResult(false, head, leftover, Ms(start),
                                T($"the proxy sent {leftover.Length} bytes after its {head.StatusCode} before the target could speak: {Protocol.ByteEvidence.Snippet(leftover, 64)}",
                                  $"代理在返回 {head.StatusCode} 之后、目标服务端发出数据之前，多发了 {leftover.Length} 字节：{Protocol.ByteEvidence.Snippet(leftover, 64)}"));
                    default:
                        return new TunnelResult(false, null, [], Ms(start), T($"the proxy's answer is not HTTP: {parser.Error}", $"代理的响应不是 HTTP：{parser.Error}"));
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new TunnelResult(false, null, [], Ms(start), T($"no answer to CONNECT within {timeout.TotalSeconds:0.#} s", $"{timeout.TotalSeconds:0.#} s 内 CONNECT 没有得到响应"));
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return new TunnelResult(false, null, [], Ms(start), T($"connection to the proxy failed: {ExceptionText.Chain(ex)}", $"连接代理失败：{ExceptionText.Chain(ex)}"));
        }
    }

    private static double Ms(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
