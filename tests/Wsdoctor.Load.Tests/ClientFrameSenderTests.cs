using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Wsdoctor.Load.Connections;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Load.Tests;

/// <summary>The engine's own data frames over a real loopback socket, read back by the protocol's frame reader as a
/// server reads them (masking required).</summary>
public class ClientFrameSenderTests
{
    [Fact]
    public async Task Frames_EveryLengthForm_ReadBackAsTheMessagesSent_EachWithItsOwnKey()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync(listener.LocalEndPoint!, bound.Token);
        using var server = await listener.AcceptAsync(bound.Token);

        // 7-bit, 16-bit and 64-bit lengths, at and around each boundary; text and binary.
        int[] sizes = [0, 1, 125, 126, 127, 4096, 65_535, 65_536, 200_000];
        // Text payloads are letters (a reader checks UTF-8), binary ones random.
        var sent = sizes.Select((n, i) => i % 2 == 0 ? RandomNumberGenerator.GetBytes(n) : RandomNumberGenerator.GetBytes(n).Select(b => (byte)('a' + (b % 26))).ToArray()).ToList();
        var sender = new ClientFrameSender(client);
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < sent.Count; i++)
            {
                await sender.SendAsync(sent[i], i % 2 == 0 ? WebSocketMessageType.Binary : WebSocketMessageType.Text, bound.Token);
            }

            client.Shutdown(SocketShutdown.Send);
        });

        var wire = new MemoryStream();
        var buffer = new byte[65_536];
        for (int read; (read = await server.ReceiveAsync(buffer, SocketFlags.None, bound.Token)) > 0;)
        {
            wire.Write(buffer, 0, read);
        }

        await sending;
        var events = new List<FrameEvent>();
        new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true }).Consume(wire.ToArray(), events);

        Assert.Empty(events.OfType<ProtocolViolation>());
        var messages = events.OfType<MessageReceived>().ToList();
        Assert.Equal(sent.Count, messages.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? Opcode.Binary : Opcode.Text, messages[i].Opcode);
            Assert.Equal(1, messages[i].FrameCount);
            Assert.Equal(sent[i], messages[i].Payload);
        }

        // Each frame's key (after the 2, 4 or 10 header bytes) is its own.
        var bytes = wire.ToArray();
        var keys = new List<uint>();
        for (int at = 0, i = 0; i < sent.Count; i++)
        {
            var header = sent[i].Length <= 125 ? 2 : sent[i].Length <= 65_535 ? 4 : 10;
            Assert.Equal(0x80, bytes[at + 1] & 0x80);
            keys.Add(BitConverter.ToUInt32(bytes, at + header));
            at += header + 4 + sent[i].Length;
        }

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
