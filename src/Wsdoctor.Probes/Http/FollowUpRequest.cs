using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Probes.Url;

namespace Wsdoctor.Probes.Http;

/// <summary>One more upgrade attempt on a fresh connection with one thing changed (the Origin, the path, the URL of a
/// redirect, the credentials in <paramref name="variant"/>). Certificates are not judged again here: the main attempt already did.</summary>
internal static class FollowUpRequest
{
    public static async Task<ExchangeResult?> SendAsync(DiagnosisContext ctx, Route? route, TargetUrl target, string? origin, TlsMaterial material, CheckOptions? variant = null)
    {
        var opened = await OpenAsync(ctx, route, target, origin, material, variant).ConfigureAwait(false);
        if (opened is { } o)
        {
            await o.Stream.DisposeAsync().ConfigureAwait(false);
        }

        return opened?.Result;
    }

    /// <summary>As <see cref="SendAsync"/>, but the connection stays open: the caller owns the stream, which after a
    /// 101 carries the WebSocket (the result's Leftover holds the first bytes already read after the head).</summary>
    public static async Task<(ExchangeResult Result, Stream Stream)?> OpenAsync(DiagnosisContext ctx, Route? route, TargetUrl target, string? origin, TlsMaterial material, CheckOptions? variant = null)
    {
        var stream = await OpenTransportAsync(ctx, route, target, material).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var (head, _) = UpgradeRequestSpec.Build(variant ?? ctx.Options, target, origin);
            var result = await UpgradeExchange.RunAsync(stream, head, TlsFailure.FollowUpTimeout(ctx), ctx.Options.Time, ctx.Deadline).ConfigureAwait(false);
            return (result, stream);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>A fresh connection to <paramref name="target"/> (TLS done for wss://) on which the caller writes its own request.</summary>
    public static async Task<Stream?> OpenTransportAsync(DiagnosisContext ctx, Route? route, TargetUrl target, TlsMaterial material)
    {
        var timeout = TlsFailure.FollowUpTimeout(ctx);
        if (route is null)
        {
            if (ctx.Route?.Proxy is { } proxy)
            {
                // Through a proxy the proxy resolves the new host, as it did for the first one.
                route = ctx.Route with { TargetHost = target.Host.Trim('[', ']'), TargetPort = target.Port };
            }
            else
            {
                try
                {
                    using var dns = CancellationTokenSource.CreateLinkedTokenSource(ctx.Deadline);
                    dns.CancelAfter(timeout);
                    var addresses = await System.Net.Dns.GetHostAddressesAsync(target.Host.Trim('[', ']'), dns.Token).ConfigureAwait(false);
                    route = new Route(new IPEndPoint(addresses[0], target.Port), null, target.Host.Trim('[', ']'), target.Port);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException or IndexOutOfRangeException)
                {
                    return null;
                }
            }
        }

        var opened = await route.OpenAsync(timeout, ctx.Deadline).ConfigureAwait(false);
        if (opened is null)
        {
            return null;
        }

        Stream stream = opened;
        try
        {
            if (target.IsSecure)
            {
                var ssl = new SslStream(stream);
                stream = ssl;
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.Deadline);
                cts.CancelAfter(timeout);
                await ssl.AuthenticateAsClientAsync(
                    Dialer.AnyCertificate(target.Host, System.Security.Authentication.SslProtocols.None, material.ClientCertificate), cts.Token).ConfigureAwait(false);
            }

            return stream;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }
}
