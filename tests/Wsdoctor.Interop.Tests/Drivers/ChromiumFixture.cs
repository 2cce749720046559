using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>One headless Debian Chromium (driven by tests/peers/browser/chromium-driver.js) for every browser test.
/// TLS trust is set up the way a user does it: the dev CA that `serve --tls-dev` writes to <see cref="DevTlsDirectory"/>
/// is imported into an NSS database in a temporary HOME ($HOME/.pki/nssdb) before Chromium starts — no
/// --ignore-certificate-errors. Tests that want wss pass <see cref="DevTlsDirectory"/> to serve, which reuses that CA.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private const string Certutil = "/usr/bin/certutil";

    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private readonly string root = Directory.CreateTempSubdirectory("wsdoctor-interop-chromium-").FullName;
    private JsonLinesProcess? driver;
    private int nextId;

    public string DevTlsDirectory => Path.Combine(root, "dev-tls");

    public string Home => Path.Combine(root, "home");

    /// <summary>The driver's own page, http://127.0.0.1:PORT: a different origin from any serve.</summary>
    public string PageOrigin { get; private set; } = "";

    /// <summary>Why the dev CA could not be trusted (serve --tls-dev failed, certutil missing), or null.</summary>
    public string? TlsSetupProblem { get; private set; }

    private string? StartProblem { get; set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Peers.Chromium) || !Directory.Exists(Path.Combine(Peers.NodeModules, "playwright-core")) || !File.Exists(Peers.Node))
        {
            StartProblem = "Chromium, node or playwright-core is missing";
            return;
        }

        Directory.CreateDirectory(Path.Combine(Home, ".pki", "nssdb"));
        TlsSetupProblem = await TrustDevCaAsync();
        driver = JsonLinesProcess.Start(
            Peers.Node,
            [Path.Combine(Peers.NodeProject, "browser", "chromium-driver.js")],
            new Dictionary<string, string> { ["HOME"] = Home, ["WSDOCTOR_CHROMIUM"] = Peers.Chromium });
        try
        {
            var ready = await driver.WaitForAsync(e => e["event"] is not null, "Chromium launch", TimeSpan.FromSeconds(90));
            if ((string?)ready["event"] != "ready")
            {
                StartProblem = $"Chromium did not start\n{driver}";
                return;
            }

            PageOrigin = (string)ready["origin"]!;
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            StartProblem = e.Message;
        }
    }

    /// <summary>Skips or fails (CI) when Chromium is not installed; fails when it is but did not start.</summary>
    public void Require()
    {
        Peers.Require(Peers.Chromium);
        Peers.RequireNodeModule("playwright-core");
        Assert.True(StartProblem is null, StartProblem);
    }

    /// <summary>For wss: certutil (libnss3-tools) is a peer like the others (skip, or fail in CI); with it, the dev CA
    /// must have been imported.</summary>
    public void RequireTrustedDevCa()
    {
        Peers.Require(Certutil);
        Assert.True(TlsSetupProblem is null, TlsSetupProblem);
    }

    /// <summary>A serve for a browser test: over wss it reuses the dev CA this browser trusts.</summary>
    public async Task<Serve> StartServeAsync(Transport transport, params string[] options)
    {
        Require();
        if (transport == Transport.Wss)
        {
            RequireTrustedDevCa();
        }

        return await Serve.StartAsync(transport, options, transport == Transport.Wss ? DevTlsDirectory : null);
    }

    /// <summary>Opens a WebSocket from a fresh page (new browser context) and returns what the page observed.</summary>
    public async Task<BrowserResult> RunAsync(BrowserCommand command, CancellationToken cancellationToken = default)
    {
        Require();
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var id = ++nextId;
            var request = JsonSerializer.SerializeToNode(command, Json)!.AsObject();
            request["id"] = id;
            await driver!.WriteLineAsync(request.ToJsonString(), cancellationToken);
            var reply = await driver.WaitForAsync(e => (int?)e["id"] == id, $"browser command {id}", TimeSpan.FromSeconds(90), cancellationToken);
            var transcript = $"--- chromium, page {PageOrigin}: {request.ToJsonString()} ---\n{reply.ToJsonString()}";
            Assert.True(reply["failure"] is null, $"the page could not run the WebSocket\n{transcript}");
            return new BrowserResult(
                (string)reply["pageOrigin"]!,
                reply["events"]!.AsArray().OfType<JsonObject>().ToList(),
                reply["console"]!.AsArray().Select(c => (string)c!).ToList(),
                transcript);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (driver is not null)
        {
            await driver.DisposeAsync();
        }

        oneAtATime.Dispose();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Lets serve create its dev CA once, then trusts it in the NSS database Chromium reads from $HOME.</summary>
    private async Task<string?> TrustDevCaAsync()
    {
        if (!File.Exists(Certutil))
        {
            return "certutil is missing (libnss3-tools)";
        }

        try
        {
            await using (var first = await Serve.StartAsync(Transport.Wss, [], DevTlsDirectory))
            {
                await first.TerminateAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException or TimeoutException)
        {
            return $"serve --tls-dev could not create the dev CA: {e.Message}";
        }

        var database = "sql:" + Path.Combine(Home, ".pki", "nssdb");
        var created = await CertutilAsync("-d", database, "-N", "--empty-password");
        var added = created ?? await CertutilAsync("-d", database, "-A", "-t", "C,,", "-n", "wsdoctor-dev", "-i", Path.Combine(DevTlsDirectory, "ca.pem"));
        return added;
    }

    private static async Task<string?> CertutilAsync(params string[] args)
    {
        using var certutil = Process.Start(new ProcessStartInfo(Certutil, args) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = certutil.StandardError.ReadToEndAsync();
        _ = certutil.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await certutil.WaitForExitAsync(timeout.Token);
        return certutil.ExitCode == 0 ? null : $"certutil {string.Join(' ', args)} failed: {await stderr}";
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
