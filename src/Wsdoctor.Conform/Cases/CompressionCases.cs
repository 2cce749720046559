using System.Diagnostics;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Conform.Cases;

/// <summary>Categories 12 and 13: permessage-deflate (RFC 7692). 12.x: five kinds of payload, each at Autobahn's
/// 18 message sizes and fragment sizes, with the default offer. 13.x: one payload under the seven parameter
/// combinations of Autobahn (context takeover and window bits, requested by the client or imposed by the server).
/// Autobahn sends 1000 messages per case; here the count is bounded to about 1 MiB of payload per case (at least 8
/// messages) so the whole category runs in seconds. A peer that does not negotiate the extension is UNIMPLEMENTED.</summary>
internal static class CompressionCases
{
    private const string Rule = "RFC 7692 7.2: each message is compressed with DEFLATE, RSV1 set on its first frame, the trailing 00 00 FF FF removed; the parameters of 7.1 bind both ends";

    private static readonly (int Size, int Fragment)[] Sizes =
    [
        (16, 0), (64, 0), (256, 0), (1024, 0), (4096, 0), (8192, 0), (16384, 0), (32768, 0), (65536, 0), (131072, 0),
        (8192, 256), (16384, 256), (32768, 256), (65536, 256), (131072, 256), (131072, 1024), (131072, 4096), (131072, 32768),
    ];

    private static readonly (string Description, DeflateOffer[] Offers, DeflateAcceptRule[] Rules)[] Parameters =
    [
        ("default offer; accepted as offered", [new()], [new()]),
        ("server_no_context_takeover requested; client_no_context_takeover imposed", [new(ServerNoContextTakeover: true)], [new(ClientNoContextTakeover: true)]),
        ("server_max_window_bits=9 requested; client_max_window_bits=9 imposed", [new(ServerMaxWindowBits: 9)], [new(ClientMaxWindowBits: 9)]),
        ("server_max_window_bits=15 requested; client_max_window_bits=15 imposed", [new(ServerMaxWindowBits: 15)], [new(ClientMaxWindowBits: 15)]),
        ("no context takeover and 9 window bits, requested and imposed", [new(true, 9)], [new(true, 9)]),
        ("no context takeover and 15 window bits, requested and imposed", [new(true, 15)], [new(true, 15)]),
        ("three offers (no context takeover with 9 bits, no context takeover, default); the first acceptable one taken",
            [new(true, 9), new(ServerNoContextTakeover: true), new()], [new(true, 9), new(ClientNoContextTakeover: true), new()]),
    ];

    public static IEnumerable<ConformCase> Build()
    {
        for (int set = 0; set < CompressionData.Sets.Length; set++)
        {
            for (int i = 0; i < Sizes.Length; i++)
            {
                yield return Case($"12.{set + 1}.{i + 1}", set, Sizes[i], Parameters[0]);
            }
        }

        for (int p = 0; p < Parameters.Length; p++)
        {
            for (int i = 0; i < Sizes.Length; i++)
            {
                yield return Case($"13.{p + 1}.{i + 1}", 0, Sizes[i], Parameters[p]);
            }
        }
    }

    public static int MessageCount(int size) => Math.Clamp(1024 * 1024 / size, 8, 1000);

    private static ConformCase Case(string id, int set, (int Size, int Fragment) size, (string Description, DeflateOffer[] Offers, DeflateAcceptRule[] Rules) parameters)
    {
        var (name, description, binary, data) = CompressionData.Sets[set];
        int count = MessageCount(size.Size);
        return new ConformCase
        {
            Id = id,
            Description = $"Send {count} compressed {(binary ? "binary" : "text")} messages of {size.Size} bytes each from '{name}' ({description}){(size.Fragment > 0 ? $", fragmented into frames of {size.Fragment} bytes" : "")}; permessage-deflate: {parameters.Description}.",
            Expectation = "Every message is echoed with the same type and content. UNIMPLEMENTED if permessage-deflate is not negotiated.",
            Rule = Rule,
            Offers = parameters.Offers,
            AcceptRules = parameters.Rules,
            Weight = 2 + count * size.Size / (128 * 1024),
            Script = async run =>
            {
                run.LogFrames = false;
                run.RecordReceived = false;
                run.ExpectedClose = ExpectedClose.Normal;
                if (run.Deflate is null)
                {
                    run.Verdict(Grades.Unimplemented, "permessage-deflate was not negotiated.");
                    await run.SendCloseAsync(1000).ConfigureAwait(false);
                    await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
                    return;
                }

                run.Log.Add("--", $"permessage-deflate negotiated: {run.Deflate}");
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    var message = CompressionData.Slice(data.Value, i, size.Size);
                    await run.SendMessageAsync(message, binary, size.Fragment > 0 ? size.Fragment : null).ConfigureAwait(false);
                    var echo = await run.NextMessageAsync(Waits.Performance).ConfigureAwait(false);
                    if (echo is null || echo.Binary != binary || !echo.Data.AsSpan().SequenceEqual(message))
                    {
                        run.Verdict(Grades.Failed, echo is null
                            ? $"Message {i + 1}: no echo within {Waits.Performance.TotalSeconds:0} s (or the connection closed)."
                            : $"Message {i + 1}: the echo differs from what was sent ({(echo.Binary ? "binary" : "text")}, {echo.Data.Length} bytes).");
                        await run.SendCloseAsync(1000).ConfigureAwait(false);
                        await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
                        return;
                    }
                }

                run.Verdict(Grades.Ok, $"All {count} messages were echoed in {clock.ElapsedMilliseconds} ms.");
                await run.SendCloseAsync(1000).ConfigureAwait(false);
                await run.CloseAfterAsync(Waits.Short).ConfigureAwait(false);
            },
        };
    }
}
