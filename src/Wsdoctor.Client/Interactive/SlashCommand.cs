using System.Globalization;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

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
public sealed record SlashCommand(SlashKind Kind, string Argument = "", int? Code = null, byte[]? Bytes = null)
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
                    return Invalid(T("/binary takes hex digits, e.g. /binary 01 02 ff", "/binary 后面要跟十六进制数字，例如 /binary 01 02 ff"));
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
                    return Invalid(T("/close takes a code 1000-1003, 1007-1014 or 3000-4999, then an optional reason", "/close 后面要跟关闭码 1000-1003、1007-1014 或 3000-4999，然后是可选的关闭原因"));
                }

                var reason = parts.Length > 1 ? parts[1] : "";
                // RFC 6455 5.5: a control frame payload is at most 125 bytes, 2 of them the code.
                return System.Text.Encoding.UTF8.GetByteCount(reason) > 123
                    ? Invalid(T("a close reason is at most 123 bytes (RFC 6455 5.5)", "关闭原因最多 123 字节（RFC 6455 5.5）"))
                    : new SlashCommand(SlashKind.Close, reason, code);
            default:
                return Invalid(T($"unknown command {name} (/help lists them; //text sends a message starting with /)", $"未知命令 {name}（/help 列出所有命令；//text 发送以 / 开头的消息）"));
        }
    }

    public static readonly IReadOnlyList<Text> HelpText =
    [
        T("type a line and press Enter to send it as a text message", "输入一行并按 Enter，作为文本消息发送"),
        T("/ping [data]             send a ping (the pong's round-trip time is printed)", "/ping [data]             发送 ping（会打印 pong 的往返时间）"),
        T("/close [code [reason]]   close the connection (default 1000)", "/close [code [reason]]   关闭连接（默认 1000）"),
        T("/binary HEX              send a binary message, e.g. /binary 01 02 ff", "/binary HEX              发送二进制消息，例如 /binary 01 02 ff"),
        T("/file PATH               send a file's contents as one binary message", "/file PATH               把文件内容作为一条二进制消息发送"),
        T("//text                   send a text message that starts with a slash", "//text                   发送以斜杠开头的文本消息"),
        T("/help                    this list; Ctrl-D closes with 1000, Ctrl-C quits", "/help                    显示本列表；Ctrl-D 以 1000 关闭，Ctrl-C 退出"),
    ];

    /// <summary>The help lines in English.</summary>
    public static IReadOnlyList<string> Help { get; } = [.. HelpText.Select(t => t.En)];

    /// <summary>Why the line is not a valid command, in every output language.</summary>
    public Text? ErrorText { get; init; }

    /// <summary>Why the line is not a valid command, in English.</summary>
    public string? Error => ErrorText?.En;

    private static SlashCommand Invalid(Text error) => new(SlashKind.Invalid) { ErrorText = error };
}
