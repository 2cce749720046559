using Wsdoctor.Conform.Engine;
using Wsdoctor.Protocol;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 6: text messages must be valid UTF-8 (RFC 6455 8.1) however they are fragmented, including
/// frames that split a code point; invalid text fails the connection with 1007; 6.4 checks that the failure comes
/// as soon as the invalid byte arrives (fail-fast), not at the end of the message.</summary>
internal static class Utf8Cases
{
    private const string Rule = "RFC 6455 8.1: a Text message MUST be valid UTF-8; on invalid data the endpoint MUST fail the connection (1007, 7.4.1)";
    private const string Sample = "Hello-\u00B5@\u00DF\u00F6\u00E4\u00FC\u00E0\u00E1-UTF-8!!";
    private static readonly byte[] Greek = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5];

    // 6.3: invalid at byte 12 (ED A0 80 is the surrogate U+D800); 6.4: invalid at byte 12 (F4 90 80 80 is above U+10FFFF).
    private static readonly byte[] Surrogate = [.. Greek, 0xED, 0xA0, 0x80, .. "edited"u8];
    private static readonly byte[] TooHigh = [.. Greek, 0xF4, 0x90, 0x80, 0x80, .. "edited"u8];

    public static IEnumerable<ConformCase> Build()
    {
        yield return Valid("6.1.1", "Send a text message of length 0.", run => run.SendFrameAsync(1, ""), []);
        yield return Valid("6.1.2", "Send a text message of 3 empty fragments.", async run =>
        {
            await run.SendFrameAsync(1, "", fin: false).ConfigureAwait(false);
            await run.SendFrameAsync(0, "", fin: false).ConfigureAwait(false);
            await run.SendFrameAsync(0, "").ConfigureAwait(false);
        }, []);
        yield return Valid("6.1.3", "Send a text message of 3 fragments, the first and last empty, the middle one non-empty.", async run =>
        {
            await run.SendFrameAsync(1, "", fin: false).ConfigureAwait(false);
            await run.SendFrameAsync(0, "middle frame payload", fin: false).ConfigureAwait(false);
            await run.SendFrameAsync(0, "").ConfigureAwait(false);
        }, Utf8("middle frame payload"));
        yield return Valid("6.2.1", "Send a valid UTF-8 text message in one fragment.", run => run.SendMessageAsync(Sample), Utf8(Sample));
        yield return Valid("6.2.2", "Send a valid UTF-8 text message in two fragments, split on a code point boundary.", async run =>
        {
            await run.SendFrameAsync(1, "Hello-\u00B5@\u00DF\u00F6\u00E4", fin: false).ConfigureAwait(false);
            await run.SendFrameAsync(0, "\u00FC\u00E0\u00E1-UTF-8!!").ConfigureAwait(false);
        }, Utf8(Sample));
        yield return Valid("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, so frames end inside code points.",
            run => run.SendMessageAsync(Sample, fragmentSize: 1), Utf8(Sample));
        yield return Valid("6.2.4", "Send a valid UTF-8 text message (Greek) in fragments of 1 octet, so frames end inside code points.",
            run => run.SendMessageAsync(Greek, false, 1), Greek);
        yield return Invalid("6.3.1", $"Send an invalid UTF-8 text message unfragmented: {ByteEvidence.Hex(Surrogate)}.", run => run.SendMessageAsync(Surrogate, false), Waits.Short);
        yield return Invalid("6.3.2", $"Send the same invalid UTF-8 text message in fragments of 1 octet: {ByteEvidence.Hex(Surrogate)}.", run => run.SendMessageAsync(Surrogate, false, 1), Waits.Short);

        yield return FailFast("6.4.1", "3 frames: a valid part, then the 4 octets that make it invalid, then the rest", framed: true, split: 12, splitEnd: 16);
        yield return FailFast("6.4.2", "3 frames: a valid part, then only the 1 octet that makes it invalid, then the rest", framed: true, split: 12, splitEnd: 13);
        yield return FailFast("6.4.3", "one frame written in 3 chops: a valid part, then the 4 octets that make it invalid, then the rest", framed: false, split: 12, splitEnd: 16);
        yield return FailFast("6.4.4", "one frame written in 3 chops: a valid part, then only the 1 octet that makes it invalid, then the rest", framed: false, split: 12, splitEnd: 13);

        int sub = 5;
        foreach (var (title, sequences) in Utf8Sequences.Groups)
        {
            int n = 1;
            foreach (var bytes in sequences)
            {
                var id = $"6.{sub}.{n++}";
                var payload = bytes;
                yield return System.Text.Unicode.Utf8.IsValid(payload)
                    ? Valid(id, $"{title}: send a text message with the valid UTF-8 payload {ByteEvidence.Hex(payload)} in one frame.",
                        run => run.SendMessageAsync(payload, false), payload)
                    // Autobahn gives these 0.5 s. The bound only costs a peer that neither echoes nor fails the
                    // connection (a match ends the case at once), and on a loaded machine a correct peer's answer can
                    // take longer than 0.5 s, so the usual 1 s is kept.
                    : Invalid(id, $"{title}: send a text message with the invalid UTF-8 payload {ByteEvidence.Hex(payload)} in one frame.",
                        run => run.SendMessageAsync(payload, false), Waits.Short);
            }

            sub++;
        }
    }

    private static ConformCase Valid(string id, string description, Func<CaseRun, Task> send, byte[] payload, TimeSpan? wait = null) =>
        Session(id, description, "The message is echoed as sent; clean close with normal code.",
            "RFC 6455 5.6, 8.1: a Text message is UTF-8, and frames may split a message anywhere, even inside a code point",
            async run =>
            {
                run.ExpectEcho(Observation.Message(payload, false));
                await send(run).ConfigureAwait(false);
                await run.CloseAfterAsync(wait ?? Waits.Short).ConfigureAwait(false);
            });

    private static ConformCase Invalid(string id, string description, Func<CaseRun, Task> send, TimeSpan wait) =>
        Session(id, description, "The connection is failed immediately (1007): the payload is not valid UTF-8. Nothing is echoed.", Rule,
            async run =>
            {
                run.Expected[Grades.Ok] = [];
                run.ExpectedClose = new ExpectedClose(false, [1007], false, WrongEndpointIsFatal: true);
                await send(run).ConfigureAwait(false);
                await run.KillAfterAsync(wait).ConfigureAwait(false);
            });

    private static ConformCase FailFast(string id, string how, bool framed, int split, int splitEnd) => Session(id,
        $"Send the invalid UTF-8 text {ByteEvidence.Hex(TooHigh)} as {how}, pausing {Waits.Pause.TotalMilliseconds:0} ms after each part.",
        "The first part is valid, so the connection stays open through the first pause (timeout A). The second part makes the text invalid and should be failed at once, before the message ends (OK, fail-fast); failing only after the third part is NON-STRICT.",
        Rule + "; RFC 6455 8.1 applies to the data as it arrives: 'When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_'",
        async run =>
        {
            run.Expected[Grades.Ok] = [Observation.Timeout("A")];
            run.Expected[Grades.NonStrict] = [Observation.Timeout("A"), Observation.Timeout("B")];
            run.ExpectedClose = new ExpectedClose(false, [1007], false, WrongEndpointIsFatal: true);
            var parts = new[] { TooHigh[..split], TooHigh[split..splitEnd], TooHigh[splitEnd..] };
            if (framed)
            {
                await run.SendFrameAsync(1, parts[0], fin: false).ConfigureAwait(false);
            }
            else
            {
                await run.BeginFrameAsync(1, true, TooHigh.Length).ConfigureAwait(false);
                await run.SendFrameDataAsync(parts[0]).ConfigureAwait(false);
            }

            if (!await run.PauseAsync(Waits.Pause).ConfigureAwait(false))
            {
                return;
            }

            run.Mark("A");
            await (framed ? run.SendFrameAsync(0, parts[1], fin: false) : run.SendFrameDataAsync(parts[1])).ConfigureAwait(false);
            if (!await run.PauseAsync(Waits.Pause).ConfigureAwait(false))
            {
                return;
            }

            run.Mark("B");
            await (framed ? run.SendFrameAsync(0, parts[2]) : run.SendFrameDataAsync(parts[2])).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
}
