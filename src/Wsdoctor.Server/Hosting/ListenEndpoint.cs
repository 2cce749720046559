using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Server.Hosting;

/// <summary>One address to listen on. Port 0 picks a free port.</summary>
public sealed record ListenEndpoint(IPAddress Address, int Port)
{
    /// <summary>Set on both halves of <c>localhost:P</c>: with port 0 they must still share one port.</summary>
    public int? LocalhostPair { get; init; }

    public string Authority(int port) =>
        Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{port}" : $"{Address}:{port}";

    public override string ToString() => Authority(Port);
}
