using System.Text;

namespace Wsdoctor.Protocol.AppProtocols;

/// <summary>A STOMP 1.0-1.2 frame: a command line, header lines, a blank line, the body, a NUL. Over WebSocket each
/// frame is one text message (subprotocols v10.stomp, v11.stomp, v12.stomp); a lone newline is a heart-beat.</summary>
public sealed record StompFrame(string Command, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public static readonly IReadOnlyList<string> Subprotocols = ["v12.stomp", "v11.stomp", "v10.stomp"];

    private static readonly HashSet<string> ServerCommands = new(StringComparer.Ordinal) { "CONNECTED", "MESSAGE", "RECEIPT", "ERROR" };
    private static readonly HashSet<string> ClientCommands = new(StringComparer.Ordinal)
    {
        "CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT",
    };

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>A frame a server sends (CONNECTED, MESSAGE, RECEIPT, ERROR) with its NUL; null for anything else.</summary>
    public static StompFrame? ParseServerFrame(string text)
    {
        var frame = Parse(text);
        return frame is not null && ServerCommands.Contains(frame.Command) ? frame : null;
    }

    public static StompFrame? Parse(string text)
    {
        var start = 0;
        while (start < text.Length && text[start] is '\n' or '\r')
        {
            start++;
        }

        var nul = text.IndexOf('\0', start);
        if (nul < 0)
        {
            return null;
        }

        var lines = text[start..nul].Replace("\r\n", "\n", StringComparison.Ordinal);
        var blank = lines.IndexOf("\n\n", StringComparison.Ordinal);
        var headLines = (blank < 0 ? lines : lines[..blank]).Split('\n');
        var command = headLines[0];
        if (!ServerCommands.Contains(command) && !ClientCommands.Contains(command))
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in headLines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        return new StompFrame(command, headers, blank < 0 ? "" : lines[(blank + 2)..]);
    }

    public string Encode()
    {
        var sb = new StringBuilder(Command).Append('\n');
        foreach (var (name, value) in Headers)
        {
            sb.Append(name).Append(':').Append(value).Append('\n');
        }

        return sb.Append('\n').Append(Body).Append('\0').ToString();
    }

    public static StompFrame Connect(string host) =>
        new("CONNECT", [new("accept-version", "1.0,1.1,1.2"), new("host", host), new("heart-beat", "0,0")], "");

    public static StompFrame Disconnect() => new("DISCONNECT", [], "");
}
