using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Net;

/// <summary>How connections reach the target: straight to the endpoint the tcp layer chose, or to the proxy and
/// then through a CONNECT tunnel. Follow-up probes take the same route as the main attempt.</summary>
internal sealed record Route(IPEndPoint EndPoint, ProxyEndpoint? Proxy, string TargetHost, int TargetPort)
{
    public Text Describe => Proxy is null
        ? Verbatim(Tcp.ConnectAttempt.Format(EndPoint))
        : T($"{TargetHost}:{TargetPort} through the proxy at {Tcp.ConnectAttempt.Format(EndPoint)}",
            $"{TargetHost}:{TargetPort}（经由代理 {Tcp.ConnectAttempt.Format(EndPoint)}）");

    /// <summary>A connected stream to the target (through the tunnel when proxied), or null when that failed in time.</summary>
    public async Task<Stream?> OpenAsync(TimeSpan timeout, CancellationToken ct)
    {
        var socket = await Dialer.ConnectAsync(EndPoint, timeout, ct).ConfigureAwait(false);
        if (socket is null)
        {
            return null;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        if (Proxy is null)
        {
            return stream;
        }

        var tunnel = await HttpConnectTunnel.OpenAsync(stream, TargetHost, TargetPort, Proxy, timeout, ct).ConfigureAwait(false);
        if (tunnel.Established)
        {
            return stream;
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
