using System.Diagnostics;
using System.Text;

namespace Wsdoctor.TestPeers;

/// <summary>A child process that keeps running while a test talks to it (a server, a client session): its
/// stdout and stderr are collected line by line as they come, a test can await a line, write to stdin, and send
/// it a POSIX signal. Killed with its children on dispose if still running.</summary>
public sealed class LongRunningProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly LineLog stdout = new();
    private readonly LineLog stderr = new();
    private readonly Task pumps;

    private LongRunningProcess(Process process)
    {
        this.process = process;
        pumps = Task.WhenAll(Pump(process.StandardOutput, stdout), Pump(process.StandardError, stderr));
    }

    public int Id => process.Id;

    public LineLog Stdout => stdout;

    public LineLog Stderr => stderr;

    public StreamWriter Stdin => process.StandardInput;

    public bool HasExited => process.HasExited;

    /// <summary>Starts <paramref name="program"/> with stdin, stdout and stderr redirected (UTF-8), proxies and
    /// colour variables cleared.</summary>
    public static LongRunningProcess Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = ChildProcess.StartInfo(program, args, environment);
        return new LongRunningProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}"));
    }

    /// <summary>Sends a POSIX signal (e.g. <see cref="SigTerm"/>), as <c>kill</c> or a service manager would.</summary>
    public void Signal(int signal)
    {
        // kill(1) rather than P/Invoke: this library stays free of unsafe code.
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal.ToString(System.Globalization.CultureInfo.InvariantCulture), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        if (!kill.WaitForExit(10_000) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed");
        }
    }

    public const int SigInt = 2;

    public const int SigTerm = 15;

    /// <summary>Waits (bounded) for the exit and for the output to be read to the end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            await pumps.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process {process.Id} did not exit within {timeout}\n--- stderr ---\n{stderr}\n--- stdout ---\n{stdout}");
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or stuck beyond saving; the OS reaps it.
        }

        process.Dispose();
    }

    private static async Task Pump(StreamReader reader, LineLog log)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            log.Add(line);
        }

        log.Complete();
    }
}

/// <summary>Lines as they arrive, awaitable.</summary>
public sealed class LineLog
{
    private readonly Lock gate = new();
    private readonly List<string> lines = [];
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool completed;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return lines.ToList();
            }
        }
    }

    public void Add(string line)
    {
        TaskCompletionSource old;
        lock (gate)
        {
            lines.Add(line);
            old = signal;
            signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    public void Complete()
    {
        TaskCompletionSource old;
        lock (gate)
        {
            completed = true;
            old = signal;
        }

        old.TrySetResult();
    }

    /// <summary>The first line (from the start) that matches, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (lines.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                if (completed)
                {
                    throw new InvalidOperationException($"the output ended without {what}:\n{string.Join('\n', lines)}");
                }

                next = signal.Task;
            }

            try
            {
                await next.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {what} within {timeout}:\n{ToString()}");
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            return string.Join('\n', lines);
        }
    }
}
