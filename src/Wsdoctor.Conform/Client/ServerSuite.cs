using System.Diagnostics;
using System.Security.Authentication;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Conform.Client;

/// <summary><c>conform server</c>: Autobahn's fuzzingclient. Each case gets its own connection; independent cases
/// run in parallel, the heaviest first so the light ones fill the gaps.</summary>
public static class ServerSuite
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(ServerTarget target, IReadOnlyList<ConformCase> cases, string agent, int parallel,
        Action<CaseResult>? completed, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(parallel);
        var results = new List<CaseResult>();
        var tasks = cases.OrderByDescending(c => c.Weight).Select(async conformCase =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var result = await RunOneAsync(target, conformCase, agent, ct).ConfigureAwait(false);
                lock (results)
                {
                    results.Add(result);
                }

                completed?.Invoke(result);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Interrupted: what finished is reported.
        }

        lock (results)
        {
            return [.. results.OrderBy(r => r.Id, Comparer<string>.Create(ConformCase.Compare))];
        }
    }

    public static async Task<CaseResult> RunOneAsync(ServerTarget target, ConformCase conformCase, string agent, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (conformCase.Handshake is { } handshake)
        {
            var probe = new HandshakeProbe($"{target.Host}:{target.Port}", target.ConnectAsync, target.HostHeader, target.PathAndQuery, ct);
            await using (probe.ConfigureAwait(false))
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var verdict = await handshake(probe).ConfigureAwait(false);
                return new CaseResult
                {
                    Id = conformCase.Id,
                    Agent = agent,
                    Behavior = verdict.Behavior,
                    BehaviorClose = verdict.Behavior == Grades.Failed ? Grades.Failed : Grades.Ok,
                    Result = verdict.Result,
                    ResultClose = "Handshake case: no closing handshake is graded.",
                    DurationMs = clock.ElapsedMilliseconds,
                    WireLog = probe.Log.Entries,
                    HttpRequest = probe.LastRequest,
                    HttpResponse = probe.LastResponse,
                };
            }
        }

        var (connection, problem, request, response) = await OpenAsync(target, conformCase.Offers, ct).ConfigureAwait(false);
        if (connection is null)
        {
            return CaseExecution.HandshakeFailed(conformCase, agent, clock.ElapsedMilliseconds, problem!, request, response);
        }

        return await CaseExecution.RunAsync(conformCase, connection, FuzzerRole.Client, agent, clock, ct).ConfigureAwait(false);
    }

    /// <summary>The opening handshake of RFC 6455 4.1, checked as a client must (4.2.2 / 4.1 items 1-6 of the
    /// response validation); with permessage-deflate offers when the case has them.</summary>
    private static async Task<(OpenedConnection? Connection, string? Problem, string? Request, string? Response)> OpenAsync(
        ServerTarget target, IReadOnlyList<DeflateOffer>? offers, CancellationToken ct)
    {
        Transport? transport = null;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(HandshakeTimeout);
        var key = HandshakeKeys.NewKey();
        var headers = new List<HttpHeader> { new("User-Agent", "wsdoctor-conform") };
        if (offers is { Count: > 0 })
        {
            headers.Add(new HttpHeader("Sec-WebSocket-Extensions", string.Join(", ", offers.Select(o => o.HeaderElement()))));
        }

        var request = UpgradeRequest.Build(target.HostHeader, target.PathAndQuery, key, headers);
        try
        {
            transport = await target.ConnectAsync(limit.Token).ConfigureAwait(false);
            await transport.Stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request), limit.Token).ConfigureAwait(false);
            var parser = new ResponseHeadParser();
            var buffer = new byte[16 * 1024];
            // Bounded by the handshake timeout and the parser's head size limit.
            while (true)
            {
                int read = await transport.Stream.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    return (null, "the server closed the connection without a response", request, null);
                }

                var status = parser.Consume(buffer.AsSpan(0, read), out int consumed);
                if (status is HeadParseStatus.Invalid or HeadParseStatus.TooLarge)
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    return (null, parser.Error, request, null);
                }

                if (status != HeadParseStatus.Complete)
                {
                    continue;
                }

                var head = parser.Head!;
                var problem = ResponseProblem(head, key);
                DeflateAgreement? agreement = null;
                if (problem is null)
                {
                    (agreement, problem) = DeflateNegotiation.JudgeResponse(offers ?? [], head.GetAll("Sec-WebSocket-Extensions"));
                    if (problem is null && agreement is not null && offers is not { Count: > 0 })
                    {
                        problem = "the server accepted permessage-deflate, which was not offered (RFC 6455 9.1)";
                    }
                }

                if (problem is not null)
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    return (null, problem, request, head.RawText);
                }

                return (new OpenedConnection(transport, buffer.AsSpan(consumed, read - consumed).ToArray(), agreement, request, head.RawText), null, request, head.RawText);
            }
        }
        catch (Exception e) when ((Transport.IsNetworkError(e) || e is OperationCanceledException) && !ct.IsCancellationRequested)
        {
            if (transport is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }

            return (null, e is OperationCanceledException ? $"no response within {HandshakeTimeout.TotalSeconds:0} s" : $"cannot connect to {target.Host}:{target.Port}: {Describe(e)}", request, null);
        }
    }

    private static string? ResponseProblem(ResponseHead head, string key)
    {
        if (head.StatusCode != 101)
        {
            return $"the server answered {head.StatusCode} {head.Reason} instead of 101";
        }

        if (!head.HasToken("Upgrade", "websocket") || !head.HasToken("Connection", "upgrade"))
        {
            return "the 101 lacks Upgrade: websocket or Connection: Upgrade (RFC 6455 4.1)";
        }

        return head.Get("Sec-WebSocket-Accept") == HandshakeKeys.ComputeAccept(key) ? null : "Sec-WebSocket-Accept is wrong (RFC 6455 4.1)";
    }

    /// <summary>Checks that something answers at the URL (and for wss:// completes a TLS handshake with an accepted
    /// certificate) before running hundreds of cases against it.</summary>
    public static async Task<Text?> ReachableAsync(ServerTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(HandshakeTimeout);
        try
        {
            var transport = await target.ConnectAsync(limit.Token).ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when ((Transport.IsNetworkError(e) || e is OperationCanceledException) && !ct.IsCancellationRequested)
        {
            var shown = target.ToString();
            var hint = e is AuthenticationException && target.Tls is { Insecure: false }
                ? T($" (check it with: wsdoctor check {shown}; --ca FILE trusts a private CA, --insecure skips the check)", $"（可以用 wsdoctor check {shown} 检查；--ca FILE 信任私有 CA，--insecure 跳过证书检查）")
                : Text.Empty;
            var why = e is OperationCanceledException ? T("timed out", "超时") : Describe(e);
            var endpoint = $"{target.Host}:{target.Port}";
            return T($"cannot connect to {endpoint}: {why}{hint}", $"无法连接到 {endpoint}：{why}{hint}");
        }
    }

    /// <summary>The innermost message: SslStream wraps the reason (certificate, alert) in a generic one.</summary>
    private static Text Describe(Exception e)
    {
        var message = e is AuthenticationException { InnerException: { } inner } ? $"{e.Message} {inner.Message}" : e.Message;
        return e is AuthenticationException ? T($"TLS handshake failed: {message}", $"TLS 握手失败：{message}") : Verbatim(message);
    }
}
