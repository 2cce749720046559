using Wsdoctor.Conform.Deflate;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 0, the opening handshake (RFC 6455 4.2, RFC 7692 5 and 7, RFC 9110/9112 for HTTP), which
/// Autobahn does not test. Each case sends one request that is right, or wrong in exactly one way, and grades the
/// server's answer; after a 101 it also checks that the connection echoes. Only for servers.</summary>
internal static class HandshakeCases
{
    private const string RefuseRule = "RFC 6455 4.2.1: if the client's handshake does not match the description, the server MUST stop processing it and return an HTTP error such as 400 Bad Request";

    public static IEnumerable<ConformCase> Build()
    {
        yield return Case("0.1.1", "Send a correct upgrade request.", "101 with Upgrade, Connection and the right Sec-WebSocket-Accept; the connection echoes.",
            "RFC 6455 4.2.2: the server's opening handshake", async probe =>
            {
                var key = HandshakeKeys.NewKey();
                return await MustUpgrade(probe, key, await probe.ExchangeAsync(probe.Request(key)).ConfigureAwait(false)).ConfigureAwait(false);
            });

        yield return Case("0.2.1", "Send Sec-WebSocket-Version: 99, a version no server speaks.",
            "The handshake is refused (426 Upgrade Required, or another 4xx) with a Sec-WebSocket-Version header listing 13. Refusing without that header is NON-STRICT.",
            "RFC 6455 4.2.2 item 4 and 4.4: on an unknown version the server MUST abort the handshake, send an error such as 426, and a Sec-WebSocket-Version header with the versions it understands",
            async probe =>
            {
                var reply = await probe.ExchangeAsync(probe.Request(HandshakeKeys.NewKey(), "Sec-WebSocket-Version: 99")).ConfigureAwait(false);
                if (!reply.Refused)
                {
                    return Wrong(reply, "an unknown version must be refused");
                }

                var versions = reply.Head!.Get("Sec-WebSocket-Version");
                return versions is not null && reply.Head.HasToken("Sec-WebSocket-Version", "13")
                    ? new(Grades.Ok, $"{reply.Summary} with Sec-WebSocket-Version: {versions}.")
                    : new(Grades.NonStrict, $"{reply.Summary}, but without a Sec-WebSocket-Version header naming 13 (RFC 6455 4.4 requires it so the client can retry).");
            });
        yield return Refuse("0.2.2", "Send no Sec-WebSocket-Version header.", "RFC 6455 4.2.1 item 6: the request MUST include Sec-WebSocket-Version: 13",
            probe => probe.Request("GET", "1.1", HandshakeKeys.NewKey(), true, "-version"));

        yield return Refuse("0.3.1", "Send no Sec-WebSocket-Key header.", "RFC 6455 4.2.1 item 5: the request MUST include Sec-WebSocket-Key",
            probe => probe.Request("GET", "1.1", null, true));
        yield return Refuse("0.3.2", "Send a Sec-WebSocket-Key that decodes to 15 bytes.", "RFC 6455 4.2.1 item 5: the key is a base64 value that decodes to 16 bytes",
            probe => probe.Request(Convert.ToBase64String(new byte[15])));
        yield return Refuse("0.3.3", "Send a Sec-WebSocket-Key that decodes to 17 bytes.", "RFC 6455 4.2.1 item 5: the key is a base64 value that decodes to 16 bytes",
            probe => probe.Request(Convert.ToBase64String(new byte[17])));
        yield return Refuse("0.3.4", "Send a Sec-WebSocket-Key of 24 characters that is not base64.", "RFC 6455 4.2.1 item 5: the key is a base64 value that decodes to 16 bytes",
            probe => probe.Request("!!!!!!!!!!!!!!!!!!!!!!=="));
        yield return Refuse("0.3.5", "Send two Sec-WebSocket-Key header lines.", "RFC 6455 11.3.1: Sec-WebSocket-Key MUST NOT appear more than once in a request",
            probe => probe.Request(HandshakeKeys.NewKey(), $"Sec-WebSocket-Key: {HandshakeKeys.NewKey()}"));

        yield return Accepts("0.4.1", "Send the handshake fields with lower-case names and the values in other cases (Upgrade: WebSocket, Connection: UPGRADE).",
            "RFC 9110 5.1: field names are case-insensitive; RFC 6455 4.2.1: the Upgrade value and the Connection token are compared case-insensitively",
            (probe, key) => $"GET {probe.Path} HTTP/1.1\r\nhost: {probe.HostHeader}\r\nupgrade: WebSocket\r\nconnection: UPGRADE\r\nsec-websocket-key: {key}\r\nsec-websocket-version: 13\r\n\r\n");
        yield return Accepts("0.4.2", "Send Connection: keep-alive, Upgrade (as Firefox does).",
            "RFC 6455 4.2.1 item 4: Connection must include the token Upgrade; RFC 9110 7.6.1: Connection is a list of options",
            (probe, key) => probe.Request(key).Replace("Connection: Upgrade", "Connection: keep-alive, Upgrade", StringComparison.Ordinal));
        yield return Accepts("0.4.3", "Send Connection on two header lines: keep-alive, then Upgrade.",
            "RFC 9110 5.3: several field lines with the same name are one comma-separated list; the Upgrade token on the second line counts",
            (probe, key) => probe.Request(key).Replace("Connection: Upgrade", "Connection: keep-alive\r\nConnection: Upgrade", StringComparison.Ordinal));

        yield return Case("0.5.1", "Send the upgrade request without a Host header.",
            "400 Bad Request. Another 4xx is NON-STRICT; a 101 is FAILED.",
            "RFC 9112 3.2: a server MUST respond with 400 to an HTTP/1.1 request without Host; RFC 6455 4.2.1 item 2 requires Host",
            async probe =>
            {
                var reply = await probe.ExchangeAsync(probe.Request("GET", "1.1", HandshakeKeys.NewKey(), false)).ConfigureAwait(false);
                return reply.Status == 400 ? new(Grades.Ok, $"{reply.Summary}.")
                    : reply.Refused ? new(Grades.NonStrict, $"{reply.Summary}: refused, but RFC 9112 3.2 asks for 400.")
                    : Wrong(reply, "a request without Host must be answered with 400");
            });

        foreach (var (id, what, extra, body) in new[]
        {
            ("0.6.1", "a 5-byte body (Content-Length: 5)", "Content-Length: 5", "hello"u8.ToArray()),
            ("0.6.2", "a chunked body (Transfer-Encoding: chunked)", "Transfer-Encoding: chunked", "5\r\nhello\r\n0\r\n\r\n"u8.ToArray()),
        })
        {
            yield return Case(id, $"Send the upgrade request with {what}.",
                "Either the request is refused (4xx), or the body is consumed as HTTP and the connection then echoes a message. Reading the body as WebSocket frames is NON-STRICT: a handshake has no body, so servers commonly ignore the framing, but the bytes belong to the request.",
                "RFC 9112 6.3: Content-Length or chunked coding delimits the request's body, and the WebSocket stream begins after the request (RFC 9110 7.8); RFC 6455 4.1 gives the handshake GET no body",
                async probe =>
                {
                    var key = HandshakeKeys.NewKey();
                    var reply = await probe.ExchangeAsync(probe.Request(key, extra), body).ConfigureAwait(false);
                    if (reply.Refused)
                    {
                        return new(Grades.Ok, $"{reply.Summary}: the request with a body was refused.");
                    }

                    var verdict = await MustUpgrade(probe, key, reply).ConfigureAwait(false);
                    return verdict.Behavior == Grades.Failed && reply.Upgraded && HandshakeProbe.AcceptProblem(reply, key) is null
                        ? new(Grades.NonStrict, $"{verdict.Result} The request body was read as WebSocket data.")
                        : verdict;
                });
        }

        yield return Subprotocols("0.7.1", "Offer one subprotocol that no server knows.", ["wsdoctor.unknown.example"]);
        yield return Subprotocols("0.7.2", "Offer two subprotocols in one header line.", ["wsdoctor.a.example", "wsdoctor.b.example"]);
        yield return Subprotocols("0.7.3", "Offer two subprotocols on two header lines.", ["wsdoctor.a.example", "wsdoctor.b.example"], twoLines: true);

        yield return Extensions("0.8.1", "Offer an extension that does not exist (x-wsdoctor-unknown).", "x-wsdoctor-unknown", mustDecline: true,
            "RFC 6455 9.1: the server accepts only extensions it supports, from those offered");
        yield return Extensions("0.8.2", "Offer permessage-deflate with client_max_window_bits.", "permessage-deflate; client_max_window_bits", mustDecline: false,
            "RFC 7692 7.1: a response accepting permessage-deflate has only known parameters with valid values, consistent with the offer");
        yield return Extensions("0.8.3", "Offer permessage-deflate with server_max_window_bits=7 (invalid: 8-15).", "permessage-deflate; server_max_window_bits=7", mustDecline: true,
            "RFC 7692 7.1.2.1: the value is 8-15; 5: a server MUST decline an offer with an invalid parameter value");
        yield return Extensions("0.8.4", "Offer permessage-deflate with an unknown parameter.", "permessage-deflate; x_wsdoctor_unknown", mustDecline: true,
            "RFC 7692 5: a server MUST decline an offer with a parameter not defined for offers");

        yield return Refuse("0.9.1", "Send the upgrade request as HTTP/1.0.", "RFC 6455 4.2.1 item 1: the handshake is an HTTP/1.1 or higher GET request",
            probe => probe.Request("GET", "1.0", HandshakeKeys.NewKey(), true));
        yield return Refuse("0.9.2", "Send the upgrade headers on a POST request.", "RFC 6455 4.2.1 item 1: the handshake is a GET request",
            probe => probe.Request("POST", "1.1", HandshakeKeys.NewKey(), true, "Content-Length: 0"));

        yield return Case("0.10.1", "Send a request head of 1 MiB (one very long header field).",
            "The server bounds what it reads: 431 Request Header Fields Too Large (or another 4xx) is OK, closing the connection is NON-STRICT, accepting it is INFORMATIONAL, no answer at all is FAILED.",
            "RFC 6585 5: 431 when header fields are too large; RFC 9112 2.3: a server that receives a request header field larger than it wishes to process responds with an appropriate 4xx",
            async probe =>
            {
                var key = HandshakeKeys.NewKey();
                var reply = await probe.ExchangeAsync(probe.Request(key, "X-Padding: " + new string('a', 1024 * 1024))).ConfigureAwait(false);
                return reply switch
                {
                    { Status: 431 } => new(Grades.Ok, $"{reply.Summary}."),
                    { Refused: true } => new(Grades.Ok, $"{reply.Summary}: refused (431 would name the reason)."),
                    { Upgraded: true } => new(Grades.Informational, "The 1 MiB head was accepted (101): no limit on request heads up to that size."),
                    { TimedOut: true } => new(Grades.Failed, $"No answer within {HandshakeProbe.Timeout.TotalSeconds:0} s: the server neither refused nor closed."),
                    _ => new(Grades.NonStrict, $"{reply.Summary}: the server closed without an HTTP error."),
                };
            });
    }

    private static ConformCase Case(string id, string description, string expectation, string rule, Func<HandshakeProbe, Task<HandshakeVerdict>> run) => new()
    {
        Id = id,
        Description = description,
        Expectation = expectation,
        Rule = rule,
        Handshake = run,
        Weight = 1,
    };

    private static HandshakeVerdict Wrong(HandshakeReply reply, string why) => new(Grades.Failed, $"{reply.Summary}: {why}.");

    private static async Task<HandshakeVerdict> MustUpgrade(HandshakeProbe probe, string key, HandshakeReply reply)
    {
        if (!reply.Upgraded)
        {
            return Wrong(reply, "this request is valid and must be accepted with 101");
        }

        if (HandshakeProbe.AcceptProblem(reply, key) is { } problem)
        {
            return new(Grades.Failed, problem);
        }

        return await probe.EchoProblemAsync(reply).ConfigureAwait(false) is { } echo
            ? new(Grades.Failed, $"101, but then {echo}.")
            : new(Grades.Ok, "101 with a valid Sec-WebSocket-Accept; the connection echoes and closes cleanly.");
    }

    private static ConformCase Refuse(string id, string description, string rule, Func<HandshakeProbe, string> request) => Case(id, description,
        "The handshake is refused with a 4xx status (400 Bad Request). A 101 is FAILED.", $"{rule}; {RefuseRule}",
        async probe =>
        {
            var reply = await probe.ExchangeAsync(request(probe)).ConfigureAwait(false);
            return reply.Refused ? new(Grades.Ok, $"{reply.Summary}: refused.")
                : reply.Upgraded ? Wrong(reply, "the server accepted an invalid handshake")
                : reply.Closed ? new(Grades.NonStrict, $"{reply.Summary}: refused without an HTTP error.")
                : Wrong(reply, "expected a 4xx refusal");
        });

    private static ConformCase Accepts(string id, string description, string rule, Func<HandshakeProbe, string, string> request) => Case(id, description,
        "101 with a valid Sec-WebSocket-Accept; the connection echoes.", rule,
        async probe =>
        {
            var key = HandshakeKeys.NewKey();
            return await MustUpgrade(probe, key, await probe.ExchangeAsync(request(probe, key)).ConfigureAwait(false)).ConfigureAwait(false);
        });

    private static ConformCase Subprotocols(string id, string description, string[] offered, bool twoLines = false) => Case(id, description,
        "101 without Sec-WebSocket-Protocol, or with exactly one of the offered values (or a 4xx refusal); anything else is FAILED.",
        "RFC 6455 4.2.2 item 5.4: the selected subprotocol, if any, MUST be one of the values the client offered, and only one is selected (11.3.4: at most one in a response)",
        async probe =>
        {
            var key = HandshakeKeys.NewKey();
            var lines = twoLines ? offered.Select(p => $"Sec-WebSocket-Protocol: {p}").ToArray() : [$"Sec-WebSocket-Protocol: {string.Join(", ", offered)}"];
            var reply = await probe.ExchangeAsync(probe.Request(key, lines)).ConfigureAwait(false);
            if (reply.Refused)
            {
                return new(Grades.Ok, $"{reply.Summary}: the server refuses unknown subprotocols.");
            }

            var selected = reply.Head?.GetAll("Sec-WebSocket-Protocol") ?? [];
            if (reply.Upgraded && (selected.Count > 1 || selected.Any(s => !offered.Contains(s.Trim(), StringComparer.Ordinal))))
            {
                return new(Grades.Failed, $"101 selects '{string.Join(", ", selected)}', which is not exactly one of the offered {string.Join(", ", offered)}.");
            }

            var verdict = await MustUpgrade(probe, key, reply).ConfigureAwait(false);
            return verdict.Behavior == Grades.Ok
                ? new(Grades.Ok, selected.Count == 0 ? "101 without a subprotocol; the connection echoes." : $"101 selecting the offered '{selected[0]}'; the connection echoes.")
                : verdict;
        });

    private static ConformCase Extensions(string id, string description, string offer, bool mustDecline, string rule) => Case(id, description,
        mustDecline ? "101 without this extension in Sec-WebSocket-Extensions (or a 4xx refusal); the connection echoes." : "101 declining it, or accepting it with valid parameters; the connection echoes.",
        rule,
        async probe =>
        {
            var key = HandshakeKeys.NewKey();
            var reply = await probe.ExchangeAsync(probe.Request(key, $"Sec-WebSocket-Extensions: {offer}")).ConfigureAwait(false);
            if (reply.Refused)
            {
                return new(Grades.Ok, $"{reply.Summary}: refused.");
            }

            var accepted = reply.Head?.GetAll("Sec-WebSocket-Extensions") ?? [];
            if (reply.Upgraded && accepted.Count > 0)
            {
                if (mustDecline)
                {
                    return new(Grades.Failed, $"101 accepts '{string.Join(", ", accepted)}', which had to be declined.");
                }

                var (_, problem) = DeflateNegotiation.JudgeResponse([new DeflateOffer()], accepted);
                if (problem is not null)
                {
                    return new(Grades.Failed, $"101 with an invalid acceptance: {problem}.");
                }

                // The connection now compresses; a plain text message is still valid (RSV1 is per message).
            }

            var verdict = await MustUpgrade(probe, key, reply).ConfigureAwait(false);
            return verdict.Behavior == Grades.Ok && accepted.Count > 0
                ? new(Grades.Ok, $"101 accepting '{string.Join(", ", accepted)}' with valid parameters; the connection echoes.")
                : verdict;
        });
}
