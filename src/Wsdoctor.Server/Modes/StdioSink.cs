using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Server.Sessions;

namespace Wsdoctor.Server.Modes;

/// <summary>Like <c>websocat -s</c>: each received message is one stdout line (binary as hex), each stdin line
/// goes to every client as a text message. End of stdin does not stop the server.</summary>
public sealed class StdioSink(FanOut fanOut, TextWriter output) : IMessageSink
{
    private readonly Lock gate = new();

    public ValueTask<bool> ReceivedAsync(Session from, Outgoing message, CancellationToken ct)
    {
        var line = message.Type == WebSocketMessageType.Text
            ? Encoding.UTF8.GetString(message.Payload.Span)
            : Convert.ToHexStringLower(message.Payload.Span);

        // A text message may itself hold newlines; one message must stay one line.
        line = line.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }

        return ValueTask.FromResult(true);
    }

    /// <summary>Reads stdin until it ends or the server stops.</summary>
    public async Task PumpInputAsync(TextReader input, CancellationToken ct)
    {
        try
        {
            while (await input.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                fanOut.Send(new Outgoing(Encoding.UTF8.GetBytes(line), WebSocketMessageType.Text), except: null);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
