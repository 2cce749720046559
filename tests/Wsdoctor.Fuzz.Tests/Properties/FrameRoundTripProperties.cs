using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wsdoctor.Fuzz.Targets;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Fuzz.Tests.Properties;

/// <summary>FrameWriter → FrameReader is the identity: any data message, fragmented anywhere with control frames
/// between the fragments, masked (client to server) or not, read in any chunking, comes back as sent; and a Close
/// frame's code and reason come back exactly when RFC 6455 allows the code on the wire.</summary>
public sealed class FrameRoundTripProperties
{
    /// <summary>One message as a writer sends it.</summary>
    public sealed record Message(Opcode Opcode, byte[] Payload, int[] Cuts, byte[][] Pings, bool Masked, byte[] Key, int ChunkSeed)
    {
        public override string ToString() =>
            $"{Opcode} {Payload.Length} bytes cut at [{string.Join(',', Cuts)}] pings={Pings.Length} masked={Masked} key={Convert.ToHexString(Key)} chunks={ChunkSeed}";
    }

    private static Gen<byte[]> Bytes(int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    /// <summary>Sizes around each length encoding (RFC 6455 5.2: 7 bits, 16 bits, 64 bits) are the interesting ones.</summary>
    private static Gen<byte[]> Payloads() => Gen.Frequency(
        (6, Bytes(200)),
        (2, Gen.Elements(124, 125, 126, 127, 65535, 65536, 70000).SelectMany(n => Gen.Constant(Enumerable.Range(0, n).Select(i => (byte)(i * 31)).ToArray()))),
        (1, Bytes(2000)));

    private static Gen<byte[]> Text() =>
        ArbMap.Default.GeneratorFor<string>().Select(s => Encoding.UTF8.GetBytes(string.Concat((s ?? "").Where(c => !char.IsSurrogate(c)))));

    private static Arbitrary<Message> Messages() =>
        (from binary in ArbMap.Default.GeneratorFor<bool>()
         from payload in binary ? Payloads() : Text()
         from fragments in Gen.Choose(0, 4)
         from cuts in Gen.ArrayOf(Gen.Choose(0, payload.Length), fragments)
         from pings in Gen.Choose(0, 3).SelectMany(k => Gen.ArrayOf(Bytes(125), k))
         from masked in ArbMap.Default.GeneratorFor<bool>()
         from key in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 4)
         from seed in Gen.Choose(0, 10_000)
         select new Message(binary ? Opcode.Binary : Opcode.Text, payload, [.. cuts.Order()], pings, masked, key, seed)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property DataMessage_WrittenThenRead_IsTheSameMessage() => Prop.ForAll(Messages(), message =>
    {
        var stream = new List<byte>();
        var bounds = message.Cuts.Prepend(0).Append(message.Payload.Length).ToArray();
        for (int f = 0; f + 1 < bounds.Length; f++)
        {
            bool fin = f + 2 == bounds.Length;
            byte first = (byte)((fin ? 0x80 : 0) | (f == 0 ? (byte)message.Opcode : 0));
            stream.AddRange(FrameWriter.BuildRaw(first, message.Payload.AsSpan(bounds[f], bounds[f + 1] - bounds[f]), message.Masked, message.Masked ? message.Key : default));
            if (!fin && f < message.Pings.Length)
            {
                stream.AddRange(FrameWriter.Build(Opcode.Ping, message.Pings[f], message.Masked));
            }
        }

        var events = Read([.. stream], message.Masked, message.ChunkSeed);
        var received = Assert.IsType<MessageReceived>(events[^1]);
        Assert.Equal(message.Opcode, received.Opcode);
        Assert.Equal(message.Payload, received.Payload);
        Assert.Equal(bounds.Length - 1, received.FrameCount);
        var pings = events.OfType<PingReceived>().Select(p => p.Payload).ToArray();
        Assert.Equal(message.Pings.Take(bounds.Length - 2).ToArray(), pings);
        Assert.Equal(pings.Length + 1, events.Count);
    });

    public sealed record Close(int Code, string Reason, bool Masked, int ChunkSeed);

    private static Arbitrary<Close> Closes() =>
        (from code in Gen.Frequency((3, Gen.Choose(1000, 1015)), (2, Gen.Choose(2990, 5010)), (1, Gen.Choose(0, 65535)))
         from reason in ArbMap.Default.GeneratorFor<string>()
         from masked in ArbMap.Default.GeneratorFor<bool>()
         from seed in Gen.Choose(0, 10_000)
         select new Close(code, Fit(reason ?? ""), masked, seed)).ToArbitrary();

    /// <summary>A reason of well-formed UTF-8 that fits a control frame: 125 bytes less the code's 2.</summary>
    private static string Fit(string reason)
    {
        var text = string.Concat(reason.Where(c => !char.IsSurrogate(c)));
        while (Encoding.UTF8.GetByteCount(text) > 123)
        {
            text = text[..^1];
        }

        return text;
    }

    [Property(MaxTest = 300)]
    public Property CloseFrame_WrittenThenRead_CarriesItsCodeAndReason_OrIsRefusedForAForbiddenCode() => Prop.ForAll(Closes(), close =>
    {
        var events = Read(FrameWriter.BuildClose(close.Code, close.Reason, close.Masked), close.Masked, close.ChunkSeed);
        var single = Assert.Single(events);
        if (CloseCodes.Describe(close.Code).AllowedOnWire)
        {
            var received = Assert.IsType<CloseReceived>(single);
            Assert.Equal(close.Code, received.Code);
            Assert.Equal(close.Reason, received.Reason);
        }
        else
        {
            Assert.Equal(ViolationKind.InvalidCloseCode, Assert.IsType<ProtocolViolation>(single).Kind);
        }
    });

    [Property(MaxTest = 100)]
    public Property CloseFrame_Empty_HasNoCode() => Prop.ForAll(ArbMap.Default.ArbFor<bool>(), masked =>
    {
        var received = Assert.IsType<CloseReceived>(Assert.Single(Read(FrameWriter.BuildClose(null, "", masked), masked, 1)));
        Assert.Null(received.Code);
        Assert.Empty(received.RawPayload);
    });

    private static List<FrameEvent> Read(byte[] stream, bool masked, int seed)
    {
        var reader = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = masked });
        var events = new List<FrameEvent>();
        int offset = 0;
        foreach (int size in Chunking.Sizes(2, stream.Length, seed))
        {
            reader.Consume(stream.AsSpan(offset, size), events);
            offset += size;
        }

        Assert.Equal(stream.Length, reader.BytesConsumed);
        return events;
    }
}
