using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Protocol.Net;

namespace Wsdoctor.Conform.Harness;

/// <summary><c>conform client</c>: Autobahn's fuzzingserver. Speaks the harness protocol that libraries' client test
/// scripts use, each request a WebSocket connection: <c>/getCaseCount</c> (a text message with the count),
/// <c>/getCaseInfo?case=N</c> (JSON id and description), <c>/runCase?case=N&amp;agent=A</c> (case N played
/// against the client, which echoes), <c>/getCaseStatus?case=N&amp;agent=A</c> (JSON behavior) and
/// <c>/updateReports?agent=A</c> (reports written). Results are kept per agent.</summary>
public sealed class FuzzingServer : IAsyncDisposable
{
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener listener;
    private readonly SslStreamCertificateContext? certificate;
    private readonly IReadOnlyList<ConformCase> cases;
    private readonly List<string> ids;
    private readonly Dictionary<string, Dictionary<string, CaseResult>> results = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private AcceptLoop? accepting;
    private int running;

    /// <param name="certificate">Serve wss:// with it (the client connects with TLS); null: ws://.</param>
    public FuzzingServer(IPEndPoint endpoint, IReadOnlyList<ConformCase> cases, SslStreamCertificateContext? certificate = null)
    {
        this.cases = cases;
        this.certificate = certificate;
        ids = [.. cases.Select(c => c.Id)];
        listener = new TcpListener(endpoint);
    }

    /// <summary>A case finished for an agent.</summary>
    public event Action<CaseResult>? CaseCompleted;

    /// <summary>A client asked for <c>/updateReports</c>; the handler writes the reports (its agent, or null for all).</summary>
    public Func<string?, Task>? ReportsRequested { get; set; }

    /// <summary>The <c>/updateReports</c> connection is over (closed by both sides, or the close timed out): a harness
    /// that exits after its report can go without cutting that connection.</summary>
    public Action? ReportsAnswered { get; set; }

    public IPEndPoint LocalEndpoint => (IPEndPoint)listener.LocalEndpoint;

    public void Start()
    {
        listener.Start();
        accepting = new AcceptLoop(listener, HandleAsync, stop.Token);
    }

    /// <summary>Every result so far, all agents.</summary>
    public IReadOnlyList<CaseResult> Results
    {
        get
        {
            lock (results)
            {
                return [.. results.Values.SelectMany(r => r.Values)];
            }
        }
    }

    private async Task HandleAsync(Socket accepted)
    {
        accepted.NoDelay = true;
        var clock = Stopwatch.StartNew();
        Transport socket;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            handshake.CancelAfter(HeadTimeout);
            socket = certificate is null ? Transport.Plain(accepted) : await Transport.AcceptTlsAsync(accepted, certificate, handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Transport.IsNetworkError(e) || e is OperationCanceledException)
        {
            // A client that does not speak TLS to a TLS harness, or hangs up during the handshake.
            accepted.Dispose();
            return;
        }

        try
        {
            var (head, leftover) = await ReadHeadAsync(socket).ConfigureAwait(false);
            if (head is null)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
                return;
            }

            var request = HarnessRequest.Parse(head.Target);
            var key = head.Get("Sec-WebSocket-Key");
            if (!head.HasToken("Upgrade", "websocket") || key is null)
            {
                await RespondAsync(socket, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nwsdoctor conform client speaks Autobahn's harness protocol over WebSocket: /getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A\n").ConfigureAwait(false);
                return;
            }

            switch (request.Path)
            {
                case "/getCaseCount":
                    await ReplyAsync(socket, key, cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    break;
                case "/getCaseInfo" when request.CaseNumber(ids) is { } n:
                    await ReplyAsync(socket, key, new JsonObject { ["id"] = ids[n - 1], ["description"] = cases[n - 1].Description }.ToJsonString()).ConfigureAwait(false);
                    break;
                case "/getCaseStatus" when request.CaseNumber(ids) is { } n:
                    await ReplyAsync(socket, key, new JsonObject { ["behavior"] = Status(request.Agent ?? "", ids[n - 1]) }.ToJsonString()).ConfigureAwait(false);
                    break;
                case "/runCase" when request.CaseNumber(ids) is { } n:
                    Interlocked.Increment(ref running);
                    try
                    {
                        await RunCaseAsync(socket, head, key, leftover, cases[n - 1], request.Agent is { Length: > 0 } agent ? agent : "client", clock).ConfigureAwait(false);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref running);
                    }

                    break;
                case "/updateReports":
                    // Accepted at once, closed once the reports are written (as Autobahn does): writing them can take
                    // longer than a client's handshake timeout (Python websockets: 10 s) on a loaded machine.
                    try
                    {
                        await ReplyAsync(socket, key, null, () => UpdateReportsAsync(request.Agent)).ConfigureAwait(false);
                    }
                    finally
                    {
                        ReportsAnswered?.Invoke();
                    }

                    break;
                default:
                    await RespondAsync(socket, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" +
                        $"unknown harness request {head.Target}; cases are 1-{cases.Count}\n").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string Status(string agent, string id)
    {
        lock (results)
        {
            return results.TryGetValue(agent, out var byId) && byId.TryGetValue(id, out var r) ? r.Behavior : "UNKNOWN";
        }
    }

    private async Task RunCaseAsync(Transport socket, RequestHead head, string key, byte[] leftover, ConformCase conformCase, string agent, Stopwatch clock)
    {
        string? extensions = null;
        DeflateAgreement? agreement = null;
        foreach (var rule in conformCase.AcceptRules ?? [])
        {
            if (DeflateNegotiation.Accept(head.GetAll("Sec-WebSocket-Extensions"), rule) is { } accepted)
            {
                (extensions, agreement) = accepted;
                break;
            }
        }

        var response = Upgrade(key, extensions);
        await socket.Stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop.Token).ConfigureAwait(false);
        var connection = new OpenedConnection(socket, leftover, agreement, head.RawText, response);
        var result = await CaseExecution.RunAsync(conformCase, connection, FuzzerRole.Server, agent, clock, stop.Token).ConfigureAwait(false);
        lock (results)
        {
            if (!results.TryGetValue(agent, out var byId))
            {
                results[agent] = byId = new Dictionary<string, CaseResult>(StringComparer.Ordinal);
            }

            byId[result.Id] = result;
        }

        CaseCompleted?.Invoke(result);
    }

    private static string Upgrade(string key, string? extensions) =>
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {HandshakeKeys.ComputeAccept(key)}\r\nServer: wsdoctor-conform\r\n" +
        (extensions is null ? "" : $"Sec-WebSocket-Extensions: {extensions}\r\n") + "\r\n";

    /// <summary><c>/updateReports</c>' work, between its 101 and its Close: the cases in flight finish (bounded), then
    /// the handler writes the reports.</summary>
    private async Task UpdateReportsAsync(string? agent)
    {
        // The client sees a case's close before the case is graded: let the cases in flight finish.
        for (var waited = Stopwatch.StartNew(); Volatile.Read(ref running) > 0 && waited.Elapsed < CaseRun.CloseTimeout * 3;)
        {
            await Task.Delay(10, stop.Token).ConfigureAwait(false);
        }

        if (ReportsRequested is { } write)
        {
            await write(agent).ConfigureAwait(false);
        }
    }

    /// <summary>The small harness answers: 101, then <paramref name="work"/> (if any), an optional text message, a Close
    /// 1000, the client's Close (bounded from after the work), TCP closed.</summary>
    private async Task ReplyAsync(Transport socket, string key, string? text, Func<Task>? work = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        limit.CancelAfter(CaseRun.CloseTimeout);
        try
        {
            await socket.Stream.WriteAsync(Encoding.ASCII.GetBytes(Upgrade(key, null)), limit.Token).ConfigureAwait(false);
            if (work is not null)
            {
                limit.CancelAfter(Timeout.InfiniteTimeSpan);
                try
                {
                    await work().ConfigureAwait(false);
                }
                finally
                {
                    // The close is bounded from here, after the work, not from the upgrade.
                    limit.CancelAfter(CaseRun.CloseTimeout);
                }
            }

            if (text is not null)
            {
                await socket.Stream.WriteAsync(FrameWriter.Build(Opcode.Text, Encoding.UTF8.GetBytes(text), mask: false), limit.Token).ConfigureAwait(false);
            }

            await socket.Stream.WriteAsync(FrameWriter.BuildClose(1000, "", mask: false), limit.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            var reader = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true });
            var events = new List<FrameEvent>();
            // Bounded by the close timeout: read until the client's Close arrives or it hangs up.
            while (!events.OfType<CloseReceived>().Any() && !reader.IsFaulted)
            {
                int read = await socket.Stream.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                reader.Consume(buffer.AsSpan(0, read), events);
            }
        }
        catch (Exception e) when (Transport.IsNetworkError(e) || e is OperationCanceledException)
        {
            // The client went away early or never closed: the answer was sent.
        }
        finally
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task RespondAsync(Transport socket, string response)
    {
        await using (socket.ConfigureAwait(false))
        {
            using var limit = new CancellationTokenSource(CaseRun.CloseTimeout);
            await socket.Stream.WriteAsync(Encoding.UTF8.GetBytes(response), limit.Token).ConfigureAwait(false);
            socket.Socket.Shutdown(SocketShutdown.Both);
        }
    }

    private async Task<(RequestHead? Head, byte[] Leftover)> ReadHeadAsync(Transport socket)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        limit.CancelAfter(HeadTimeout);
        var parser = new RequestHeadParser(64 * 1024);
        var buffer = new byte[16 * 1024];
        // Bounded by the head timeout and the parser's size limit.
        while (true)
        {
            int read = await socket.Stream.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, []);
            }

            var status = parser.Consume(buffer.AsSpan(0, read), out int consumed);
            if (status == HeadParseStatus.Complete)
            {
                return (parser.Head, buffer.AsSpan(consumed, read - consumed).ToArray());
            }

            if (status != HeadParseStatus.NeedMoreData)
            {
                await RespondAsync(socket, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
                return (null, []);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        if (accepting is not null)
        {
            await accepting.Task.ConfigureAwait(false);
            await Task.WhenAll(accepting.Running()).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        stop.Dispose();
    }
}
