using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wsdoctor.Server.Handshake;
using Wsdoctor.Server.Modes;
using Wsdoctor.Server.Observability;
using Wsdoctor.Server.Sessions;
using Wsdoctor.Server.Shutdown;
using Wsdoctor.Server.Transport;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Server.Hosting;

/// <summary>A running <c>wsdoctor serve</c>: Kestrel configured in code (no appsettings, no console logging),
/// one listener per --listen address plus the optional metrics listener.</summary>
public sealed class WsServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly UpgradeEndpoint endpoint;
    private readonly SessionHub hub;
    private readonly ServeOptions options;
    private readonly EventLog log;
    private readonly Task stdinPump;
    private bool stopped;

    private WsServer(WebApplication app, UpgradeEndpoint endpoint, SessionHub hub, ServeOptions options, EventLog log, ServerMetrics metrics, IReadOnlyList<Uri> urls, Uri? metricsUrl, Task stdinPump)
    {
        this.app = app;
        this.endpoint = endpoint;
        this.hub = hub;
        this.options = options;
        this.log = log;
        this.stdinPump = stdinPump;
        Metrics = metrics;
        Urls = urls;
        MetricsUrl = metricsUrl;
    }

    /// <summary>The WebSocket URLs, one per listener, with the real ports.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>Where /healthz and /metrics are when --metrics-listen moved them.</summary>
    public Uri? MetricsUrl { get; }

    public ServerMetrics Metrics { get; }

    /// <summary>Binds every listener, logs one listen line per listener and then ready.</summary>
    /// <exception cref="ListenException">A port is in use or an address is not available.</exception>
    public static async Task<WsServer> StartAsync(ServeOptions options, EventLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var endpoints = LoopbackPairs.AssignSharedPorts(options.Listen);
        var metrics = new ServerMetrics();
        var hub = new SessionHub(options.MaxConnections);
        var fanOut = new FanOut(hub);
        var stdio = options.Mode == ServeMode.Stdio ? new StdioSink(fanOut, options.StdioOut ?? Console.Out) : null;
        IMessageSink sink = options.Mode switch
        {
            ServeMode.Broadcast => new BroadcastSink(fanOut),
            ServeMode.Stdio => stdio!,
            _ => new EchoSink(),
        };

        var builder = Wsdoctor.Hosting.WebHosts.CreateBuilder("wsdoctor");
        var diagnostics = new KestrelDiagnostics(log, metrics);

        // Kestrel reports refused request heads and failed TLS handshakes at Debug level only.
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(diagnostics);

        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();

        // The endpoint needs the bound ports, known only after start; nothing is served before it is set
        // except to a client racing the listen line, which then waits on nothing worse than a null check.
        UpgradeEndpoint? upgrade = null;
        DirectTransport? direct = null;
        if (options.Certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        else
        {
            // Registered after Kestrel's socket transport, so Kestrel asks it first (it binds only what it claimed).
            direct = new DirectTransport(() => upgrade);
            builder.Services.AddSingleton<IConnectionListenerFactory>(direct);
        }

        var wsListeners = new List<ListenOptions>();
        ListenOptions? metricsListener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Slowloris: a request head that has not fully arrived by then is dropped.
            kestrel.Limits.RequestHeadersTimeout = options.HandshakeTimeout;
            // And a connection that sends nothing at all (Kestrel waits for a first request this long).
            kestrel.Limits.KeepAliveTimeout = options.HandshakeTimeout;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            foreach (var endpoint in endpoints)
            {
                kestrel.Listen(endpoint.Address, endpoint.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;

                    // Kestrel's diagnostics learn the remote address of each connection Kestrel serves (its TLS
                    // handshake errors and refused request heads are logged with it).
                    listen.Use(next => connection => TrackedAsync(diagnostics, connection, next));
                    if (options.Certificate is { } certificate)
                    {
                        listen.UseHttps(https =>
                        {
                            https.ServerCertificate = certificate;
                            https.HandshakeTimeout = options.HandshakeTimeout;
                            https.ServerCertificateChain = options.CertificateChain;
                        });

                        // After TLS, so it reads the decrypted stream; before Kestrel's HTTP layer.
                        listen.Use(next => connection => upgrade is { } u ? u.HandleConnectionAsync(connection, next) : next(connection));
                    }
                    else
                    {
                        // serve's own transport takes the plain upgrades; Kestrel gets every other connection.
                        direct!.Claim(listen.EndPoint);
                    }

                    wsListeners.Add(listen);
                });
            }

            if (options.MetricsListen is { } m)
            {
                kestrel.Listen(m.Address, m.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    metricsListener = listen;
                });
            }
        });

        var app = builder.Build();
        app.UseWebSockets();

        app.Run(context => upgrade is null ? NotReady(context) : upgrade.HandleAsync(context));
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var all = options.MetricsListen is { } ml ? endpoints.Append(ml) : endpoints;
            throw PortOwner.FindBusy(all) is { } busy
                ? new ListenException(PortOwner.Describe(busy), e)
                : new ListenException(T($"cannot listen: {e.Message}", $"无法监听：{e.Message}"), e);
        }

        var scheme = options.Certificate is null ? "ws" : "wss";
        var urls = wsListeners.Select(l => new Uri($"{scheme}://{Authority(l.IPEndPoint!)}{options.Path}")).ToList();
        var metricsUrl = metricsListener is null ? null : new Uri($"http://{Authority(metricsListener.IPEndPoint!)}/");
        upgrade = new UpgradeEndpoint(options, log, metrics, hub, sink, metricsListener?.IPEndPoint?.Port);
        foreach (var url in urls)
        {
            log.Write("listen", ("url", url.ToString()));
        }

        if (metricsUrl is not null)
        {
            log.Write("listen", ("url", new Uri(metricsUrl, "metrics").ToString()), ("kind", "metrics"));
        }

        log.Write("ready");
        if (options.PingInterval > TimeSpan.Zero)
        {
            _ = Task.Run(() => Heartbeat.RunAsync(hub, options.PingInterval, options.PingTimeout, upgrade.Stopping.Token), CancellationToken.None);
        }

        var pump = stdio is not null ? Task.Run(() => stdio.PumpInputAsync(options.StdioIn ?? Console.In, upgrade.Stopping.Token), CancellationToken.None) : Task.CompletedTask;
        return new WsServer(app, upgrade, hub, options, log, metrics, urls, metricsUrl, pump);
    }

    /// <summary>Stops accepting, sends 1001 to every client after what is already queued, waits for the close
    /// handshakes up to --shutdown-timeout, then cuts whatever is left.</summary>
    public async Task ShutdownAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await GracefulShutdown.RunAsync(endpoint, hub, log, options.ShutdownTimeout).ConfigureAwait(false);
        using var stop = new CancellationTokenSource(options.ShutdownTimeout + TimeSpan.FromSeconds(1));
        await app.StopAsync(stop.Token).ConfigureAwait(false);
        await stdinPump.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        log.Write("stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task NotReady(Microsoft.AspNetCore.Http.HttpContext context)
    {
        context.Response.StatusCode = 503;
        return Task.CompletedTask;
    }

    private static string Authority(IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";

    private static async Task TrackedAsync(KestrelDiagnostics diagnostics, ConnectionContext connection, ConnectionDelegate next)
    {
        using (diagnostics.Track(connection.ConnectionId, connection.RemoteEndPoint))
        {
            await next(connection).ConfigureAwait(false);
        }
    }
}
