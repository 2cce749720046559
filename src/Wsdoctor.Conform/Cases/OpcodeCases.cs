using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 4: reserved opcodes (3-7 non-control, 11-15 control) fail the connection (RFC 6455 5.2).</summary>
internal static class OpcodeCases
{
    private const string Rule = "RFC 6455 5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved; a receiver of an unknown opcode MUST fail the connection";
    private const string Hello = "Hello, world!";

    public static IEnumerable<ConformCase> Build()
    {
        foreach (var (sub, first) in new[] { (1, 3), (2, 11) })
        {
            var kind = sub == 1 ? "non-control" : "control";
            yield return Alone($"4.{sub}.1", $"Send a frame with the reserved {kind} opcode {first}.", first, []);
            yield return Alone($"4.{sub}.2", $"Send a frame with the reserved {kind} opcode {first + 1} and a payload.", first + 1, Utf8("reserved opcode payload"));
            yield return After($"4.{sub}.3", $"Send a small text message, then a frame with the reserved {kind} opcode {first + 2}, then a ping.", first + 2, [], null);
            yield return After($"4.{sub}.4", $"Send a small text message, then a frame with the reserved {kind} opcode {first + 3} and a payload, then a ping.", first + 3, Utf8(Hello), null);
            yield return After($"4.{sub}.5", $"Send a small text message, then a frame with the reserved {kind} opcode {first + 4} and a payload, then a ping; written octet by octet.", first + 4, Utf8(Hello), 1);
        }
    }

    private static ConformCase Alone(string id, string description, int opcode, byte[] payload) => Session(id, description,
        "The connection is failed immediately (1002).", Rule,
        async run =>
        {
            run.ExpectFailure(1002);
            await run.SendFrameAsync(opcode, payload).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });

    private static ConformCase After(string id, string description, int opcode, byte[] payload, int? chop) => Session(id, description,
        "The message is echoed, then the connection is failed immediately (1002); no pong is received.", Rule,
        async run =>
        {
            run.ExpectFailure(1002, Observation.Text(Hello));
            await run.SendFrameAsync(1, Hello, chop: chop).ConfigureAwait(false);
            await run.SendFrameAsync(opcode, payload, chop: chop).ConfigureAwait(false);
            await run.SendFrameAsync(9, ReadOnlyMemory<byte>.Empty, chop: chop).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
}
