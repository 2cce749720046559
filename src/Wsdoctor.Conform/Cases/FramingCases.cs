using Wsdoctor.Conform.Engine;
using static Wsdoctor.Conform.Cases.CaseFactory;

namespace Wsdoctor.Conform.Cases;

/// <summary>Category 1: text and binary messages at the payload lengths where the length encoding changes
/// (RFC 6455 5.2: 7-bit up to 125, 16-bit up to 65535, 64-bit above), echoed unchanged.</summary>
internal static class FramingCases
{
    private static readonly (int Length, int? Chop)[] Sizes = [(0, null), (125, null), (126, null), (127, null), (128, null), (65535, null), (65536, null), (65536, 997)];

    public static IEnumerable<ConformCase> Build()
    {
        foreach (var binary in new[] { false, true })
        {
            for (int i = 0; i < Sizes.Length; i++)
            {
                var (length, chop) = Sizes[i];
                var kind = binary ? "binary" : "text";
                var payload = CaseRun.Repeat(binary ? [0xFE] : "*"u8.ToArray(), length);
                yield return Session(
                    $"1.{(binary ? 2 : 1)}.{i + 1}",
                    $"Send a {kind} message with a payload of length {length}{(chop is { } c ? $", written in chops of {c} octets" : "")}.",
                    $"The {kind} message is echoed with the payload as sent; clean close with normal code.",
                    "RFC 6455 5.2 (payload length encodings), 5.6 (data frames)",
                    async run =>
                    {
                        run.ExpectEcho(Observation.Message(payload, binary));
                        await run.SendFrameAsync(binary ? 2 : 1, payload, chop: chop).ConfigureAwait(false);
                        await run.KillAfterAsync(length > 128 ? Waits.Long : Waits.Short).ConfigureAwait(false);
                    });
            }
        }
    }
}
