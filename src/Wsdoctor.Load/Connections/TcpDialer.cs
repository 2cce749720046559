using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Load.Errors;

namespace Wsdoctor.Load.Connections;

/// <summary>Opens one plain TCP connection for the raw reference loop (tcp:// targets): no handshake at all.</summary>
internal static class TcpDialer
{
    public static async Task<Socket> ConnectAsync(LoadTarget target, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DialException(new LoadError(Codes.TcpTimeout, null, ErrorStage.Connect, $"no TCP connection to {target} within {timeout.TotalSeconds:0.#} s"));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new DialException(ErrorClassifier.FromSocketError(ex.SocketErrorCode, $"cannot connect to {target}: {ex.SocketErrorCode}"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
