using System.Net;
using System.Net.Sockets;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Dns;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Url;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Client.Opening;

/// <summary>The TCP stream the handshake runs over: straight to the server (or the --connect-to address), or
/// through an HTTP CONNECT proxy (--proxy, or HTTPS_PROXY/HTTP_PROXY/ALL_PROXY unless NO_PROXY or --no-proxy),
/// with TLS then negotiated end to end over the tunnel. The only place that knows about proxies.</summary>
internal static class Dial
{
    public sealed record Dialed(Stream? Stream, string RemoteEndPoint, string? Proxy, OpenFailure? Failure);

    /// <exception cref="Probes.CheckUsageException">--proxy or a proxy variable is not a usable proxy URL.</exception>
    public static async Task<Dialed> ConnectAsync(TargetUrl target, CheckOptions options, CancellationToken ct)
    {
        var (host, port) = options.ConnectTo is { } connectTo && ConnectTarget.TryParse(connectTo, out var parsed)
            ? (parsed!.Host, parsed.Port)
            : (target.Host.Trim('[', ']'), target.Port);
        var proxy = ProxySelection.For(target.Uri, options);
        if (proxy is null)
        {
            var (socket, remote, failure) = await TcpAsync(host, port, options, ct).ConfigureAwait(false);
            return socket is null
                ? new Dialed(null, remote, null, failure)
                : new Dialed(new NetworkStream(socket, ownsSocket: true), remote, null, null);
        }

        var shownProxy = $"{(options.ShowSecrets ? proxy.DisplayWithSecrets : proxy.Display)} (from {proxy.Source})";
        var (proxySocket, proxyRemote, proxyFailure) = await TcpAsync(proxy.Host, proxy.Port, options, ct).ConfigureAwait(false);
        if (proxySocket is null)
        {
            return new Dialed(null, proxyRemote, shownProxy, proxyFailure! with { Stage = OpenStage.Proxy, Message = T($"cannot reach the proxy {shownProxy} ({proxy.Source}): {proxyFailure.Message.En}", $"无法连到代理 {shownProxy}（{proxy.Source}）：{proxyFailure.Message.Zh}") });
        }

        var stream = new NetworkStream(proxySocket, ownsSocket: true);
        var tunnel = await HttpConnectTunnel.OpenAsync(stream, host, port, proxy, options.StepTimeout, ct).ConfigureAwait(false);
        if (!tunnel.Established)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            var hint = tunnel.StatusCode == 407
                ? proxy.User is null ? T(" (the proxy wants credentials: --proxy http://user:pass@host:port)", "（代理要求凭据：--proxy http://user:pass@host:port）") : T(" (the proxy rejected the credentials)", "（代理拒绝了这组凭据）")
                : Text.Empty;
            return new Dialed(null, proxyRemote, shownProxy, new OpenFailure(OpenStage.Proxy, T($"the proxy {shownProxy} refused CONNECT {host}:{port}: {tunnel.Error?.En}{hint.En}", $"代理 {shownProxy} 拒绝了 CONNECT {host}:{port}：{tunnel.Error?.Zh}{hint.Zh}"), tunnel.StatusCode));
        }

        return new Dialed(stream, proxyRemote, shownProxy, null);
    }

    /// <summary>Resolves (honouring -4/-6) and tries each address in turn, each bounded by --timeout.</summary>
    public static async Task<(Socket? Socket, string Remote, OpenFailure? Failure)> TcpAsync(string host, int port, CheckOptions options, CancellationToken ct)
    {
        var (addresses, error) = await ResolveAsync(host, options, ct).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            return (null, $"{host}:{port}", new OpenFailure(OpenStage.Resolve, error ?? T($"{host} has no address of the requested family", $"{host} 没有所要求地址族的地址")));
        }

        var errors = new List<Text>();
        var last = SocketError.SocketError;
        foreach (var address in addresses)
        {
            var endPoint = new IPEndPoint(address, port);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
            step.CancelAfter(options.StepTimeout);
            try
            {
                await socket.ConnectAsync(endPoint, step.Token).ConfigureAwait(false);
                return (socket, endPoint.ToString(), null);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex.SocketErrorCode;
                errors.Add(Verbatim($"{endPoint}: {ex.SocketErrorCode}"));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                last = SocketError.TimedOut;
                errors.Add(T($"{endPoint}: no answer within {options.StepTimeout.TotalSeconds:0.#} s", $"{endPoint}：{options.StepTimeout.TotalSeconds:0.#} s 内没有回应"));
            }
        }

        return (null, $"{host}:{port}", new OpenFailure(OpenStage.Connect, T("could not connect: ", "无法连接：") + Text.Join(T("; ", "；"), errors)) { SocketError = last });
    }

    private static async Task<(IReadOnlyList<IPAddress> Addresses, Text? Error)> ResolveAsync(string host, CheckOptions options, CancellationToken ct)
    {
        IReadOnlyList<IPAddress> all;
        if (IPAddress.TryParse(host, out var literal))
        {
            all = [literal];
        }
        else if (host.TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.TrimEnd('.').EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6761 6.3: localhost names are loopback without asking DNS (as browsers do).
            all = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }
        else
        {
            using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
            step.CancelAfter(options.StepTimeout);
            try
            {
                all = await System.Net.Dns.GetHostAddressesAsync(host, step.Token).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                return ([], T($"cannot resolve {host}: {ex.SocketErrorCode}", $"无法解析 {host}：{ex.SocketErrorCode}"));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return ([], T($"resolving {host} took longer than {options.StepTimeout.TotalSeconds:0.#} s", $"解析 {host} 超过了 {options.StepTimeout.TotalSeconds:0.#} s"));
            }
        }

        var wanted = options.Family switch
        {
            AddressFamilyPreference.IPv4 => all.Where(a => a.AddressFamily == AddressFamily.InterNetwork),
            AddressFamilyPreference.IPv6 => all.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6),
            _ => all,
        };
        return (wanted.ToArray(), null);
    }
}
