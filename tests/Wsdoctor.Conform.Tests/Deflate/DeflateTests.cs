using Wsdoctor.Conform.Deflate;

namespace Wsdoctor.Conform.Tests.Deflate;

public sealed class DeflateTests
{
    [Theory]
    [InlineData(15, false)]
    [InlineData(9, true)]
    [InlineData(9, false)]
    public void RawDeflate_RoundTripsSeveralMessages(int windowBits, bool noContext)
    {
        using var compressor = RawDeflate.Compressor(windowBits, noContext);
        using var decompressor = RawDeflate.Decompressor(noContext);
        var random = new Random(7);
        for (int i = 0; i < 5; i++)
        {
            var message = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(_ => (char)('a' + random.Next(4)))));
            var compressed = compressor.CompressMessage(message);
            Assert.True(compressed.Length < message.Length);
            Assert.False(compressed.AsSpan().EndsWith(new byte[] { 0, 0, 0xFF, 0xFF }), "RFC 7692 7.2.1: the tail is removed");
            Assert.Equal(message, decompressor.DecompressMessage(compressed, 1 << 20));
        }
    }

    [Fact]
    public void RawDeflate_Garbage_Null()
    {
        using var decompressor = RawDeflate.Decompressor(false);
        Assert.Null(decompressor.DecompressMessage([0xFF, 0xFF, 0xFF, 0x07, 0x00], 1 << 20));
    }

    [Fact]
    public void JudgeResponse_WindowBitsAndContextTakeover_Agreed()
    {
        var (agreement, problem) = DeflateNegotiation.JudgeResponse([new DeflateOffer(true, 9)],
            ["permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=10"]);
        Assert.Null(problem);
        Assert.Equal(new DeflateAgreement(true, false, 9, 10), agreement);
    }

    [Theory]
    [InlineData("permessage-deflate; server_max_window_bits=7", "8-15")]
    [InlineData("permessage-deflate; bogus", "unknown parameter")]
    [InlineData("permessage-deflate; client_max_window_bits", "MUST carry a value")]
    [InlineData("permessage-deflate, permessage-deflate", "more than once")]
    [InlineData("x-other", "not offered")]
    public void JudgeResponse_InvalidResponse_Problem(string response, string says)
    {
        var (agreement, problem) = DeflateNegotiation.JudgeResponse([new DeflateOffer()], [response]);
        Assert.Null(agreement);
        Assert.Contains(says, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void JudgeResponse_IgnoresRequestedNoContextTakeover_Problem()
    {
        var (_, problem) = DeflateNegotiation.JudgeResponse([new DeflateOffer(ServerNoContextTakeover: true)], ["permessage-deflate"]);
        Assert.Contains("does not answer any offer", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Accept_WindowBitsRule_OnlyWhenOffered()
    {
        var rule = new DeflateAcceptRule(ClientMaxWindowBits: 9);
        Assert.Null(DeflateNegotiation.Accept(["permessage-deflate"], rule));
        var (response, agreement) = DeflateNegotiation.Accept(["permessage-deflate; client_max_window_bits"], rule)!.Value;
        Assert.Equal("permessage-deflate; client_max_window_bits=9", response);
        Assert.Equal(9, agreement.ClientMaxWindowBits);
    }

    [Fact]
    public void Accept_InvalidOfferSkipped_NextOneTaken()
    {
        var (response, _) = DeflateNegotiation.Accept(["permessage-deflate; server_max_window_bits=99, permessage-deflate; server_no_context_takeover"], new DeflateAcceptRule())!.Value;
        Assert.Equal("permessage-deflate; server_no_context_takeover", response);
    }
}
