using System.Text.Json.Nodes;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>A peer driver process (tests/peers/…) that prints one JSON object per stdout line, over
/// <see cref="LongRunningProcess"/>. Its stdin stays open until disposal (wscat and the "hold" step end when stdin
/// does); every wait is bounded and a failed wait fails the test with everything the peer printed.</summary>
public sealed class JsonLinesProcess : IAsyncDisposable
{
    private readonly LongRunningProcess process;
    private bool disposed;

    private JsonLinesProcess(LongRunningProcess process, string description)
    {
        this.process = process;
        Description = description;
    }

    public string Description { get; }

    public IReadOnlyList<string> Lines => process.Stdout.Lines;

    public IReadOnlyList<JsonObject> Events => Lines.Select(Parse).OfType<JsonObject>().ToList();

    public string Stderr => process.Stderr.ToString();

    public static JsonLinesProcess Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = args.ToList();
        var description = $"{program} {string.Join(' ', list.Select(a => a.Length > 300 ? a[..300] + "…" : a))}";
        return new JsonLinesProcess(LongRunningProcess.Start(program, list, environment), description);
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await process.Stdin.WriteLineAsync(line.AsMemory(), cancellationToken);
        await process.Stdin.FlushAsync(cancellationToken);
    }

    /// <summary>Waits (bounded) for the first JSON line that matches; fails the test with everything seen otherwise.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var line = await process.Stdout.WaitForAsync(l => Parse(l) is { } o && match(o), timeout, what);
            return Parse(line)!;
        }
        catch (InvalidOperationException)
        {
            Assert.Fail($"{what}: the peer exited without it\n{this}");
            throw;
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: not seen within {timeout.TotalSeconds:0} s\n{this}");
            throw;
        }
    }

    public Task<JsonObject> WaitForEventAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => (string?)e["event"] == name, $"event {name}", timeout, cancellationToken);

    /// <summary>Waits (bounded) for the process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await process.WaitForExitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the peer did not finish within {timeout.TotalSeconds:0} s\n{this}");
            throw;
        }
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
            // Closing stdin lets a holding peer leave cleanly; whatever is left after a short grace is killed.
            process.Stdin.Close();
            if (!process.HasExited)
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(3));
            }
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            // Still running or already gone: the dispose below kills what is left.
        }

        await process.DisposeAsync();
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
}
