using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 7: the closing handshake (RFC 6455 5.5.1, 7): frames after a Close are ignored, the Close body
/// is empty or a 2-byte code plus UTF-8 reason of at most 123 bytes, and only the codes of 7.4 may be sent.</summary>
internal static class CloseCases
{
    private const string CloseRule = "RFC 6455 5.5.1: after sending a Close frame the endpoint sends no more data; the receiver answers the first Close with a Close and ignores later frames";
    private const string BodyRule = "RFC 6455 5.5.1: a Close body is empty, or a 2-byte status code followed by a UTF-8 reason; control frames carry at most 125 bytes (5.5)";
    private static readonly int[] ValidCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
    private static readonly int[] InvalidCodes = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

    public static IEnumerable<ConformCase> Build()
    {
        yield return Close("7.1.1", "Send a text message, then close.", "The message is echoed, then a clean close with normal code.", CloseRule, async run =>
        {
            run.ExpectEcho(Observation.Text("Hello World!"));
            await run.SendFrameAsync(1, "Hello World!").ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        }, suppress: false);
        yield return Close("7.1.2", "Send two close frames.", "Clean close with normal code; the second close frame is ignored.", CloseRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.SendFrameAsync(8, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.1.3", "Send a ping after the close frame.", "Clean close with normal code; no pong.", CloseRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.SendFrameAsync(9, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.1.4", "Send a text message after the close frame.", "Clean close with normal code; the message is ignored.", CloseRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.SendFrameAsync(1, "Hello World!").ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.1.5", "Send the first fragment of a message, a close frame, then the last fragment.", "Clean close with normal code.", CloseRule, async run =>
        {
            run.ExpectEcho();
            await run.SendFrameAsync(1, "fragment1", fin: false).ConfigureAwait(false);
            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.SendFrameAsync(0, "fragment2").ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Session("7.1.6", "Send a 256 KiB text message, a small text message, a close frame and a ping, back to back.",
            "Implementation-defined: whether the small message is echoed before the close depends on how the peer schedules its writes. Informational.",
            CloseRule, async run =>
            {
                run.SuppressClose = true;
                run.Expected[Grades.Ok] = [Observation.Text("Hello World!")];
                run.Expected[Grades.NonStrict] = [];
                run.ExpectedClose = ExpectedClose.Normal;
                run.RecordReceived = false;
                await run.SendFrameOfLengthAsync(1, "BAsd7&jh23", 256 * 1024).ConfigureAwait(false);
                await run.SendFrameAsync(1, "Hello World!").ConfigureAwait(false);
                await run.SendCloseAsync(1000).ConfigureAwait(false);
                await run.SendFrameAsync(9, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
                await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
            }, Informational, weight: 3);

        yield return Close("7.3.1", "Send a close frame with an empty payload (no code, no reason).", "Clean close with normal code (or none).", BodyRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync((int?)null).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.3.2", "Send a close frame with a 1-byte payload.", "Close with protocol error (1002), or the connection dropped.", BodyRule, async run =>
        {
            run.Expected[Grades.Ok] = [];
            run.ExpectedClose = new ExpectedClose(true, [1002], false);
            await run.SendClosePayloadAsync("a"u8.ToArray()).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.3.3", "Send a close frame with a 2-byte payload (code 1000, no reason).", "Clean close with normal code.", BodyRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.3.4", "Send a close frame with code 1000 and a reason.", "Clean close with normal code.", BodyRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync(1000, "Hello World!").ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.3.5", "Send a close frame with code 1000 and a reason of the maximum length, 123 bytes.", "Clean close with normal code.", BodyRule, async run =>
        {
            run.ExpectEcho();
            await run.SendCloseAsync(1000, new string('*', 123)).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.3.6", "Send a close frame with code 1000 and a 124-byte reason: a 126-byte control frame.", "Close with protocol error (1002), or the connection dropped.", BodyRule, async run =>
        {
            run.Expected[Grades.Ok] = [];
            run.ExpectedClose = new ExpectedClose(true, [1002], false);
            await run.SendCloseAsync(1000, new string('*', 124)).ConfigureAwait(false);
            await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
        });
        yield return Close("7.5.1", "Send a close frame with code 1000 and a reason that is not valid UTF-8.", "Close with protocol error (1002) or invalid payload (1007), or the connection dropped.",
            "RFC 6455 5.5.1: the close reason is UTF-8; 8.1: invalid UTF-8 fails the connection", async run =>
            {
                run.Expected[Grades.Ok] = [];
                run.ExpectedClose = new ExpectedClose(true, [1002, 1007], false);
                await run.SendCloseAsync(1000, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, .. "edited"u8]).ConfigureAwait(false);
                await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
            });

        for (int i = 0; i < ValidCodes.Length; i++)
        {
            var code = ValidCodes[i];
            yield return Close($"7.7.{i + 1}", $"Send a close frame with the valid close code {code}.", "Clean close with normal code or the code echoed.",
                "RFC 6455 7.4.1 and 7.4.2: 1000-1003, 1007-1011 are defined, 3000-3999 are registered, 4000-4999 are private; all may be sent", async run =>
                {
                    run.Expected[Grades.Ok] = [];
                    run.ExpectedClose = new ExpectedClose(true, [1000, code], true);
                    await run.SendCloseAsync(code).ConfigureAwait(false);
                    await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
                });
        }

        for (int i = 0; i < InvalidCodes.Length; i++)
        {
            var code = InvalidCodes[i];
            yield return Close($"7.9.{i + 1}", $"Send a close frame with the invalid close code {code}.", "Close with protocol error (1002), or the connection dropped.",
                "RFC 6455 7.4.1: 1004-1006 and 1015 MUST NOT be sent; 7.4.2: codes below 1000 are unused and 1016-2999 are reserved", async run =>
                {
                    run.Expected[Grades.Ok] = [];
                    run.ExpectedClose = new ExpectedClose(true, [1002], false);
                    await run.SendCloseAsync(code).ConfigureAwait(false);
                    await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
                });
        }

        foreach (var (id, code) in new[] { ("7.13.1", 5000), ("7.13.2", 65535) })
        {
            yield return Session(id, $"Send a close frame with the close code {code}, outside every range RFC 6455 defines.",
                "Undefined by the RFC; informational.", "RFC 6455 7.4.2 defines codes 0-4999 only", async run =>
                {
                    run.SuppressClose = true;
                    run.Expected[Grades.Ok] = [];
                    run.ExpectedClose = new ExpectedClose(true, [1000, code, 1002], false);
                    await run.SendCloseAsync(code).ConfigureAwait(false);
                    await run.KillAfterAsync(Waits.Short).ConfigureAwait(false);
                }, Informational);
        }
    }

    private static ConformCase Close(string id, string description, string expectation, string rule, Func<CaseRun, Task> script, bool suppress = true) =>
        Session(id, description, expectation, rule, async run =>
        {
            run.SuppressClose = suppress;
            await script(run).ConfigureAwait(false);
        }, WrongCodeFails);
}
