using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Load.Connections;

/// <summary>A closed loop's data frames, written straight to the socket of a connection whose WebSocket
/// (System.Net.WebSockets) does everything else: receiving, Pongs, the close. The framework draws each frame's masking
/// key from the system CSPRNG with one call per frame, which was about a tenth of the generator's CPU per message in a
/// profile (OpenSSL's RAND_bytes with its locks and parameter lookups); here the keys come from the same CSPRNG, 1,024
/// at a time (RFC 6455 10.3 asks for unpredictable keys, not for one system call each).</summary>
/// <remarks>Only for a conversation that never sends while a receive is pending and with no heartbeat: the framework
/// writes its Pongs and its Close from inside a receive or a close, so with sends and receives taking turns nothing
/// else writes to the socket during a send here. The echo driver is such a conversation.</remarks>
public sealed class ClientFrameSender(Socket socket)
{
    private const int KeyBlock = 4096;

    // One block per thread: filled and consumed synchronously, never across an await.
    [ThreadStatic]
    private static byte[]? keys;

    [ThreadStatic]
    private static int used;

    /// <summary>Sends one whole data message as a single masked frame.</summary>
    /// <exception cref="IOException">The connection broke (as a stream over the socket would say it).</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken ct)
    {
        var length = payload.Length;
        var header = length <= 125 ? 2 : length <= ushort.MaxValue ? 4 : 10;
        var total = header + 4 + length;
        var frame = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Build(frame, header, payload.Span, type);
            for (var sent = 0; sent < total;)
            {
                sent += await socket.SendAsync(frame.AsMemory(sent, total - sent), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (SocketException e)
        {
            throw new IOException($"Unable to write data to the transport connection: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>The frame: FIN and the opcode, the mask bit and the length (RFC 6455 5.2), the key, the payload
    /// masked (5.3).</summary>
    internal static void Build(Span<byte> frame, int header, ReadOnlySpan<byte> payload, WebSocketMessageType type)
    {
        frame[0] = (byte)(0x80 | (int)(type == WebSocketMessageType.Text ? Opcode.Text : Opcode.Binary));
        switch (header)
        {
            case 2:
                frame[1] = (byte)(0x80 | payload.Length);
                break;
            case 4:
                frame[1] = 0x80 | 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)payload.Length);
                break;
            default:
                frame[1] = 0x80 | 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)payload.Length);
                break;
        }

        var block = keys ??= new byte[KeyBlock];
        if (used == 0)
        {
            RandomNumberGenerator.Fill(block);
        }

        var keyBytes = block.AsSpan(used, 4);
        used = (used + 4) % KeyBlock;
        keyBytes.CopyTo(frame[header..]);
        var key = BinaryPrimitives.ReadUInt32LittleEndian(keyBytes);
        long offset = 0;
        Masking.Apply(payload, frame.Slice(header + 4, payload.Length), key, ref offset);
    }
}
