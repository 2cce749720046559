using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Exporter.Metrics;
using Wsdoctor.Exporter.Probing;

namespace Wsdoctor.Exporter.Hosting;

public sealed record ExporterOptions
{
    public required IPEndPoint Listen { get; init; }
    public required ExporterConfig Config { get; init; }

    /// <summary>Probes run at once; a probe that cannot get a slot within its deadline is answered 503.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Subtracted from Prometheus' X-Prometheus-Scrape-Timeout-Seconds so the answer arrives in time
    /// (blackbox_exporter's timeout_offset).</summary>
    public TimeSpan TimeoutOffset { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where tokens named by env: are read (the process environment; tests pass their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>One line per probe (module, result, root cause, duration); never the target's query or a secret.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>--allow-target patterns, added to the config's allow_targets:.</summary>
    public IReadOnlyList<TargetPattern> AllowTargets { get; init; } = [];
}

/// <summary>The running exporter: Kestrel on one address, /probe, /metrics, /-/healthy and a short index page.</summary>
public sealed class ExporterServer : IAsyncDisposable
{
    private static readonly HashSet<string> ProbeParameters = new(StringComparer.Ordinal) { "target", "module" };
    private readonly WebApplication app;
    private readonly ExporterOptions options;
    private readonly SemaphoreSlim slots;
    private readonly ExporterStats stats;
    private readonly ProbeRunner runner;
    private readonly TargetPolicy policy;

    private ExporterServer(WebApplication app, ExporterOptions options)
    {
        this.app = app;
        this.options = options;
        slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        stats = new ExporterStats(options.Concurrency);
        runner = new ProbeRunner(options.Environment);
        policy = new TargetPolicy([.. options.Config.AllowTargets, .. options.AllowTargets]);
    }

    public Uri Url { get; private set; } = null!;

    /// <exception cref="IOException">The address is in use or not available.</exception>
    public static async Task<ExporterServer> StartAsync(ExporterOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Wsdoctor.Hosting.WebHosts.CreateBuilder("wsdoctor-exporter");
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listener = listen;
            });
        });
        var app = builder.Build();
        var server = new ExporterServer(app, options);
        app.MapGet("/probe", server.ProbeAsync);
        app.MapGet("/metrics", server.MetricsAsync);
        app.MapGet("/-/healthy", static (HttpContext c) => c.Response.WriteAsync("OK\n"));
        app.MapGet("/", server.IndexAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = listener!.IPEndPoint!;
        server.Url = new Uri($"http://{(bound.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bound.Address}]" : bound.Address.ToString())}:{bound.Port}/");
        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);

    private async Task ProbeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var unknown = query.Keys.FirstOrDefault(k => !ProbeParameters.Contains(k));
        if (unknown is not null)
        {
            await BadRequestAsync(context, $"unknown parameter '{unknown}': /probe takes target and module (credentials belong in the module: token: {{ env: NAME }} or {{ file: PATH }})").ConfigureAwait(false);
            return;
        }

        var target = query["target"].ToString();
        var moduleName = query["module"].Count > 0 ? query["module"].ToString() : "default";
        if (target.Length == 0)
        {
            await BadRequestAsync(context, "target parameter is missing (/probe?target=wss://host/path&module=NAME)").ConfigureAwait(false);
            return;
        }

        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            await BadRequestAsync(context, "target must be a ws:// or wss:// URL").ConfigureAwait(false);
            return;
        }

        if (uri.UserInfo.Length > 0)
        {
            await BadRequestAsync(context, "target must not carry credentials (user:password@): put them in the module (token: { env: NAME })").ConfigureAwait(false);
            return;
        }

        if (!options.Config.Modules.TryGetValue(moduleName, out var module))
        {
            await BadRequestAsync(context, $"unknown module '{moduleName}'; modules: {string.Join(", ", options.Config.Modules.Keys)}").ConfigureAwait(false);
            return;
        }

        if (policy.Refusal(uri, module) is { } refusal)
        {
            stats.Rejected("target-not-allowed");
            options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ts={DateTimeOffset.UtcNow:O} event=refused module={module.Name} target={Protocol.Secrets.SecretRedactor.RedactUrl(target)} reason=target-not-allowed"));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal + "\n").ConfigureAwait(false);
            return;
        }

        var deadline = Deadline(context, module);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(deadline);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await slots.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stats.Rejected("concurrency");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"all {options.Concurrency} probe slots stayed busy for the probe's deadline ({deadline.TotalSeconds:0.##} s); raise --concurrency or scrape less often\n").ConfigureAwait(false);
            return;
        }

        ProbeOutcome outcome;
        stats.Started();
        try
        {
            var left = deadline - System.Diagnostics.Stopwatch.GetElapsedTime(start);
            outcome = left <= TimeSpan.Zero
                ? ProbeRunner.Failed("no time left for the probe after waiting for a slot", start)
                : await runner.RunAsync(target, module, left, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
            stats.Ended();
        }

        stats.Probed(module.Name, outcome);
        options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ts={DateTimeOffset.UtcNow:O} event=probe module={module.Name} target={Protocol.Secrets.SecretRedactor.RedactUrl(target)} success={(outcome.Success ? 1 : 0)} root_cause={outcome.RootCause ?? "-"} duration_ms={outcome.Duration.TotalMilliseconds:0.0}"));
        context.Response.ContentType = PrometheusText.ContentType;
        await context.Response.WriteAsync(outcome.Text).ConfigureAwait(false);
    }

    /// <summary>The module's timeout, lowered to Prometheus' scrape timeout minus the offset when it sends one.</summary>
    private TimeSpan Deadline(HttpContext context, Module module)
    {
        var deadline = module.Timeout;
        if (context.Request.Headers.TryGetValue("X-Prometheus-Scrape-Timeout-Seconds", out var header)
            && double.TryParse(header.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && double.IsFinite(seconds))
        {
            var scrape = TimeSpan.FromSeconds(seconds) - options.TimeoutOffset;
            if (scrape <= TimeSpan.Zero)
            {
                scrape = TimeSpan.FromSeconds(seconds * 0.9);
            }

            deadline = scrape < deadline ? scrape : deadline;
        }

        return deadline;
    }

    private async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusText.ContentType;
        await context.Response.WriteAsync(stats.Render()).ConfigureAwait(false);
    }

    private async Task IndexAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"""
            wsdoctor exporter
              /probe?target=wss://host/path&module=NAME   run a probe (modules: {string.Join(", ", options.Config.Modules.Keys)})
              /metrics                                    the exporter's own metrics
              /-/healthy                                  OK

            """).ConfigureAwait(false);
    }

    private async Task BadRequestAsync(HttpContext context, string message)
    {
        stats.Rejected("bad-request");
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n").ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stop.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        slots.Dispose();
    }
}
