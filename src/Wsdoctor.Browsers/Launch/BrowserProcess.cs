using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Launch;

/// <summary>A running browser: its output lines, and a guarantee that it and every process it started die with us —
/// on dispose, on cancellation (Ctrl-C cancels the command's token), and at process exit as a last resort.</summary>
public sealed class BrowserProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateBounded<string>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly ConcurrentQueue<string> transcript = new();
    private int disposed;

    static BrowserProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Running.Values)
            {
                Kill(p);
            }
        };
    }

    private BrowserProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the browser wrote (stdout and stderr), for error messages.</summary>
    public string Tail => string.Join('\n', transcript.TakeLast(15));

    /// <summary>Runs the browser under a small bash guard that holds our end of a pipe: when wsdoctor dies in any
    /// way (even SIGKILL, where no handler of ours runs), the pipe closes and the guard kills the browser's process
    /// group. The browser keeps running after its controller dies otherwise (Chromium in port mode does).</summary>
    private const string Guard = """
        set -m
        "$@" </dev/null &
        browser=$!
        trap 'kill -KILL -- -"$browser" 2>/dev/null; kill -KILL "$browser" 2>/dev/null' EXIT HUP INT TERM
        while kill -0 "$browser" 2>/dev/null; do
          if read -r -t 1 _; then :; else [ $? -gt 128 ] || break; fi
        done
        """;

    public static BrowserProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var bash = File.Exists("/bin/bash") ? "/bin/bash" : null;
        var start = new ProcessStartInfo(bash ?? executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        if (bash is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Guard);
            start.ArgumentList.Add("wsdoctor-browser-guard");
            start.ArgumentList.Add(executable);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var browser = new BrowserProcess(process);
        process.OutputDataReceived += (_, e) => browser.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => browser.OnLine(e.Data);
        process.Exited += (_, _) => browser.lines.Writer.TryComplete();
        if (!process.Start())
        {
            throw new BrowserMissingException(T($"{executable} did not start", $"{executable} 未能启动"));
        }

        Running[process.Id] = process;
        if (bash is null)
        {
            process.StandardInput.Close();
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return browser;
    }

    /// <summary>Waits for the first output line that matches; null when the browser exits first.</summary>
    /// <exception cref="TimeoutException">No such line within the timeout.</exception>
    public async Task<Match?> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cts.Token).ConfigureAwait(false))
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the browser printed no line matching '{pattern}' within {timeout.TotalSeconds:0} s");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        transcript.Enqueue(line);
        while (transcript.Count > 200 && transcript.TryDequeue(out _))
        {
        }

        lines.Writer.TryWrite(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // EOF for the guard: it kills the browser's process group itself.
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Not redirected, or already closed.
        }

        Kill(process);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed with SIGKILL; nothing more can be done.
        }

        Running.TryRemove(process.Id, out _);
        process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                // The whole tree: Chromium's zygote, renderer and GPU processes; Firefox's content processes.
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
