using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.Drivers;

public enum Transport
{
    /// <summary>Plain ws://.</summary>
    Ws,

    /// <summary>wss:// with <c>--tls-dev --tls-dev-dir DIR</c>; clients trust DIR/ca.pem.</summary>
    Wss,
}

/// <summary>A `wsdoctor serve` for one test, plain or with its dev TLS in a temporary directory the clients trust.</summary>
public sealed class Serve : IAsyncDisposable
{
    private readonly string? ownedDirectory;

    private Serve(ServeProcess process, string? ca, string? ownedDirectory)
    {
        Process = process;
        Ca = ca;
        this.ownedDirectory = ownedDirectory;
    }

    public ServeProcess Process { get; }

    /// <summary>The dev CA clients must trust (wss only).</summary>
    public string? Ca { get; }

    public Uri Url => Process.Url;

    /// <summary>Starts serve on 127.0.0.1:0 with these extra options. For wss without a <paramref name="devTlsDirectory"/>,
    /// a fresh temporary one (deleted on disposal).</summary>
    public static async Task<Serve> StartAsync(Transport transport, IEnumerable<string> options, string? devTlsDirectory = null, CancellationToken cancellationToken = default)
    {
        List<string> args = ["--listen", "127.0.0.1:0", .. options];
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
            process = await ServeProcess.StartAsync(args, cancellationToken);
        }
        catch
        {
            DeleteQuietly(owned);
            throw;
        }

        var serve = new Serve(process, ca, owned);
        var expected = transport == Transport.Wss ? "wss" : "ws";
        Assert.True(process.Url.Scheme == expected, $"serve listens on {process.Url}, expected {expected}://\n{process}");
        if (ca is not null)
        {
            Assert.True(File.Exists(ca), $"--tls-dev wrote no {ca}\n{process}");
        }

        return serve;
    }

    public static Task<Serve> StartAsync(Transport transport, params string[] options) => StartAsync(transport, options, null);

    /// <summary>A scenario against this server's URL (plus <paramref name="pathAndQuery"/>), trusting its CA.</summary>
    public ClientScenario Scenario(params ClientStep[] steps) => new(Url, steps) { Ca = Ca };

    public ClientScenario Scenario(string query, params ClientStep[] steps) =>
        new(new UriBuilder(Url) { Query = query }.Uri, steps) { Ca = Ca };

    public override string ToString() => Process.ToString();

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
