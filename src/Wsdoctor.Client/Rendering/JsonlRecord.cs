using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;

namespace Wsdoctor.Client.Rendering;

/// <summary>--jsonl: one JSON object per event, fields in a fixed order so a human can read them too:
/// ts, dir, opcode, size, data (+ encoding for binary, code/reason for close, rttMs for an answered ping).</summary>
public static class JsonlRecord
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Null for events that have no record (notes go to stderr as text).</summary>
    public static string? Render(SessionEvent e)
    {
        return e switch
        {
            MessageEvent m => Write(m.At, m.Direction, m.Type == WebSocketMessageType.Binary ? "binary" : "text", m.Data, m.Type == WebSocketMessageType.Binary, null),
            AppMessageEvent a => Write(a.At, a.Direction, a.Raw.Type == WebSocketMessageType.Binary ? "binary" : "text", a.Raw.Data, a.Raw.Type == WebSocketMessageType.Binary, w =>
            {
                w.WriteString("protocol", a.Protocol);
                w.WriteString("app", a.Text);
            }),
            ControlEvent c => Write(c.At, c.Direction, c.Opcode == Protocol.Frames.Opcode.Ping ? "ping" : "pong", c.Payload, !IsUtf8(c.Payload), w =>
            {
                if (c.RttMs is { } rtt)
                {
                    w.WriteNumber("rttMs", Math.Round(rtt, 3));
                }
            }),
            CloseEvent c => Write(c.At, c.Direction, "close", Encoding.UTF8.GetBytes(c.Reason), false, w =>
            {
                if (c.Code is { } code)
                {
                    w.WriteNumber("code", code);
                }
                else
                {
                    w.WriteNull("code");
                }

                w.WriteString("reason", c.Reason);
            }),
            _ => null,
        };
    }

    private static string Write(DateTimeOffset at, TapDirection direction, string opcode, byte[] data, bool base64, Action<Utf8JsonWriter>? extra)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Compact))
        {
            w.WriteStartObject();
            w.WriteString("ts", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("dir", direction == TapDirection.In ? "in" : "out");
            w.WriteString("opcode", opcode);
            w.WriteNumber("size", data.Length);
            if (base64)
            {
                w.WriteString("data", Convert.ToBase64String(data));
                w.WriteString("encoding", "base64");
            }
            else
            {
                w.WriteString("data", Encoding.UTF8.GetString(data));
            }

            extra?.Invoke(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool IsUtf8(byte[] data)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
