using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>A peer driver process (tests/peers/…) that prints one JSON object per stdout line. Its stdin stays open
/// until disposal (wscat and the "hold" step end when stdin does); every wait is bounded.</summary>
public sealed class JsonLinesProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly StringBuilder stderr = new();
    private readonly Lock gate = new();
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private TaskCompletionSource changed = NewSignal();
    private volatile bool ended;
    private bool disposed;

    private JsonLinesProcess(Process process, string description)
    {
        this.process = process;
        Description = description;
        stdoutPump = Task.Run(PumpStdoutAsync);
        stderrPump = Task.Run(PumpStderrAsync);
    }

    public string Description { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    public IReadOnlyList<JsonObject> Events => Lines.Select(Parse).OfType<JsonObject>().ToList();

    public string Stderr
    {
        get
        {
            lock (gate)
            {
                return stderr.ToString();
            }
        }
    }

    public static JsonLinesProcess Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The targets are loopback; a proxy from the environment would only get in the way.
        foreach (var name in (string[])["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"])
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var description = $"{program} {string.Join(' ', start.ArgumentList.Select(a => a.Length > 300 ? a[..300] + "…" : a))}";
        return new JsonLinesProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}"), description);
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
        await process.StandardInput.FlushAsync(cancellationToken);
    }

    /// <summary>Waits (bounded) for the first JSON line that matches; fails the test with everything seen otherwise.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                var found = lines.Select(Parse).OfType<JsonObject>().FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                signal = changed.Task;
            }

            if (ended)
            {
                Assert.Fail($"{what}: the peer exited without it\n{this}");
            }

            try
            {
                await signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"{what}: not seen within {timeout.TotalSeconds:0} s\n{this}");
            }
        }
    }

    public Task<JsonObject> WaitForEventAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => (string?)e["event"] == name, $"event {name}", timeout, cancellationToken);

    /// <summary>Waits (bounded) for the process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(stdoutPump, stderrPump).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"the peer did not finish within {timeout.TotalSeconds:0} s\n{this}");
        }

        return process.ExitCode;
    }

    public override string ToString() =>
        $"--- {Description} ---\n{string.Join('\n', Lines)}\n--- stderr ---\n{Stderr}";

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            process.StandardInput.Close();
            if (!process.HasExited)
            {
                // Closing stdin lets a holding peer leave cleanly; kill whatever is left after a short grace.
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    using var reaped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await process.WaitForExitAsync(reaped.Token);
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
        {
            // Already gone or unreapable within the bound; nothing more to do for a test peer.
        }

        process.Dispose();
    }

    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task PumpStdoutAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (gate)
            {
                lines.Add(line);
            }

            Signal();
        }

        ended = true;
        Signal();
    }

    private async Task PumpStderrAsync()
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            lock (gate)
            {
                stderr.Append(line).Append('\n');
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = changed;
            changed = NewSignal();
        }

        previous.TrySetResult();
    }
}
