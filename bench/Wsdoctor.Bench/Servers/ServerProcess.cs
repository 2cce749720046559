using System.Diagnostics;
using System.Text.Json;

namespace Wsdoctor.Bench.Servers;

/// <summary>A server under test in its own process. Its stdout and stderr are drained for its whole life (a full
/// pipe would stall a server that logs each connection); the readiness line gives the URL, and wsdoctor's
/// accept/close log events are counted so the bench can cross-check what the server saw.</summary>
public sealed class ServerProcess : IDisposable
{
    private const int KeptLines = 20;

    private readonly Process process;
    private readonly TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> lastLines = new();
    private readonly Lock gate = new();
    private Uri? listenUrl;
    private long accepts;
    private long closes;
    private long lines;

    private ServerProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int Pid => process.Id;

    public Uri Url => ready.Task.Result;

    public long AcceptEvents => Interlocked.Read(ref accepts);

    public long CloseEvents => Interlocked.Read(ref closes);

    public long LogLines => Interlocked.Read(ref lines);

    /// <summary>`dotnet wsdoctor.dll serve ...`: ready after its JSON `ready` event, at the URL of its `listen` event.</summary>
    public static Task<ServerProcess> StartWsdoctorAsync(string dotnet, string dll, IReadOnlyList<string> serveArguments, TimeSpan timeout, CancellationToken ct) =>
        StartAsync("wsdoctor", dotnet, [dll, "serve", .. serveArguments], readyOnStderr: true, timeout, ct);

    /// <summary>A peer from bench/peers (Node ws, gorilla, Python websockets, the C TCP echo): ready after its
    /// `listening URL` line on stdout.</summary>
    public static Task<ServerProcess> StartPeerAsync(string name, string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct) =>
        StartAsync(name, program, arguments, readyOnStderr: false, timeout, ct);

    public string Describe()
    {
        lock (gate)
        {
            return $"{Name} (pid {(process.HasExited ? "exited " + process.ExitCode : process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))}), last output:\n  {string.Join("\n  ", lastLines)}";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }

        process.Dispose();
    }

    private static async Task<ServerProcess> StartAsync(
        string name, string program, IReadOnlyList<string> arguments, bool readyOnStderr, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var server = new ServerProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}"));
        server.process.StandardInput.Close();
        _ = server.PumpAsync(server.process.StandardOutput, fromStderr: false, readyOnStderr);
        _ = server.PumpAsync(server.process.StandardError, fromStderr: true, readyOnStderr);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await server.ready.Task.WaitAsync(cts.Token).ConfigureAwait(false);
            return server;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            var what = server.Describe();
            server.Dispose();
            var problem = ex is OperationCanceledException ? $"did not become ready within {timeout.TotalSeconds:0} s" : "ended before it was ready";
            throw new InvalidOperationException($"{name} {problem}: {what}", ex);
        }
    }

    private async Task PumpAsync(StreamReader reader, bool fromStderr, bool readyOnStderr)
    {
        // Ends at EOF, i.e. when the process exits.
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            Interlocked.Increment(ref lines);
            lock (gate)
            {
                lastLines.Enqueue(line);
                if (lastLines.Count > KeptLines)
                {
                    lastLines.Dequeue();
                }
            }

            if (fromStderr == readyOnStderr && !ready.Task.IsCompleted)
            {
                Watch(line, readyOnStderr);
            }
            else if (line.Contains("\"event\":\"accept\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref accepts);
            }
            else if (line.Contains("\"event\":\"close\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref closes);
            }
        }

        if (fromStderr == readyOnStderr)
        {
            ready.TrySetException(new InvalidOperationException($"{Name} closed its output before it was ready"));
        }
    }

    private void Watch(string line, bool json)
    {
        if (!json)
        {
            const string prefix = "listening ";
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(new Uri(line[prefix.Length..].Trim()));
            }

            return;
        }

        if (!line.StartsWith('{'))
        {
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var ev = doc.RootElement.TryGetProperty("event", out var e) ? e.GetString() : null;
            if (ev == "listen" && doc.RootElement.TryGetProperty("url", out var url) && listenUrl is null)
            {
                listenUrl = new Uri(url.GetString()!);
            }
            else if (ev == "ready" && listenUrl is not null)
            {
                ready.TrySetResult(listenUrl);
            }
        }
        catch (JsonException)
        {
            // Not a log event; kept in lastLines for the error message.
        }
    }
}
