using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests;

/// <summary>`wsdoctor connect` as a child process in pipe mode: a test writes to its stdin, reads its stdout as it
/// comes (records separated by a newline or NUL), and waits for it to exit, every wait bounded.</summary>
public sealed class ConnectProcess : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _records = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private ConnectProcess(Process process, char separator)
    {
        _process = process;
        _stdoutPump = Task.Run(() => PumpStdoutAsync(separator));
        _stderrPump = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, n);
                }
            }
        });
    }

    public static ConnectProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, char separator = '\n')
    {
        Assert.True(File.Exists(WsdoctorProcess.DllPath), $"{WsdoctorProcess.DllPath} is missing");
        var start = ChildProcess.StartInfo(WsdoctorProcess.DotnetHost, [WsdoctorProcess.DllPath, "connect", .. args], environment);
        return new ConnectProcess(Process.Start(start)!, separator);
    }

    /// <summary>Runs to completion with stdin closed at once (or fed <paramref name="stdin"/> first).</summary>
    public static async Task<CliRun> RunAsync(IEnumerable<string> args, string stdin = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        await process.WriteAsync(stdin);
        process.CloseStdin();
        return await process.ExitAsync();
    }

    public async Task WriteAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    public async Task WriteBytesAsync(byte[] bytes)
    {
        await _process.StandardInput.BaseStream.WriteAsync(bytes);
        await _process.StandardInput.BaseStream.FlushAsync();
    }

    public void CloseStdin() => _process.StandardInput.Close();

    /// <summary>The next stdout record (without its separator).</summary>
    public async Task<string> NextRecordAsync()
    {
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            return await _records.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            Assert.Fail($"no stdout record within {Patience.TotalSeconds:0} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
            throw;
        }
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    public async Task WaitForStderrAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < Patience, $"stderr never showed '{text}':\n{Stderr}");
            Assert.False(_process.HasExited && _stderrPump.IsCompleted, $"exited before stderr showed '{text}':\n{Stderr}");
            await Task.Delay(20);
        }
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async Task<CliRun> ExitAsync()
    {
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"wsdoctor connect did not exit within {Patience.TotalSeconds:0} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
        }

        return new CliRun(_process.ExitCode, Stdout, Stderr);
    }

    private async Task PumpStdoutAsync(char separator)
    {
        var buffer = new char[4096];
        var record = new StringBuilder();
        int n;
        while ((n = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (_stdout)
            {
                _stdout.Append(buffer, 0, n);
            }

            for (var i = 0; i < n; i++)
            {
                if (buffer[i] == separator)
                {
                    _records.Writer.TryWrite(record.ToString());
                    record.Clear();
                }
                else
                {
                    record.Append(buffer[i]);
                }
            }
        }

        _records.Writer.TryComplete();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
