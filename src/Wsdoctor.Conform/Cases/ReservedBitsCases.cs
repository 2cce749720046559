using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 3: frames with RSV bits set while no extension was negotiated fail the connection
/// (RFC 6455 5.2). RSV is numbered as Autobahn numbers it: the 3-bit value RSV1 RSV2 RSV3 (4 = RSV1 only).</summary>
internal static class ReservedBitsCases
{
    private const string Rule = "RFC 6455 5.2: RSV1-3 MUST be 0 unless an extension is negotiated that defines them; otherwise the receiver MUST fail the connection";
    private const string Hello = "Hello, world!";

    public static IEnumerable<ConformCase> Build()
    {
        yield return Single("3.1", "Send a small text message with RSV = 1.", 1, Utf8(Hello), 1);
        yield return Sequence("3.2", "Send a small text message, then the same with RSV = 2, then a ping.", 2, null, false);
        yield return Sequence("3.3", "Send a small text message, then the same with RSV = 3, then a ping; each frame its own write.", 3, null, true);
        yield return Sequence("3.4", "Send a small text message, then the same with RSV = 4, then a ping; written octet by octet.", 4, 1, false);
        yield return Single("3.5", "Send a small binary message with RSV = 5.", 2, Bytes(0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF), 5);
        yield return Single("3.6", "Send a ping with RSV = 6.", 9, Utf8(Hello), 6);
        yield return Single("3.7", "Send a close frame with RSV = 7.", 8, [], 7);
    }

    private static ConformCase Single(string id, string description, int opcode, byte[] payload, int rsv) => Session(id, description,
        "The connection is failed immediately (1002).", Rule,
        async run =>
        {
            run.ExpectFailure(1002);
            await run.SendFrameAsync(opcode, payload, rsv: rsv).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });

    private static ConformCase Sequence(string id, string description, int rsv, int? chop, bool sync) => Session(id, description,
        "The first message is echoed, then the connection is failed immediately (1002); no pong is received.", Rule,
        async run =>
        {
            run.ExpectFailure(1002, Observation.Text(Hello));
            await run.SendFrameAsync(1, Hello, chop: chop, sync: sync).ConfigureAwait(false);
            await run.SendFrameAsync(1, Hello, rsv: rsv, chop: chop, sync: sync).ConfigureAwait(false);
            await run.SendFrameAsync(9, ReadOnlyMemory<byte>.Empty, chop: chop, sync: sync).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
}
