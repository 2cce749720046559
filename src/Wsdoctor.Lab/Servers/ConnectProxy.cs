using System.Net.Sockets;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Lab.Servers;

/// <summary>A minimal HTTP CONNECT proxy for the lab: answers 200 and relays bytes both ways, but only to
/// loopback targets (the lab never reaches further), or answers every CONNECT with a fixed refusal.</summary>
public static class ConnectProxy
{
    public static RawServer StartRelay() => RawServer.Start(RelayAsync);

    public static RawServer StartRefusing(string response) => RawServer.Start(async (client, ct) =>
    {
        if (await RawHttp.ReadRequestAsync(client, ct).ConfigureAwait(false) is not null)
        {
            await RawHttp.WriteAsync(client, response, ct).ConfigureAwait(false);
        }
    });

    private static async Task RelayAsync(Stream client, CancellationToken ct)
    {
        if (await RawHttp.ReadRequestAsync(client, ct).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        if (!request.Method.Equals("CONNECT", StringComparison.Ordinal)
            || !Uri.TryCreate("tcp://" + request.Target, UriKind.Absolute, out var target)
            || !System.Net.IPAddress.TryParse(target.Host.Trim('[', ']'), out var address)
            || !System.Net.IPAddress.IsLoopback(address))
        {
            await RawHttp.WriteAsync(client, RawHttp.Response(403, "Forbidden", "the lab proxy only tunnels to loopback"), ct).ConfigureAwait(false);
            return;
        }

        using var upstream = new TcpClient(address.AddressFamily);
        try
        {
            await upstream.ConnectAsync(address, target.Port, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            await RawHttp.WriteAsync(client, RawHttp.Response(502, "Bad Gateway", "upstream refused"), ct).ConfigureAwait(false);
            return;
        }

        await RawHttp.WriteAsync(client, "HTTP/1.1 200 Connection established\r\n\r\n", ct).ConfigureAwait(false);
        var server = upstream.GetStream();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = client.CopyToAsync(server, done.Token);
        var down = server.CopyToAsync(client, done.Token);
        try
        {
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // One side closed: the tunnel is over.
        }
    }
}
