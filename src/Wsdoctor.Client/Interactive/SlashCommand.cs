using System.Globalization;

namespace Wsdoctor.Client.Interactive;

public enum SlashKind
{
    Text,
    Ping,
    Close,
    Binary,
    File,
    Help,
    Invalid,
}

/// <summary>A prompt line: a message to send, or one of /ping [data], /close [code [reason]], /binary HEX,
/// /file PATH, /help. "//text" sends "/text", for messages that start with a slash.</summary>
public sealed record SlashCommand(SlashKind Kind, string Argument = "", int? Code = null, byte[]? Bytes = null, string? Error = null)
{
    public static SlashCommand Parse(string line)
    {
        if (!line.StartsWith('/') || line.StartsWith("//", StringComparison.Ordinal))
        {
            return new SlashCommand(SlashKind.Text, line.StartsWith("//", StringComparison.Ordinal) ? line[1..] : line);
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var name = (space < 0 ? line : line[..space]).ToLowerInvariant();
        var rest = space < 0 ? "" : line[(space + 1)..];
        switch (name)
        {
            case "/ping":
                return new SlashCommand(SlashKind.Ping, rest);
            case "/help" or "/?":
                return new SlashCommand(SlashKind.Help);
            case "/file" when rest.Trim().Length > 0:
                return new SlashCommand(SlashKind.File, rest.Trim());
            case "/binary":
                var hex = string.Concat(rest.Where(c => !char.IsWhiteSpace(c)));
                if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    hex = hex[2..];
                }

                try
                {
                    return new SlashCommand(SlashKind.Binary, Bytes: Convert.FromHexString(hex));
                }
                catch (FormatException)
                {
                    return Invalid("/binary takes hex digits, e.g. /binary 01 02 ff");
                }

            case "/close":
                var parts = rest.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0)
                {
                    return new SlashCommand(SlashKind.Close, Code: 1000);
                }

                // RFC 6455 7.4: the codes an endpoint may send are 1000-1003, 1007-1014 and 3000-4999.
                if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || !(code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999))
                {
                    return Invalid("/close takes a code 1000-1003, 1007-1014 or 3000-4999, then an optional reason");
                }

                var reason = parts.Length > 1 ? parts[1] : "";
                // RFC 6455 5.5: a control frame payload is at most 125 bytes, 2 of them the code.
                return System.Text.Encoding.UTF8.GetByteCount(reason) > 123
                    ? Invalid("a close reason is at most 123 bytes (RFC 6455 5.5)")
                    : new SlashCommand(SlashKind.Close, reason, code);
            default:
                return Invalid($"unknown command {name} (/help lists them; //text sends a message starting with /)");
        }
    }

    public static readonly IReadOnlyList<string> Help =
    [
        "type a line and press Enter to send it as a text message",
        "/ping [data]             send a ping (the pong's round-trip time is printed)",
        "/close [code [reason]]   close the connection (default 1000)",
        "/binary HEX              send a binary message, e.g. /binary 01 02 ff",
        "/file PATH               send a file's contents as one binary message",
        "//text                   send a text message that starts with a slash",
        "/help                    this list; Ctrl-D closes with 1000, Ctrl-C quits",
    ];

    private static SlashCommand Invalid(string error) => new(SlashKind.Invalid, Error: error);
}
