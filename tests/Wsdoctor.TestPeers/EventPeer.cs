using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Wsdoctor.TestPeers;

/// <summary>A scripted peer (tests/peers/servers/*.js, tests/peers/python/*.py) that prints its port first and
/// then one JSON object per thing it saw, so a test can assert what the server really received (a close code,
/// a header) rather than what the client believes it sent. Killed with its children on dispose.</summary>
public sealed class EventPeer : IDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Task _reader;

    private EventPeer(Process process, int port)
    {
        _process = process;
        Port = port;
        _reader = Task.Run(ReadEventsAsync);
    }

    public int Port { get; }

    public static async Task<EventPeer> StartAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = ChildProcess.StartInfo(program, args);

        var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null || !int.TryParse(line, out var port))
            {
                throw new InvalidOperationException($"{program} did not print a port ({line}): {await process.StandardError.ReadToEndAsync(cts.Token)}");
            }

            return new EventPeer(process, port);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public static Task<EventPeer> StartNodeAsync(params string[] args)
    {
        Peers.RequireNodeModule("ws");
        var script = Path.Combine(Peers.NodeProject, "servers", "ws-server.js");
        return StartAsync(Peers.Node, [script, .. args]);
    }

    public static Task<EventPeer> StartPythonAsync(params string[] args)
    {
        Peers.Require(Peers.Python);
        var script = Path.Combine(Peers.NodeProject, "python", "ws_server.py");
        return StartAsync(Peers.Python, [script, .. args]);
    }

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Waits (bounded) for an event named <paramref name="name"/> that also matches <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            foreach (var e in Events)
            {
                if (e.TryGetProperty("event", out var n) && n.GetString() == name && (match is null || match(e)))
                {
                    return e;
                }
            }

            var left = limit - deadline.Elapsed;
            if (left <= TimeSpan.Zero || _reader.IsCompleted && !await _changed.WaitAsync(0))
            {
                Assert.Fail($"the peer reported no '{name}' event within {limit.TotalSeconds:0} s; it saw:\n{string.Join("\n", Events)}");
            }

            await _changed.WaitAsync(left);
        }
    }

    public int Count(string name) => Events.Count(e => e.TryGetProperty("event", out var n) && n.GetString() == name);

    private async Task ReadEventsAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                lock (_events)
                {
                    _events.Add(document.RootElement.Clone());
                }
            }
            catch (JsonException)
            {
                // Not an event line (a library warning); ignore it.
            }

            _changed.Release();
        }
    }

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
