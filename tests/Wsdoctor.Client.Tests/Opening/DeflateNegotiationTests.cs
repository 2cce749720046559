using Wsdoctor.Client.Opening;

namespace Wsdoctor.Client.Tests.Opening;

public sealed class DeflateNegotiationTests
{
    [Fact]
    public void FromResponse_Parameters_MappedToRuntimeOptions()
    {
        var (options, error) = DeflateNegotiation.FromResponse("permessage-deflate; server_no_context_takeover; client_max_window_bits=10; server_max_window_bits=12");

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.False(options.ServerContextTakeover);
        Assert.True(options.ClientContextTakeover);
        Assert.Equal(10, options.ClientMaxWindowBits);
        Assert.Equal(12, options.ServerMaxWindowBits);
    }

    [Fact]
    public void FromResponse_NoHeaderOrOtherExtension_Null()
    {
        Assert.Null(DeflateNegotiation.FromResponse(null).Options);
        Assert.Null(DeflateNegotiation.FromResponse("x-webkit-deflate-frame").Options);
    }

    [Fact]
    public void FromResponse_UnknownParameter_Error()
    {
        var (options, error) = DeflateNegotiation.FromResponse("permessage-deflate; max_frame=5");

        Assert.Null(options);
        Assert.Contains("max_frame=5", error, StringComparison.Ordinal);
    }
}
