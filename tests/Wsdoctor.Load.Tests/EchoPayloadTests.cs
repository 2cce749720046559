using Wsdoctor.Load.Echo;

namespace Wsdoctor.Load.Tests;

public class EchoPayloadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(32)]
    [InlineData(4096)]
    public void Stamp_ConsecutiveMessages_Differ(int size)
    {
        var payload = EchoPayload.Create(size, connectionId: 3);
        EchoPayload.Stamp(payload, 41);
        var first = payload.ToArray();
        EchoPayload.Stamp(payload, 42);

        // A server echoing the previous message again must fail verification.
        Assert.NotNull(EchoPayload.Verify(payload, first, 42));
        Assert.Null(EchoPayload.Verify(payload, payload.ToArray(), 42));
    }

    [Fact]
    public void Verify_OneFlippedByte_NamesItsOffset()
    {
        var sent = EchoPayload.Create(100, 0);
        EchoPayload.Stamp(sent, 9);
        var echoed = sent.ToArray();
        echoed[57] ^= 0x01;

        var problem = EchoPayload.Verify(sent, echoed, 9);

        Assert.Equal($"echo of message #9 differs at byte 57 of 100: sent 0x{sent[57]:x2}, got 0x{echoed[57]:x2}", problem);
    }

    [Fact]
    public void Verify_Truncated_NamesBothLengths()
    {
        var sent = EchoPayload.Create(100, 0);

        Assert.Equal("echo of message #0 is 99 bytes, 100 were sent", EchoPayload.Verify(sent, sent.AsSpan(0, 99), 0));
    }
}
