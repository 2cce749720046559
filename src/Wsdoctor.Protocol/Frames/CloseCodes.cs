namespace Wsdoctor.Protocol.Frames;

/// <summary>The WebSocket close code registry (RFC 6455 7.4 and the IANA "WebSocket Close Code Number
/// Registry"), explained for someone debugging a connection.</summary>
public static class CloseCodes
{
    private static readonly Dictionary<int, CloseCodeInfo> Registered = new CloseCodeInfo[]
    {
        new(1000, "Normal Closure", "The connection finished its purpose and was closed on purpose.",
            "Application code called close() without an error: a logout, a page navigation, or the server ending a finished session.",
            "Nothing to fix on the protocol side; if the close was unexpected, find the close() call (server logs, or a breakpoint on close in the client).", true),
        new(1001, "Going Away", "The endpoint is going away: a server shutting down or a browser leaving the page.",
            "Server restart or deploy, a load balancer draining the instance, or the user closed the tab or navigated away.",
            "Reconnect with exponential backoff; on the server, drain connections on shutdown and make clients reconnect to another instance.", true),
        new(1002, "Protocol Error", "The endpoint received a frame that breaks RFC 6455.",
            "A hand-written WebSocket implementation or a proxy that rewrites frames: masked server frames, bad lengths, RSV bits without an extension.",
            "Run wsdoctor frames against the server to see the offending frame, then fix the library or bypass the proxy that rewrites the stream.", true),
        new(1003, "Unsupported Data", "The endpoint received a type of data it cannot accept, e.g. binary where only text is handled.",
            "Sending Binary frames to a server that only handles Text (or the reverse), often a JSON server given a Blob or ArrayBuffer.",
            "Send the message type the server expects: a string for Text, an ArrayBuffer for Binary; check the server's message handler.", true),
        new(1004, "Reserved", "Reserved by RFC 6455 7.4.1; the meaning might be defined in the future.",
            "A server or library using a reserved code on its own.",
            "Use 1000-1003 or 1007-1014 for protocol-level reasons, or a 4000-4999 code for your own.", false),
        new(1005, "No Status Received", "No code was present: the Close frame was empty. APIs report 1005; it is never sent.",
            "The peer sent a Close frame without a payload, which is allowed; or a library wrongly put 1005 into a frame.",
            "If you need a reason, close with an explicit code such as 1000; never send 1005 itself in a Close frame.", false),
        new(1006, "Abnormal Closure", "The TCP connection closed without any Close frame; APIs report 1006, it is never sent.",
            "The server process crashed or was killed, a proxy or load balancer hit its idle timeout (often 60 s), the network dropped, or TLS failed before the handshake finished.",
            "Check server logs for crashes at that moment; raise proxy idle timeouts (nginx proxy_read_timeout, AWS ALB idle timeout) or send pings more often than the timeout; run wsdoctor to see where the connection dies.", false),
        new(1007, "Invalid Frame Payload Data", "A message's data was not consistent with its type, typically a Text message that is not valid UTF-8.",
            "Sending binary or Latin-1 bytes in a Text frame, or cutting a UTF-8 string in the middle of a character when fragmenting.",
            "Send binary data in Binary frames; encode text as UTF-8 and fragment only between characters.", true),
        new(1008, "Policy Violation", "The endpoint received a message that violates its policy; a generic refusal.",
            "Most often authentication or authorization: a missing, expired or invalid token, or an Origin the server does not allow.",
            "Check the token (wsdoctor decodes JWT expiry), the cookie, and the server's allowed origins; server logs usually name the policy.", true),
        new(1009, "Message Too Big", "The endpoint received a message too big for it to process.",
            "The message exceeded the server's limit (e.g. ws maxPayload, ASP.NET Core ReceiveBufferSize, Spring setMaxTextMessageBufferSize).",
            "Split the data into smaller messages, or raise the receiver's message size limit.", true),
        new(1010, "Mandatory Extension", "The client closed because the server did not negotiate an extension the client requires.",
            "The client required an extension (listed in the reason) that the server's handshake response did not accept.",
            "Enable the extension on the server, or stop requiring it in the client.", true),
        new(1011, "Internal Error", "The server hit an unexpected condition that prevented it from fulfilling the request.",
            "An unhandled exception in the server's message handler.",
            "Look at the server logs at the time of the close for the exception and fix the handler; the client usually did nothing wrong.", true),
        new(1012, "Service Restart", "The service is restarting.",
            "A deploy or restart of the server.",
            "Reconnect after a short, randomized delay so all clients do not return at once.", true),
        new(1013, "Try Again Later", "The service is temporarily overloaded or rate-limiting.",
            "Too many connections or messages: a rate limit, connection limit or overloaded backend.",
            "Reconnect with exponential backoff and jitter; reduce message rate; check the server's connection limits.", true),
        new(1014, "Bad Gateway", "A gateway or proxy received an invalid response from the upstream server.",
            "The proxy in front of the WebSocket server could not reach the backend or got a broken response from it.",
            "Check that the backend is up and reachable from the proxy, and the proxy's upstream address and port.", true),
        new(1015, "TLS Handshake", "The TLS handshake failed; APIs report 1015, it is never sent.",
            "Certificate not trusted, expired or for another host name, or no common TLS version or cipher.",
            "Run wsdoctor against the wss:// URL to see the certificate problem; fix the chain or the host name.", false),
        new(3000, "Unauthorized", "Registered with IANA for frameworks: the client is not authenticated.",
            "No credentials or an expired token was sent with the connection.",
            "Send valid credentials (cookie, token in the subprotocol or first message) and refresh expired tokens before reconnecting.", true),
        new(3003, "Forbidden", "Registered with IANA for frameworks: the client is authenticated but not allowed.",
            "The user lacks the permission or role the channel requires.",
            "Grant the permission on the server, or connect as a user who has it.", true),
        new(3008, "Timeout", "Registered with IANA for frameworks: the endpoint timed out.",
            "The peer did not respond in time, e.g. no authentication message or no pong within the server's deadline.",
            "Send the expected message sooner or answer pings; check the server's timeout settings.", true),
    }.ToDictionary(info => info.Code);

    /// <summary>Explains any code: registered ones individually, the rest by the range RFC 6455 7.4.2 puts them in.</summary>
    public static CloseCodeInfo Describe(int code)
    {
        if (Registered.TryGetValue(code, out var info))
        {
            return info;
        }

        return code switch
        {
            < 1000 or >= 5000 => new(code, "Invalid", $"Code {code} is outside every range RFC 6455 7.4.2 defines.",
                "A library bug, or the code was written with the wrong byte order.",
                "Use 1000 for a normal close or a 4000-4999 code for application reasons.", false),
            < 3000 => new(code, "Reserved for the protocol", $"Code {code} is in 1016-2999, reserved for future revisions of the protocol and extensions.",
                "A server or library that picked an unregistered protocol code.",
                "Use a 4000-4999 code for your own reasons.", false),
            < 4000 => new(code, "Registered library/framework code", $"Code {code} is in 3000-3999, registered with IANA by libraries and frameworks.",
                "The framework on the other side closed for a reason of its own (Socket.IO, Phoenix, SignalR and others use this range).",
                "Look the code up in the IANA WebSocket close code registry or the framework's documentation.", true),
            _ => new(code, "Private application code", $"Code {code} is in 4000-4999, defined by the application: look in the server's code/docs.",
                "The application chose this code; it often means an auth failure, a kicked session or a business rule.",
                "Search the server code for the number and read the close reason text sent with it.", true),
        };
    }
}
