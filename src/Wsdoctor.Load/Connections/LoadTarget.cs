namespace Wsdoctor.Load.Connections;

/// <summary>A plain ws:// endpoint to put load on. TLS is left out on purpose: the baseline compares the servers'
/// WebSocket paths, and TLS would mostly measure the two crypto libraries. tcp:// is the benchmark's raw TCP
/// reference: the same payload bytes echoed without any framing (<see cref="IsRawTcp"/>).</summary>
public sealed record LoadTarget
{
    public LoadTarget(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme is not "ws" and not "tcp")
        {
            throw new ArgumentException($"the load engine speaks plain ws:// (or raw tcp://) only, not {url.Scheme}://", nameof(url));
        }

        Url = url;
    }

    public Uri Url { get; }

    /// <summary>tcp://: no handshake, no frames; each message is its payload bytes, echoed as they are.</summary>
    public bool IsRawTcp => Url.Scheme == "tcp";

    public string Host => Url.IdnHost;

    /// <summary>Where to connect: the address itself, or the name for the socket to resolve.</summary>
    public System.Net.EndPoint EndPoint => System.Net.IPAddress.TryParse(Host, out var address)
        ? new System.Net.IPEndPoint(address, Port)
        : new System.Net.DnsEndPoint(Host, Port);

    public int Port => Url.Port;

    /// <summary>Host header: the port is always written, it is never the default one in a benchmark.</summary>
    public string HostHeader => $"{Url.Authority}";

    public string PathAndQuery => Url.PathAndQuery;

    public override string ToString() => Url.ToString();
}
