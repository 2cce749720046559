namespace Wsdoctor.Conform.Deflate;

/// <summary>What a permessage-deflate negotiation settled (RFC 7692 7.1), seen from both ends.</summary>
public sealed record DeflateAgreement(bool ServerNoContextTakeover, bool ClientNoContextTakeover, int ServerMaxWindowBits, int ClientMaxWindowBits)
{
    /// <summary>The compressor for this side: a client compresses under the client_* parameters.</summary>
    public RawDeflate CreateCompressor(bool weAreClient) => weAreClient
        ? RawDeflate.Compressor(ClientMaxWindowBits, ClientNoContextTakeover)
        : RawDeflate.Compressor(ServerMaxWindowBits, ServerNoContextTakeover);

    public RawDeflate CreateDecompressor(bool weAreClient) => weAreClient
        ? RawDeflate.Decompressor(ServerNoContextTakeover)
        : RawDeflate.Decompressor(ClientNoContextTakeover);

    public override string ToString() =>
        $"server_no_context_takeover={ServerNoContextTakeover}, client_no_context_takeover={ClientNoContextTakeover}, server_max_window_bits={ServerMaxWindowBits}, client_max_window_bits={ClientMaxWindowBits}";
}
