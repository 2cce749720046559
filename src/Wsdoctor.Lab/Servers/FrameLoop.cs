using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Lab.Servers;

/// <summary>The server side after a scripted 101: reads the client's (masked) frames and answers like a correct
/// server — echo, pong, close reply — unless told to ignore pings. Ends when the client closes or leaves. With
/// <paramref name="answer"/> each data message gets its bytes instead of the echo (none when it returns null), and
/// the loop ends after an answer when <paramref name="endAfterAnswer"/> says so.</summary>
public static class FrameLoop
{
    public static async Task RunAsync(Stream stream, CancellationToken ct, bool answerPings = true, bool echo = true,
        Func<MessageReceived, byte[]?>? answer = null, Func<MessageReceived, bool>? endAfterAnswer = null)
    {
        var reader = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true });
        var events = new List<FrameEvent>();
        var buffer = new byte[16 * 1024];
        while (!reader.IsFaulted)
        {
            var n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            events.Clear();
            reader.Consume(buffer.AsSpan(0, n), events);
            foreach (var e in events)
            {
                switch (e)
                {
                    case PingReceived ping when answerPings:
                        await RawHttp.WriteAsync(stream, FrameWriter.Build(Opcode.Pong, ping.Payload, mask: false), ct).ConfigureAwait(false);
                        break;
                    case MessageReceived message when answer is not null:
                        if (answer(message) is { } reply)
                        {
                            await RawHttp.WriteAsync(stream, reply, ct).ConfigureAwait(false);
                            if (endAfterAnswer?.Invoke(message) == true)
                            {
                                return;
                            }
                        }

                        break;
                    case MessageReceived message when echo:
                        await RawHttp.WriteAsync(stream, FrameWriter.Build(message.Opcode, message.Payload, mask: false), ct).ConfigureAwait(false);
                        break;
                    case CloseReceived close:
                        await RawHttp.WriteAsync(stream, FrameWriter.BuildClose(close.Code ?? 1000, "", mask: false), ct).ConfigureAwait(false);
                        return;
                }
            }
        }
    }

    /// <summary>A scripted server that answers every request with a correct 101 (plus <paramref name="headers"/>), then <paramref name="after"/>.</summary>
    public static Func<Stream, CancellationToken, Task> Upgrade(Func<Stream, CancellationToken, Task> after, params string[] headers) =>
        async (stream, ct) =>
        {
            var request = await RawHttp.ReadRequestAsync(stream, ct).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            await RawHttp.WriteAsync(stream, RawHttp.SwitchingProtocols(request, false, headers), ct).ConfigureAwait(false);
            await after(stream, ct).ConfigureAwait(false);
        };
}
