using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.Drivers;

public enum Transport
{
    /// <summary>Plain ws://.</summary>
    Ws,

    /// <summary>wss:// with <c>--tls-dev --tls-dev-dir DIR</c>; clients trust DIR/ca.pem.</summary>
    Wss,
}

/// <summary>A `wsdoctor serve` child process (<see cref="ServeProcess"/>) for one test, plain or with its dev TLS in a
/// directory the clients trust, plus what the tests read from its log (logfmt lines on stderr).</summary>
public sealed class Serve : IAsyncDisposable
{
    private readonly string? ownedDirectory;
    private readonly IReadOnlyList<string> arguments;

    private Serve(ServeProcess process, IReadOnlyList<string> arguments, string? ca, string? ownedDirectory)
    {
        Process = process;
        this.arguments = arguments;
        Ca = ca;
        this.ownedDirectory = ownedDirectory;
    }

    public ServeProcess Process { get; }

    /// <summary>The dev CA clients must trust (wss only).</summary>
    public string? Ca { get; }

    public Uri Url => Process.Url;

    public IReadOnlyList<ServeLogLine> Log => Process.Process.Stderr.Lines.Select(ServeLogLine.Parse).ToList();

    /// <summary>Everything serve printed (log and stdout) without its command line: where secrets must not appear.</summary>
    public string Output => $"{Process.Process.Stderr}\n{Process.Process.Stdout}";

    /// <summary>Starts serve with these options (on 127.0.0.1:0 unless they say --listen). For wss without a <paramref name="devTlsDirectory"/>,
    /// a fresh temporary one (deleted on disposal).</summary>
    public static async Task<Serve> StartAsync(Transport transport, IEnumerable<string> options, string? devTlsDirectory)
    {
        List<string> args = [.. options];
        if (!args.Contains("--listen"))
        {
            args.InsertRange(0, ["--listen", "127.0.0.1:0"]);
        }

        string? owned = null;
        string? ca = null;
        if (transport == Transport.Wss)
        {
            if (devTlsDirectory is null)
            {
                owned = Directory.CreateTempSubdirectory("wsdoctor-interop-tls-").FullName;
                devTlsDirectory = owned;
            }

            args.AddRange(["--tls-dev", "--tls-dev-dir", devTlsDirectory]);
            ca = Path.Combine(devTlsDirectory, "ca.pem");
        }

        ServeProcess process;
        try
        {
            process = await ServeProcess.StartAsync(args);
        }
        catch
        {
            DeleteQuietly(owned);
            throw;
        }

        var serve = new Serve(process, args, ca, owned);
        var expected = transport == Transport.Wss ? "wss" : "ws";
        Assert.True(process.Urls.Count > 0 && process.Url.Scheme == expected, $"serve should listen on {expected}://\n{serve}");
        if (ca is not null)
        {
            Assert.True(File.Exists(ca), $"--tls-dev wrote no {ca}\n{serve}");
        }

        return serve;
    }

    public static Task<Serve> StartAsync(Transport transport, params string[] options) => StartAsync(transport, options, null);

    /// <summary>A scenario against this server's URL, trusting its CA.</summary>
    public ClientScenario Scenario(params ClientStep[] steps) => new(Url, steps) { Ca = Ca };

    /// <summary>The same, with a query string (e.g. <c>token=…</c>).</summary>
    public ClientScenario Scenario(string query, params ClientStep[] steps) =>
        new(new UriBuilder(Url) { Query = query }.Uri, steps) { Ca = Ca };

    /// <summary>The listener over HTTP(S), e.g. for a page Chromium loads from serve's own origin.</summary>
    public Uri HttpUrl(string path) =>
        new UriBuilder(Url) { Scheme = Url.Scheme == "wss" ? "https" : "http", Path = path }.Uri;

    public Task<ServeLogLine> WaitForEventAsync(string name, TimeSpan timeout, Func<ServeLogLine, bool>? match = null) =>
        WaitForEventCountAsync(name, 1, timeout, match);

    /// <summary>Waits (bounded) until <paramref name="count"/> matching lines with this event were logged; returns the last.</summary>
    public async Task<ServeLogLine> WaitForEventCountAsync(string name, int count, TimeSpan timeout, Func<ServeLogLine, bool>? match = null)
    {
        bool Matches(ServeLogLine line) => line.Event == name && (match is null || match(line));
        try
        {
            await Process.Process.Stderr.WaitForAsync(
                _ => Log.Count(Matches) >= count, timeout, $"{count} x event={name}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"serve did not log {count} x event={name} within {timeout.TotalSeconds:0} s\n{this}");
        }

        return Log.Where(Matches).Skip(count - 1).First();
    }

    /// <summary>SIGTERM and the exit code (bounded).</summary>
    public Task<int> TerminateAsync(TimeSpan timeout) => Process.StopAsync(timeout);

    public override string ToString() =>
        $"--- wsdoctor serve {string.Join(' ', arguments)} ---\n{Process.Process.Stderr}\n--- stdout ---\n{Process.Process.Stdout}";

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        DeleteQuietly(ownedDirectory);
    }

    private static void DeleteQuietly(string? directory)
    {
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
