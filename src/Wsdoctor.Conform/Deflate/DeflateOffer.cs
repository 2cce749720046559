namespace Wsdoctor.Conform.Deflate;

/// <summary>A permessage-deflate offer as the fuzzer sends it when testing a server (RFC 7692 7.1). Every offer
/// carries <c>client_max_window_bits</c> without a value, which lets the server limit our window.</summary>
/// <param name="ServerMaxWindowBits">0: not requested.</param>
public sealed record DeflateOffer(bool ServerNoContextTakeover = false, int ServerMaxWindowBits = 0)
{
    public string HeaderElement()
    {
        var text = "permessage-deflate; client_max_window_bits";
        if (ServerNoContextTakeover)
        {
            text += "; server_no_context_takeover";
        }

        if (ServerMaxWindowBits != 0)
        {
            text += $"; server_max_window_bits={ServerMaxWindowBits}";
        }

        return text;
    }

    public override string ToString() => HeaderElement();
}

/// <summary>How the fuzzer answers a client's offers when it plays the server (cases 12 and 13): which
/// client_* parameters it asks for. Null when no offer can be accepted that way.</summary>
/// <param name="ClientMaxWindowBits">0: not requested. Only allowed when the offer has client_max_window_bits (RFC 7692 7.1.2.2).</param>
public sealed record DeflateAcceptRule(bool ClientNoContextTakeover = false, int ClientMaxWindowBits = 0)
{
    public override string ToString() =>
        (ClientNoContextTakeover, ClientMaxWindowBits) switch
        {
            (false, 0) => "accept as offered",
            (true, 0) => "accept with client_no_context_takeover",
            (false, var b) => $"accept with client_max_window_bits={b}",
            (true, var b) => $"accept with client_no_context_takeover; client_max_window_bits={b}",
        };
}
