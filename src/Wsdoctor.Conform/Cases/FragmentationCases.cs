using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 5: fragmentation (RFC 6455 5.4): fragmented messages are reassembled, control frames may be
/// interleaved but never fragmented, a continuation without a message or a new message inside another fails.</summary>
internal static class FragmentationCases
{
    private const string Rule = "RFC 6455 5.4: a fragmented message is one Text/Binary frame with FIN clear, continuations, and a final continuation with FIN set; control frames MAY be injected and MUST NOT be fragmented";

    private enum Write
    {
        Plain,
        Sync,
        Chop,
    }

    public static IEnumerable<ConformCase> Build()
    {
        yield return Fails("5.1", "Send a ping in 2 fragments.", [(9, false, "fragment1"), (0, true, "fragment2")], Write.Plain,
            "RFC 6455 5.5: control frames MUST NOT be fragmented");
        yield return Fails("5.2", "Send a pong in 2 fragments.", [(10, false, "fragment1"), (0, true, "fragment2")], Write.Plain,
            "RFC 6455 5.5: control frames MUST NOT be fragmented");
        yield return Reassembled("5.3", "Send a text message in 2 fragments.", Write.Plain, ping: false);
        yield return Reassembled("5.4", "Send a text message in 2 fragments, each frame its own write.", Write.Sync, ping: false);
        yield return Reassembled("5.5", "Send a text message in 2 fragments, written octet by octet.", Write.Chop, ping: false);
        yield return Reassembled("5.6", "Send a text message in 2 fragments with a ping between them.", Write.Plain, ping: true);
        yield return Reassembled("5.7", "Send a text message in 2 fragments with a ping between them, each frame its own write.", Write.Sync, ping: true);
        yield return Reassembled("5.8", "Send a text message in 2 fragments with a ping between them, written octet by octet.", Write.Chop, ping: true);
        foreach (var (id, write) in new[] { ("5.9", Write.Plain), ("5.10", Write.Sync), ("5.11", Write.Chop) })
        {
            yield return Fails(id, $"Send an unfragmented continuation frame (FIN set), then a text message{Suffix(write)}.",
                [(0, true, "non-continuation payload"), (1, true, "Hello, world!")], write,
                "RFC 6455 5.4: a continuation frame with no message in progress");
        }

        foreach (var (id, write) in new[] { ("5.12", Write.Plain), ("5.13", Write.Sync), ("5.14", Write.Chop) })
        {
            yield return Fails(id, $"Send a continuation frame with FIN clear but no message begun, then a text message{Suffix(write)}.",
                [(0, false, "non-continuation payload"), (1, true, "Hello, world!")], write,
                "RFC 6455 5.4: a continuation frame with no message in progress");
        }

        yield return Session("5.15", "Send a text message in 2 fragments, then continuation (FIN clear) and a text frame (FIN set) out of order.",
            "The first message is echoed, then the connection is failed immediately (1002).", Rule,
            async run =>
            {
                run.ExpectFailure(1002, Observation.Text("fragment1fragment2"));
                await run.SendFrameAsync(1, "fragment1", fin: false).ConfigureAwait(false);
                await run.SendFrameAsync(0, "fragment2").ConfigureAwait(false);
                await run.SendFrameAsync(0, "fragment3", fin: false).ConfigureAwait(false);
                await run.SendFrameAsync(1, "fragment4").ConfigureAwait(false);
                await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
            });
        yield return Fails("5.16", "Twice: a continuation (FIN clear), a text frame (FIN clear), a continuation (FIN set).",
            [(0, false, "fragment1"), (1, false, "fragment2"), (0, true, "fragment3"), (0, false, "fragment1"), (1, false, "fragment2"), (0, true, "fragment3")],
            Write.Plain, "RFC 6455 5.4: a continuation frame with no message in progress");
        yield return Fails("5.17", "Twice: a continuation (FIN set), a text frame (FIN clear), a continuation (FIN set).",
            [(0, true, "fragment1"), (1, false, "fragment2"), (0, true, "fragment3"), (0, true, "fragment1"), (1, false, "fragment2"), (0, true, "fragment3")],
            Write.Plain, "RFC 6455 5.4: a continuation frame with no message in progress");
        yield return Fails("5.18", "Send a text message in 2 fragments, both with opcode text (the second should be a continuation).",
            [(1, false, "fragment1"), (1, true, "fragment2")], Write.Plain,
            "RFC 6455 5.4: a new data message MUST NOT start before the fragmented one ends");
        yield return Interleaved("5.19", sync: false);
        yield return Interleaved("5.20", sync: true);
    }

    private static string Suffix(Write write) => write switch
    {
        Write.Sync => ", each frame its own write",
        Write.Chop => ", written octet by octet",
        _ => "",
    };

    private static Task Send(CaseRun run, int opcode, string payload, bool fin, Write write) =>
        run.SendFrameAsync(opcode, payload, fin: fin, chop: write == Write.Chop ? 1 : null, sync: write == Write.Sync);

    private static ConformCase Fails(string id, string description, (int Opcode, bool Fin, string Payload)[] frames, Write write, string rule) =>
        Session(id, description, "The connection is failed immediately (1002).", rule,
            async run =>
            {
                run.ExpectFailure(1002);
                foreach (var (opcode, fin, payload) in frames)
                {
                    await Send(run, opcode, payload, fin, write).ConfigureAwait(false);
                }

                await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
            });

    private static ConformCase Reassembled(string id, string description, Write write, bool ping) =>
        Session(id, description,
            ping ? "A pong for the ping, then the reassembled message is echoed; clean close with normal code." : "The reassembled message is echoed; clean close with normal code.",
            Rule,
            async run =>
            {
                run.ExpectEcho(ping ? [Observation.Pong("ping payload"), Observation.Text("fragment1fragment2")] : [Observation.Text("fragment1fragment2")]);
                await Send(run, 1, "fragment1", false, write).ConfigureAwait(false);
                if (ping)
                {
                    await Send(run, 9, "ping payload", true, write).ConfigureAwait(false);
                }

                await Send(run, 0, "fragment2", true, write).ConfigureAwait(false);
                await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
            });

    private static ConformCase Interleaved(string id, bool sync) => Session(id,
        $"Send a text message in 5 fragments with a ping after the 2nd and after the 4th, pausing {Waits.Pause.TotalMilliseconds:0} ms after the first ping{(sync ? "; each frame its own write" : "")}.",
        "Pongs for both pings as they arrive, then the reassembled message is echoed; clean close with normal code.", Rule,
        async run =>
        {
            run.ExpectEcho(Observation.Pong("pongme 1!"), Observation.Pong("pongme 2!"), Observation.Text("fragment1fragment2fragment3fragment4fragment5"));
            var write = sync ? Write.Sync : Write.Plain;
            await Send(run, 1, "fragment1", false, write).ConfigureAwait(false);
            await Send(run, 0, "fragment2", false, write).ConfigureAwait(false);
            await Send(run, 9, "pongme 1!", true, write).ConfigureAwait(false);
            if (!await run.PauseAsync(Waits.Pause).ConfigureAwait(false))
            {
                return;
            }

            await Send(run, 0, "fragment3", false, write).ConfigureAwait(false);
            await Send(run, 0, "fragment4", false, write).ConfigureAwait(false);
            await Send(run, 9, "pongme 2!", true, write).ConfigureAwait(false);
            await Send(run, 0, "fragment5", true, write).ConfigureAwait(false);
            await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
        });
}
