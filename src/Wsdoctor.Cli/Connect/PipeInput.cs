using System.Net.WebSockets;
using System.Threading.Channels;

namespace Wsdoctor.Cli.Connect;

/// <summary>Pipe mode's stdin: each line (or NUL-terminated record) is one message, text unless --binary. One
/// reader for the whole run, so that with --reconnect lines typed while reconnecting are sent afterwards.</summary>
public static class PipeInput
{
    public static void Start(Stream stdin, ConnectSettings settings, ChannelWriter<InputItem> output, CancellationToken ct)
    {
        _ = Task.Run(async () =>
        {
            var type = settings.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            var terminator = (byte)settings.Terminator;
            var pending = new MemoryStream();
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await stdin.ReadAsync(buffer, ct).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    var start = 0;
                    for (var i = 0; i < n; i++)
                    {
                        if (buffer[i] != terminator)
                        {
                            continue;
                        }

                        pending.Write(buffer, start, i - start);
                        await output.WriteAsync(new InputItem.Send(type, Record(pending, settings)), ct).ConfigureAwait(false);
                        pending.SetLength(0);
                        start = i + 1;
                    }

                    pending.Write(buffer, start, n - start);
                }

                if (pending.Length > 0)
                {
                    await output.WriteAsync(new InputItem.Send(type, Record(pending, settings)), ct).ConfigureAwait(false);
                }

                await output.WriteAsync(new InputItem.EndOfInput(), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
            catch (IOException)
            {
                await output.WriteAsync(new InputItem.EndOfInput(), CancellationToken.None).ConfigureAwait(false);
            }
        }, ct);
    }

    // Windows-style line ends: the CR belongs to the line break, not to the message.
    private static byte[] Record(MemoryStream pending, ConnectSettings settings)
    {
        var bytes = pending.ToArray();
        return !settings.NullTerminated && bytes.Length > 0 && bytes[^1] == '\r' ? bytes[..^1] : bytes;
    }
}
