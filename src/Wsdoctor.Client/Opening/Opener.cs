using System.Diagnostics;
using System.Net.WebSockets;
using Wsdoctor.Client.Tap;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Client.Opening;

/// <summary>Opens a WebSocket the way the user described it: dial (direct or via proxy), TLS, upgrade, -L hops,
/// then hands the stream to <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> with the
/// frame tap underneath. A refusing or misbehaving peer is an <see cref="OpenFailure"/>, never an exception.</summary>
public static class Opener
{
    /// <exception cref="Probes.CheckUsageException">An unreadable --ca/--cert/--key file.</exception>
    public static async Task<OpenResult> OpenAsync(OpenOptions options, CancellationToken ct)
    {
        var material = options.Material ?? TlsMaterial.Load(options.Check);
        var start = Stopwatch.GetTimestamp();
        var url = options.Check.Url;
        var hops = new List<string>();
        for (var hop = 0; ; hop++)
        {
            var (target, findings) = UrlProbe.Analyze(url);
            if (target is null)
            {
                var reason = findings.FirstOrDefault(f => f.Severity == Severity.Error)?.Message ?? Text.T("not a ws:// or wss:// URL", "不是 ws:// 或 wss:// URL");
                return OpenResult.Fail(OpenStage.Url, reason);
            }

            var attempt = await OpenOnceAsync(target, options, material, ct).ConfigureAwait(false);
            if (attempt.Result is { } done)
            {
                if (done.Connection is { } connection)
                {
                    var facts = connection.Facts with { TotalMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds, Redirects = hops };
                    return OpenResult.Ok(new OpenedConnection(connection.Socket, connection.Tap, facts));
                }

                return done;
            }

            // A redirect: attempt.Redirect holds the status and Location.
            var (status, location) = attempt.Redirect!.Value;
            if (!options.FollowRedirects)
            {
                return OpenResult.Fail(OpenStage.Redirect,
                    Text.T(
                        $"the server answered {status} redirecting to {Show(location, options)}; browsers never follow redirects on a WebSocket upgrade, so connect to the final URL (or pass -L to follow it here)",
                        $"服务端以 {status} 重定向到 {Show(location, options)}；浏览器从不跟随 WebSocket 升级的重定向，请直接连接最终的 URL（或加 -L 让这里跟随）"),
                    status);
            }

            if (hop >= options.MaxRedirects)
            {
                return OpenResult.Fail(OpenStage.Redirect, Text.T($"more than {options.MaxRedirects} redirects; last one {status} to {Show(location, options)}", $"重定向超过 {options.MaxRedirects} 次；最后一次是 {status} 到 {Show(location, options)}"), status);
            }

            var (next, error) = Redirects.Next(target.Uri, location);
            if (next is null)
            {
                return OpenResult.Fail(OpenStage.Redirect, Text.T($"cannot follow the {status}: {error!.En}", $"无法跟随这个 {status}：{error!.Zh}"), status);
            }

            var note = Redirects.SameOrigin(target.Uri, next) ? "" : " (cross-origin: the Origin header and cookies stay as given)";
            hops.Add($"{status} -> {Show(next.ToString(), options)}{note}");
            url = next.ToString();
        }
    }

    private sealed record Attempt(OpenResult? Result, (int Status, string? Location)? Redirect);

    private static async Task<Attempt> OpenOnceAsync(TargetUrl target, OpenOptions options, TlsMaterial material, CancellationToken ct)
    {
        var dialed = await Dial.ConnectAsync(target, options.Check, ct).ConfigureAwait(false);
        if (dialed.Stream is not { } stream)
        {
            return new Attempt(new OpenResult(null, dialed.Failure), null);
        }

        string? tlsVersion = null, cipher = null, subject = null, thumbprint = null;
        DateTimeOffset? notAfter = null;
        if (target.IsSecure)
        {
            var secured = await TlsClient.AuthenticateAsync(stream, target.Host, material, options.Check, ct).ConfigureAwait(false);
            if (secured.Stream is null)
            {
                return new Attempt(new OpenResult(null, secured.Failure), null);
            }

            (stream, tlsVersion, cipher, subject) = (secured.Stream, secured.Version, secured.Cipher, secured.Subject);
            (thumbprint, notAfter) = (secured.Thumbprint, secured.NotAfter);
        }

        var exchange = await Handshake.RunAsync(stream, target, options, ct).ConfigureAwait(false);
        if (exchange.Head is not { } head)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return new Attempt(new OpenResult(null, exchange.Failure), null);
        }

        if (head.StatusCode != 101)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (Redirects.IsRedirect(head.StatusCode))
            {
                return new Attempt(null, (head.StatusCode, head.Get("Location")));
            }

            var reason = head.Reason.Length > 0 ? $" {head.Reason}" : "";
            var refused = new OpenFailure(OpenStage.Handshake, Text.T($"the server answered {head.StatusCode}{reason} instead of 101 Switching Protocols", $"服务端回应的是 {head.StatusCode}{reason}，而不是 101 Switching Protocols"), head.StatusCode) { Response = head };
            return new Attempt(new OpenResult(null, refused), null);
        }

        var offered = UpgradeRequestSpec.OfferedSubprotocols(options.Check);
        var invalid = Handshake.Validate(head, exchange.Key, offered);
        var extensions = head.Get("Sec-WebSocket-Extensions");
        var (deflate, deflateError) = DeflateNegotiation.FromResponse(extensions);
        if (deflate is not null && !options.Compress)
        {
            deflateError = Text.T("the server enabled permessage-deflate, which was not offered (RFC 6455 9.1)", "服务端启用了客户端没有提供的 permessage-deflate（RFC 6455 9.1）");
        }

        if ((invalid ?? deflateError) is { } problem)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return new Attempt(OpenResult.Fail(OpenStage.Handshake, problem, 101), null);
        }

        var subprotocol = head.Get("Sec-WebSocket-Protocol");
        var tap = new FrameTap(new PrefixedStream(exchange.Leftover, stream), deflate is not null, static (_, _) => { });
        var socket = WebSocket.CreateFromStream(tap, new WebSocketCreationOptions
        {
            IsServer = false,
            SubProtocol = subprotocol,
            DangerousDeflateOptions = deflate,
            // Pings are ours to send and show (--ping-interval), not the runtime's invisible keep-alive, unless the
            // caller asks for the runtime's heartbeat (bench --hold).
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        var facts = new ConnectionFacts
        {
            Url = target.Uri,
            StatusCode = head.StatusCode,
            Subprotocol = subprotocol,
            Extensions = extensions,
            Deflate = deflate is not null,
            TlsVersion = tlsVersion,
            CipherSuite = cipher,
            CertificateSubject = subject,
            CertificateThumbprint = thumbprint,
            CertificateNotAfter = notAfter,
            Intermediary = Probes.ReverseProxies.ProxyIdentifier.Identify(head, []),
            RemoteEndPoint = dialed.RemoteEndPoint,
            Proxy = dialed.Proxy,
            TotalMs = 0,
        };
        return new Attempt(OpenResult.Ok(new OpenedConnection(socket, tap, facts)), null);
    }

    private static string Show(string? url, OpenOptions options) =>
        url is null ? "(no Location)" : options.Check.ShowSecrets ? url : SecretRedactor.RedactUrl(url);
}
