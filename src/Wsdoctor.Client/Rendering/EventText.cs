using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Secrets;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Client.Rendering;

/// <summary>The human lines for the connected banner and for each event, shared by the interactive and pipe modes.</summary>
public static class EventText
{
    public static string Timestamp(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Connected(ConnectionFacts facts, bool showSecrets, string language = Findings.UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var url = facts.Url.ToString();
        var shown = showSecrets ? url : SecretRedactor.RedactUrl(url);
        var ms = facts.TotalMs.ToString("0.0", CultureInfo.InvariantCulture);
        var none = T("(none)", "（无）").In(language);
        var lines = new List<string>
        {
            T($"connected to {shown} ({facts.StatusCode} Switching Protocols in {ms} ms, via {facts.RemoteEndPoint}{(facts.Proxy is { } p ? $" through proxy {p}" : "")})",
                $"已连接到 {shown}（{facts.StatusCode} Switching Protocols，用时 {ms} ms，经由 {facts.RemoteEndPoint}{(facts.Proxy is { } zp ? $"，通过代理 {zp}" : "")}）").In(language),
        };
        foreach (var hop in facts.Redirects)
        {
            lines.Add(T($"  redirected:   {hop}", $"  重定向：    {hop}").In(language));
        }

        lines.Add(T($"  subprotocol:  {facts.Subprotocol ?? none}", $"  子协议：    {facts.Subprotocol ?? none}").In(language));
        lines.Add(T($"  extensions:   {facts.Extensions ?? none}", $"  扩展：      {facts.Extensions ?? none}").In(language));
        if (facts.TlsVersion is { } tls)
        {
            lines.Add(Verbatim($"  tls:          {tls}, {facts.CipherSuite}").In(language));
            lines.Add(T($"  certificate:  {facts.CertificateSubject ?? none}", $"  证书：      {facts.CertificateSubject ?? none}").In(language));
        }

        return lines;
    }

    /// <summary>Lines for one event in interactive mode (null: not shown with these options).</summary>
    public static IReadOnlyList<string>? Lines(SessionEvent e, RenderOptions options)
    {
        switch (e)
        {
            case MessageEvent m:
                var arrow = m.Direction == TapDirection.In ? "<" : ">";
                if (m.Type == WebSocketMessageType.Binary)
                {
                    return [T($"{arrow} binary, {m.Data.Length} bytes", $"{arrow} 二进制，{m.Data.Length} 字节").In(options.Language), .. HexDump.Lines(m.Data).Select(l => "  " + l)];
                }

                var text = Encoding.UTF8.GetString(m.Data);
                if (options.Pretty)
                {
                    text = PrettyJson.Format(text);
                }

                var parts = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
                return [$"{arrow} {parts[0]}", .. parts.Skip(1).Select(p => "  " + p)];
            case AppMessageEvent a when !a.Housekeeping || options.ShowPingPong:
                return [$"{(a.Direction == TapDirection.In ? "<" : ">")} {a.Text}"];
            case AppMessageEvent:
                return null;
            case ControlEvent c when c.RttMs is { } rtt:
                return [$"< pong {Payload(c.Payload, options.Language)} rtt {rtt.ToString("0.###", CultureInfo.InvariantCulture)} ms"];
            case ControlEvent c when options.ShowPingPong:
                var dir = c.Direction == TapDirection.In ? "<" : ">";
                return [$"{dir} {(c.Opcode == Opcode.Ping ? "ping" : "pong")} {Payload(c.Payload, options.Language)}"];
            case CloseEvent c when c.Direction == TapDirection.Out:
                return [$"> close {c.Code?.ToString(CultureInfo.InvariantCulture) ?? T("(no code)", "（无关闭码）").In(options.Language)}{(c.Reason.Length > 0 ? $" \"{c.Reason}\"" : "")}"];
            case NoteEvent n:
                return [$"{(n.IsProblem ? "! " : "")}{n.Translated?.In(options.Language) ?? n.Text}"];
            default:
                return null;
        }
    }

    /// <summary>The line pipe mode prints on stdout for a received data message: the text as is (or pretty),
    /// binary as one line of hex.</summary>
    public static string PipeLine(MessageEvent m, RenderOptions options)
    {
        if (m.Type == WebSocketMessageType.Binary)
        {
            return HexDump.Compact(m.Data);
        }

        var text = Encoding.UTF8.GetString(m.Data);
        return options.Pretty ? PrettyJson.Format(text) : text;
    }

    private static string Payload(byte[] payload, string language)
    {
        if (payload.Length == 0)
        {
            return T("(empty)", "（空）").In(language);
        }

        var text = Encoding.UTF8.GetString(payload);
        return text.All(ch => !char.IsControl(ch) && ch != '\uFFFD') ? $"\"{text}\"" : "0x" + HexDump.Compact(payload);
    }
}
