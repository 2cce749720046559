using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Wsdoctor.Browsers.Page;

namespace Wsdoctor.Browsers.Probe;

/// <summary>What the probe page is told to do.</summary>
public sealed record ProbeOptions
{
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    public required Uri Url { get; init; }

    public IReadOnlyList<string> Protocols { get; init; } = [];

    public TimeSpan ObserveWindow { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Show the URL on the page as it is (--show-secrets); otherwise the page shows it redacted. The page
    /// still needs the real URL to open the WebSocket, so it is in the page's config either way.</summary>
    public bool ShowSecrets { get; init; }
}

/// <summary>What a user's browser reported from the probe page.</summary>
public sealed record ProbeResult(JsonObject Page, IPAddress? Remote);

/// <summary><c>wsdoctor probe</c>'s web server: serves a self-contained page that opens the WebSocket from the
/// user's own browser (their extensions, proxy, certificates, permissions), takes the page's report back, and then
/// serves wsdoctor's combined diagnosis for the page to show. Only the page served here can report: it carries a
/// random key, and the report must be posted as JSON (a cross-origin page would need a CORS preflight, which this
/// server never answers).</summary>
public sealed class ProbeServer : IAsyncDisposable
{
    /// <summary>A page's report is small (at most 20 events); anything bigger is not ours.</summary>
    private const int MaxReportBytes = 64 * 1024;

    private readonly WebApplication app;
    private readonly string key;
    private readonly TaskCompletionSource<ProbeResult> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource reportFetched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? report;

    private ProbeServer(WebApplication app, string key, IReadOnlyList<Uri> urls)
    {
        this.app = app;
        this.key = key;
        Urls = urls;
    }

    /// <summary>The page's address on each listener (with the real port).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <exception cref="ProbeListenException">An address cannot be bound (in use, not available).</exception>
    public static async Task<ProbeServer> StartAsync(ProbeOptions options, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = Wsdoctor.Hosting.WebHosts.CreateBuilder("wsdoctor-probe");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxReportBytes;
            foreach (var endpoint in options.Listen)
            {
                kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        ProbeServer? server = null;
        var page = ProbePage(options, key);
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Content(page, "text/html; charset=utf-8");
        });
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapPost("/result", async (HttpContext context) => await server!.ReceiveAsync(context).ConfigureAwait(false));
        app.MapGet("/report", (HttpContext context) => server!.Report(context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var listen = string.Join(", ", options.Listen);
            throw new ProbeListenException(Findings.Text.T($"cannot listen on {listen}: {e.Message}", $"无法在 {listen} 上监听：{e.Message}"), e);
        }

        var addresses = app.Services.GetServiceOrNull<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var urls = addresses.Select(a => new Uri(a.Replace("[::]", "[::1]", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/")).ToArray();
        server = new ProbeServer(app, key, urls);
        return server;
    }

    /// <summary>The first report a probe page posts.</summary>
    public Task<ProbeResult> Result => result.Task;

    /// <summary>Completes once the page has fetched the diagnosis published with <see cref="PublishReport"/>.</summary>
    public Task ReportFetched => reportFetched.Task;

    /// <summary>The diagnosis (JSON) the page shows; until it is set the page is told to wait.</summary>
    public void PublishReport(string json) => report = json;

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.StatusCode(415);
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            return Results.BadRequest();
        }

        if (body is null || (string?)body["key"] != key || body["result"] is not JsonObject page)
        {
            return Results.StatusCode(403);
        }

        result.TrySetResult(new ProbeResult((JsonObject)page.DeepClone(), context.Connection.RemoteIpAddress));
        return Results.Content("""{"received":true}""", "application/json; charset=utf-8");
    }

    private IResult Report(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Query["key"] != key)
        {
            return Results.StatusCode(403);
        }

        if (report is not { } json)
        {
            return Results.Content("""{"status":"pending"}""", "application/json; charset=utf-8");
        }

        reportFetched.TrySetResult();
        return Results.Content(json, "application/json; charset=utf-8");
    }

    private static string ProbePage(ProbeOptions options, string key)
    {
        var config = new JsonObject
        {
            ["key"] = key,
            ["url"] = options.Url.ToString(),
            ["shownUrl"] = options.ShowSecrets ? options.Url.ToString() : Wsdoctor.Protocol.Secrets.SecretRedactor.RedactUrl(options.Url.ToString()),
            ["protocols"] = JsLiteral.Array(options.Protocols),
            ["observeMs"] = (int)options.ObserveWindow.TotalMilliseconds,
            ["timeoutMs"] = (int)options.Timeout.TotalMilliseconds,
        }.ToJsonString();
        // The config sits in a JSON script element: "</" is escaped so a URL cannot end the element.
        return PageAssets.Load("probe.html")
            .Replace("/*RUNNER*/", PageAssets.Runner, StringComparison.Ordinal)
            .Replace("{/*CONFIG*/}", config.Replace("</", "<\\/", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Kestrel drops what is left.
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }
}

internal static class ServiceProviderExtensions
{
    public static T? GetServiceOrNull<T>(this IServiceProvider services) where T : class => services.GetService(typeof(T)) as T;
}
