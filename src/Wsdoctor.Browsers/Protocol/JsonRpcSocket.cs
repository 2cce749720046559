using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Wsdoctor.Client.Opening;
using Wsdoctor.Probes;

namespace Wsdoctor.Browsers.Protocol;

/// <summary>A command the browser answered with an error.</summary>
public sealed class BrowserProtocolException(string method, string message) : Exception($"{method}: {message}")
{
    public string Method { get; } = method;
}

/// <summary>One JSON message stream over a WebSocket, as both the Chrome DevTools protocol and WebDriver BiDi use it:
/// commands carry an id and get exactly one answer with that id; everything else is an event. The WebSocket is
/// wsdoctor's own client (the one behind <c>connect</c>), opened to the browser's loopback endpoint.</summary>
public sealed class JsonRpcSocket : IAsyncDisposable
{
    /// <summary>Larger than any message a page run produces; a runaway browser cannot make us buffer more.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly OpenedConnection connection;
    private readonly Func<JsonObject, string?> errorOf;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> pending = new();
    private readonly Channel<JsonObject> events = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task receiving;
    private long nextId;

    private JsonRpcSocket(OpenedConnection connection, Func<JsonObject, string?> errorOf)
    {
        this.connection = connection;
        this.errorOf = errorOf;
        receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Events in arrival order.</summary>
    public ChannelReader<JsonObject> Events => events.Reader;

    /// <summary>Why the connection ended, once it has.</summary>
    public string? Closed { get; private set; }

    /// <param name="errorOf">Returns the error text of an answer, or null for a success.</param>
    public static async Task<JsonRpcSocket> ConnectAsync(Uri endpoint, Func<JsonObject, string?> errorOf, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = new OpenOptions
        {
            Check = new CheckOptions { Url = endpoint.ToString(), StepTimeout = timeout, Deadline = timeout, NoProxy = true, NoFollowUpProbes = true },
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var opened = await Opener.OpenAsync(options, cts.Token).ConfigureAwait(false);
        if (opened.Connection is not { } connection)
        {
            throw new IOException($"cannot open the browser's control connection {endpoint}: {opened.Failure?.Message}");
        }

        return new JsonRpcSocket(connection, errorOf);
    }

    /// <summary>Sends a command and waits for its answer's result.</summary>
    /// <exception cref="BrowserProtocolException">The browser answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer in time.</exception>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, TimeSpan timeout, CancellationToken cancellationToken, Action<JsonObject>? decorate = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        decorate?.Invoke(message);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.Socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                sendLock.Release();
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            JsonObject reply;
            try
            {
                reply = await answer.Task.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the browser did not answer {method} within {timeout.TotalSeconds:0.#} s");
            }

            if (errorOf(reply) is { } error)
            {
                throw new BrowserProtocolException(method, error);
            }

            return reply["result"] as JsonObject ?? new JsonObject();
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await connection.Socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed = $"the browser closed the control connection ({result.CloseStatus})";
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    Closed = "a message from the browser exceeded 64 MiB";
                    break;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject;
                message.SetLength(0);
                if (node is null)
                {
                    continue;
                }

                if (node["id"] is JsonValue idValue && idValue.TryGetValue<long>(out var id) && pending.TryGetValue(id, out var waiter))
                {
                    waiter.TrySetResult(node);
                }
                else if (node["method"] is not null)
                {
                    events.Writer.TryWrite(node);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or System.Text.Json.JsonException)
        {
            Closed ??= stop.IsCancellationRequested ? "closed" : $"the control connection broke: {e.Message}";
        }
        finally
        {
            events.Writer.TryComplete();
            foreach (var waiter in pending.Values)
            {
                waiter.TrySetException(new IOException(Closed ?? "the control connection closed"));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await receiving.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The socket is torn down below anyway.
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        sendLock.Dispose();
        stop.Dispose();
    }
}
