using System.Diagnostics;
using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 9: big messages, many fragments, small TCP writes and round trips (Autobahn's sizes). Each case
/// is bounded by <see cref="Waits.Performance"/>; the time taken is in the result. Category 10: the message echoed
/// whatever fragmentation the fuzzer chose.</summary>
internal static class LimitsCases
{
    private const string Rule = "RFC 6455 5.4 and 5.2: any message size up to 2^63 and any fragmentation must be handled, or refused with 1009 (7.4.1)";
    private const int KiB = 1024;
    private const int MiB = 1024 * 1024;

    public static IEnumerable<ConformCase> Build()
    {
        int[] sizes = [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB];
        int[] fragments = [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB];
        int[] chops = [64, 128, 256, 512, 1024, 2048];
        int[] roundTrips = [0, 16, 64, 256, 1024, 4096];
        foreach (var binary in new[] { false, true })
        {
            var kind = binary ? "binary" : "text";
            int offset = binary ? 1 : 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                var size = sizes[i];
                yield return Big($"9.{1 + offset}.{i + 1}", $"Send a {kind} message of {Size(size)}.", binary, size, null, null, 1 + size / MiB);
            }

            for (int i = 0; i < fragments.Length; i++)
            {
                yield return Big($"9.{3 + offset}.{i + 1}", $"Send a {kind} message of 4 MiB in fragments of {Size(fragments[i])}.", binary, 4 * MiB, fragments[i], null, 4 + 4 * MiB / fragments[i] / 4096);
            }

            for (int i = 0; i < chops.Length; i++)
            {
                yield return Big($"9.{5 + offset}.{i + 1}", $"Send a {kind} message of 1 MiB written to TCP in chops of {chops[i]} octets.", binary, MiB, null, chops[i], 1 + 1024 / chops[i]);
            }

            for (int i = 0; i < roundTrips.Length; i++)
            {
                yield return RoundTrips($"9.{7 + offset}.{i + 1}", binary, roundTrips[i]);
            }
        }

        var tenPayload = CaseRun.Repeat("*"u8.ToArray(), 65536);
        yield return Session("10.1.1", "Send a text message of 64 KiB in frames of 1300 octets.",
            "The message is echoed as sent; clean close with normal code.",
            "RFC 6455 5.4: an intermediary or endpoint may fragment a message any way it likes; the receiver reassembles it",
            async run =>
            {
                run.ExpectEcho(Observation.Message(tenPayload, false));
                await run.SendMessageAsync(tenPayload, false, 1300).ConfigureAwait(false);
                await run.KillAfterAsync(Waits.Long).ConfigureAwait(false);
            });
    }

    private static string Size(int bytes) => bytes >= MiB ? $"{bytes / MiB} MiB" : bytes >= KiB ? $"{bytes / KiB} KiB" : $"{bytes} octets";

    private static ConformCase Big(string id, string description, bool binary, int size, int? fragment, int? chop, int weight) => Session(id, description,
        "The message is echoed with the same type and length (and content); the time taken is reported.", Rule,
        async run =>
        {
            run.LogFrames = false;
            run.RecordReceived = false;
            run.ExpectedClose = ExpectedClose.Normal;
            var payload = CaseRun.Repeat(binary ? [0xFE] : "BAsd7&jh23"u8.ToArray(), size);
            var clock = Stopwatch.StartNew();
            run.Log.Add("tx", $"{(binary ? "BINARY" : "TEXT")} message of {size} bytes{(fragment is { } f ? $" in frames of {f}" : "")}{(chop is { } c ? $" in TCP chops of {c}" : "")}");
            if (fragment is not null)
            {
                await run.SendMessageAsync(payload, binary, fragment).ConfigureAwait(false);
            }
            else
            {
                await run.SendFrameAsync(binary ? 2 : 1, payload, chop: chop).ConfigureAwait(false);
            }

            var echo = await run.NextMessageAsync(Waits.Performance).ConfigureAwait(false);
            Judge(run, echo, binary, payload, clock.Elapsed);
            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
        }, weight: weight);

    private static ConformCase RoundTrips(string id, bool binary, int size) => Session(id,
        $"Send 1000 {(binary ? "binary" : "text")} messages of {size} octets one after the other, each after the echo of the previous, to measure the round trip time.",
        "Every message is echoed with the same type and length; the time taken is reported.", Rule,
        async run =>
        {
            run.LogFrames = false;
            run.RecordReceived = false;
            run.ExpectedClose = ExpectedClose.Normal;
            var payload = CaseRun.Repeat(binary ? [0xFE] : "*"u8.ToArray(), size);
            var clock = Stopwatch.StartNew();
            run.Log.Add("tx", $"1000 {(binary ? "BINARY" : "TEXT")} messages of {size} bytes, one per round trip");
            for (int i = 0; i < 1000; i++)
            {
                await run.SendFrameAsync(binary ? 2 : 1, payload).ConfigureAwait(false);
                var echo = await run.NextMessageAsync(TimeSpan.FromMilliseconds(Math.Max(1, (Waits.Performance - clock.Elapsed).TotalMilliseconds))).ConfigureAwait(false);
                if (echo is null || echo.Binary != binary || echo.Data.Length != size)
                {
                    Judge(run, echo, binary, payload, clock.Elapsed, $"round trip {i + 1}: ");
                    break;
                }

                if (i == 999)
                {
                    run.Verdict(Grades.Ok, $"All 1000 messages were echoed in {clock.ElapsedMilliseconds} ms ({clock.Elapsed.TotalMilliseconds / 1000:0.000} ms per round trip).");
                }
            }

            await run.SendCloseAsync(1000).ConfigureAwait(false);
            await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
        }, weight: 2 + size / 512);

    private static void Judge(CaseRun run, Observation? echo, bool binary, byte[] payload, TimeSpan elapsed, string prefix = "")
    {
        if (echo is null)
        {
            run.Verdict(Grades.Failed, $"{prefix}No echo within {Waits.Performance.TotalSeconds:0} s (or the connection closed first).");
        }
        else if (echo.Binary != binary)
        {
            run.Verdict(Grades.Failed, $"{prefix}Expected a {(binary ? "binary" : "text")} message, got a {(echo.Binary ? "binary" : "text")} one.");
        }
        else if (echo.Data.Length != payload.Length)
        {
            run.Verdict(Grades.Failed, $"{prefix}Expected a message of {payload.Length} bytes, got {echo.Data.Length}.");
        }
        else if (!echo.Data.AsSpan().SequenceEqual(payload))
        {
            run.Verdict(Grades.Failed, $"{prefix}The echo has the right length but different content.");
        }
        else
        {
            run.Verdict(Grades.Ok, $"Received the {payload.Length}-byte message back in {elapsed.TotalMilliseconds:0} ms.");
        }
    }
}
