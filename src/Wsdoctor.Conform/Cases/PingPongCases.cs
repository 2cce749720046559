using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 2: pings are answered with pongs carrying the same payload (RFC 6455 5.5.2, 5.5.3), control
/// frames longer than 125 bytes fail the connection (5.5), unsolicited pongs are ignored (5.5.3).</summary>
internal static class PingPongCases
{
    private const string PongRule = "RFC 6455 5.5.2: a Ping is answered with a Pong whose payload is identical";

    public static IEnumerable<ConformCase> Build()
    {
        yield return Ping("2.1", "Send a ping without payload.", [], null);
        yield return Ping("2.2", "Send a ping with a small text payload.", Utf8("Hello, world!"), null);
        yield return Ping("2.3", "Send a ping with a small binary (non UTF-8) payload.", Bytes(0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF), null);
        yield return Ping("2.4", "Send a ping with a binary payload of 125 octets.", CaseRun.Repeat([0xFE], 125), null);
        yield return Session("2.5", "Send a ping with a binary payload of 126 octets.",
            "The connection is failed immediately (1002), since control frames carry at most 125 octets.",
            "RFC 6455 5.5: all control frames MUST have a payload length of 125 bytes or less",
            async run =>
            {
                run.ExpectFailure(1002);
                await run.SendFrameAsync(9, CaseRun.Repeat([0xFE], 126)).ConfigureAwait(false);
                await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
            });
        yield return Ping("2.6", "Send a ping with a binary payload of 125 octets, written octet by octet.", CaseRun.Repeat([0xFE], 125), 1);
        yield return Session("2.7", "Send an unsolicited pong without payload, then close.",
            "Nothing is received in reply to the pong; clean close with normal code.",
            "RFC 6455 5.5.3: a Pong may be sent unsolicited; no response is expected",
            async run =>
            {
                run.ExpectEcho();
                await run.SendFrameAsync(10, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
                await run.SendCloseAsync(1000).ConfigureAwait(false);
                await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
            });
        yield return Session("2.8", "Send an unsolicited pong with payload, then close.",
            "Nothing is received in reply to the pong; clean close with normal code.",
            "RFC 6455 5.5.3: a Pong may be sent unsolicited; no response is expected",
            async run =>
            {
                run.ExpectEcho();
                await run.SendFrameAsync(10, "unsolicited pong payload").ConfigureAwait(false);
                await run.SendCloseAsync(1000).ConfigureAwait(false);
                await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
            });
        yield return Session("2.9", "Send an unsolicited pong with payload, then a ping with payload.",
            "Nothing in reply to the pong, a pong echoing the ping's payload; clean close with normal code.",
            PongRule,
            async run =>
            {
                run.ExpectEcho(Observation.Pong("ping payload"));
                await run.SendFrameAsync(10, "unsolicited pong payload").ConfigureAwait(false);
                await run.SendFrameAsync(9, "ping payload").ConfigureAwait(false);
                await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
            });
        yield return TenPings("2.10", null);
        yield return TenPings("2.11", 1);
    }

    private static ConformCase Ping(string id, string description, byte[] payload, int? chop) => Session(id, description,
        "A pong with the ping's payload is received; clean close with normal code.", PongRule,
        async run =>
        {
            run.ExpectEcho(Observation.Pong(payload));
            await run.SendFrameAsync(9, payload, chop: chop).ConfigureAwait(false);
            await run.CloseAfterAsync(chop is null ? Waits.Short : 2 * Waits.Short).ConfigureAwait(false);
        });

    private static ConformCase TenPings(string id, int? chop) => Session(id,
        $"Send 10 pings with payloads payload-0 … payload-9{(chop is null ? "" : ", written octet by octet")}.",
        "A pong for each ping, in order, with its payload (the RFC only requires a pong for the latest ping, but every pong is checked as Autobahn does); clean close with normal code.",
        "RFC 6455 5.5.3: an endpoint MAY elect to send a Pong only for the most recent Ping",
        async run =>
        {
            run.ExpectEcho([.. Enumerable.Range(0, 10).Select(i => Observation.Pong($"payload-{i}"))]);
            for (int i = 0; i < 10; i++)
            {
                await run.SendFrameAsync(9, $"payload-{i}", chop: chop).ConfigureAwait(false);
            }

            await run.CloseAfterAsync(3 * Waits.Short).ConfigureAwait(false);
        });
}
