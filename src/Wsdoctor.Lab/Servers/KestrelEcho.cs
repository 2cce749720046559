using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wsdoctor.Lab.Servers;

/// <summary>A correct WebSocket echo server on real Kestrel (the framework's own handshake and framing), for the
/// healthy endpoints and for behaviour that belongs to the framework, such as its Origin allowlist.</summary>
public sealed class KestrelEcho : IAsyncDisposable
{
    private readonly WebApplication app;

    private KestrelEcho(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<KestrelEcho> StartAsync(
        X509Certificate2? certificate = null,
        X509Certificate2Collection? chain = null,
        IReadOnlyList<string>? allowedOrigins = null,
        IPAddress? address = null,
        ClientCertificates? clientCertificates = null,
        int port = 0,
        long? maxMessageBytes = null,
        CancellationToken ct = default)
    {
        var builder = Wsdoctor.Hosting.WebHosts.CreateBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address ?? IPAddress.Loopback, port, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ServerCertificateChain = chain;
                    if (clientCertificates is not null)
                    {
                        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (client, _, _) => clientCertificates.Accepts(client);
                    }
                });
            }
        }));
        var app = builder.Build();
        var options = new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) };
        foreach (var origin in allowedOrigins ?? [])
        {
            options.AllowedOrigins.Add(origin);
        }

        app.UseWebSockets(options);
        app.Run(context => EchoAsync(context, maxMessageBytes));
        await app.StartAsync(ct).ConfigureAwait(false);
        var address0 = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var echo = new KestrelEcho(app, new Uri(address0.Replace("[::]", "localhost", StringComparison.Ordinal)).Port);
        await echo.WarmUpAsync(address ?? IPAddress.Loopback, certificate is not null, clientCertificates?.WarmUpCertificate, ct).ConfigureAwait(false);
        return echo;
    }

    /// <summary>One WebSocket round trip before the scenario starts. A real server runs warm in its own process;
    /// this one shares the checker's process, and its first request pays for JIT-compiling the ASP.NET pipeline
    /// (over a second on a busy 2-core machine), which would show up as a bogus session.slow.</summary>
    private async Task WarmUpAsync(IPAddress address, bool tls, X509Certificate2? clientCertificate, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        using var client = new ClientWebSocket();
        client.Options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        if (clientCertificate is not null)
        {
            client.Options.ClientCertificates = [clientCertificate];
        }

        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        await client.ConnectAsync(new Uri($"{(tls ? "wss" : "ws")}://{host}:{Port}/warm-up"), cts.Token).ConfigureAwait(false);
        await client.SendAsync("warm-up"u8.ToArray(), WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
        await client.ReceiveAsync(new byte[64], cts.Token).ConfigureAwait(false);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token).ConfigureAwait(false);
    }

    /// <param name="maxMessageBytes">Close with 1009 when a message grows past this, as servers with a message limit do.</param>
    private static async Task EchoAsync(HttpContext context, long? maxMessageBytes)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            await context.Response.WriteAsync("WebSocket endpoint: connect with ws:// or wss://\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        long message = 0;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "", context.RequestAborted).ConfigureAwait(false);
                    break;
                }

                var received = message + result.Count;
                if (maxMessageBytes is { } max && received > max)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {max} bytes", context.RequestAborted).ConfigureAwait(false);
                    break;
                }

                message = result.EndOfMessage ? 0 : received;

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(cts.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Mutual TLS for <see cref="KestrelEcho"/>: client certificates must chain to <paramref name="Authority"/>;
/// <paramref name="WarmUpCertificate"/> (one it issued) lets the echo warm itself up.</summary>
public sealed record ClientCertificates(X509Certificate2 Authority, X509Certificate2 WarmUpCertificate)
{
    public bool Accepts(X509Certificate2 client)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Client certificates carry clientAuth; the lab's leaves may carry serverAuth only, so usage is not judged.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(client);
    }
}
