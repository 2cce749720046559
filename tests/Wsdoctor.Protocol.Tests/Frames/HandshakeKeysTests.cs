using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Protocol.Tests.Frames;

public class HandshakeKeysTests
{
    [Fact]
    public void ComputeAccept_Rfc6455SampleNonce_Rfc6455Accept()
    {
        // RFC 6455 1.3: the sample nonce and the accept value the server must return for it.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeKeys.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void ComputeAccept_KeyWithSurroundingSpace_DifferentAccept()
    {
        // The key is hashed exactly as sent; a proxy that rewrites it breaks the handshake.
        Assert.NotEqual("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeKeys.ComputeAccept(" dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void NewKey_Called_SixteenRandomBytesBase64()
    {
        var first = HandshakeKeys.NewKey();
        var second = HandshakeKeys.NewKey();

        Assert.Equal(16, Convert.FromBase64String(first).Length);
        Assert.Equal(24, first.Length);
        Assert.NotEqual(first, second);
    }
}
