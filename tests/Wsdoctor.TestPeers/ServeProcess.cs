namespace Wsdoctor.TestPeers;

/// <summary><c>wsdoctor serve</c> as a child process, for any test that needs a real server to talk to:
/// started on a free port, ready once it logged <c>event=ready</c>, stopped with SIGTERM (graceful, exit 0).
/// wsdoctor.dll must sit next to the test assembly (reference src/Wsdoctor.Cli from the test project).</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ServeProcess(LongRunningProcess process, IReadOnlyList<Uri> urls)
    {
        Process = process;
        Urls = urls;
    }

    public LongRunningProcess Process { get; }

    /// <summary>The ws:// or wss:// URLs from the listen lines, in order.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The first WebSocket URL.</summary>
    public Uri Url => Urls[0];

    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "wsdoctor.dll");

    /// <summary>The dotnet host running the tests, so the child uses the same runtime.</summary>
    public static string DotnetHost { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <c>wsdoctor serve ARGS</c>; without a --listen argument, <c>--listen 127.0.0.1:0</c> is added.
    /// Waits for <c>event=ready</c> (text log format) and collects the listen URLs.</summary>
    public static Task<ServeProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(DllPath))
        {
            throw new InvalidOperationException($"{DllPath} is missing: reference src/Wsdoctor.Cli from the test project");
        }

        return StartAsync(DotnetHost, [DllPath], args, environment);
    }

    /// <summary>The same with another wsdoctor: <paramref name="program"/> and the arguments before <c>serve</c>
    /// (the Native AOT binary takes none).</summary>
    public static async Task<ServeProcess> StartAsync(string program, IReadOnlyList<string> programArgs, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = args.ToList();
        if (!list.Contains("--listen"))
        {
            list.InsertRange(0, ["--listen", "127.0.0.1:0"]);
        }

        var process = LongRunningProcess.Start(program, [.. programArgs, "serve", .. list], environment);
        try
        {
            await process.Stderr.WaitForAsync(IsReady, StartTimeout, "event=ready").ConfigureAwait(false);
            var urls = process.Stderr.Lines
                .Where(l => l.Contains("event=listen", StringComparison.Ordinal) && !l.Contains("kind=metrics", StringComparison.Ordinal))
                .Select(l => new Uri(Field(l, "url")!))
                .ToList();
            return new ServeProcess(process, urls);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>SIGTERM, then the exit code (bounded).</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        Process.Signal(LongRunningProcess.SigTerm);
        return await Process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>A value from a logfmt line (<c>key=value</c> or <c>key="quoted value"</c>), unescaped.</summary>
    public static string? Field(string line, string key)
    {
        var at = 0;
        while (at < line.Length)
        {
            var start = line.IndexOf(key + "=", at, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            if (start > 0 && line[start - 1] != ' ')
            {
                at = start + 1;
                continue;
            }

            var value = start + key.Length + 1;
            if (value < line.Length && line[value] == '"')
            {
                var text = new System.Text.StringBuilder();
                for (var i = value + 1; i < line.Length; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        text.Append(line[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', var c => c });
                    }
                    else if (line[i] == '"')
                    {
                        break;
                    }
                    else
                    {
                        text.Append(line[i]);
                    }
                }

                return text.ToString();
            }

            var end = line.IndexOf(' ', value);
            return end < 0 ? line[value..] : line[value..end];
        }

        return null;
    }

    private static bool IsReady(string line) => line.Contains(" event=ready", StringComparison.Ordinal);
}
