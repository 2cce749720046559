using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wsdoctor.Server.Observability;

/// <summary>One line per server event on a writer (stderr in the CLI: stdout is data in stdio mode). The line
/// formats are a contract other tools parse; see docs in serve-cli. Thread-safe; a line is written whole.</summary>
public sealed class EventLog(TextWriter writer, LogFormat format, TimeProvider? time = null)
{
    private readonly Lock gate = new();
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public void Write(string name, params (string Key, object? Value)[] fields)
    {
        var ts = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var line = format == LogFormat.Json ? Json(ts, name, fields) : Logfmt(ts, name, fields);
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>Free text for humans (the --tls-dev trust instructions); text format only, prefixed so that
    /// line parsers can skip it.</summary>
    public void Note(string text)
    {
        if (format != LogFormat.Text)
        {
            return;
        }

        lock (gate)
        {
            writer.WriteLine("# " + text);
            writer.Flush();
        }
    }

    private static string Logfmt(string ts, string name, (string Key, object? Value)[] fields)
    {
        var line = new StringBuilder(128).Append("ts=").Append(ts).Append(" event=").Append(name);
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=').Append(Quote(Render(value)));
        }

        return line.ToString();
    }

    private static string Json(string ts, string name, (string Key, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", ts);
            json.WriteString("event", name);
            foreach (var (key, value) in fields)
            {
                switch (value)
                {
                    case null:
                        json.WriteNull(key);
                        break;
                    case int i:
                        json.WriteNumber(key, i);
                        break;
                    case long l:
                        json.WriteNumber(key, l);
                        break;
                    case double d:
                        json.WriteNumber(key, d);
                        break;
                    case bool b:
                        json.WriteBoolean(key, b);
                        break;
                    default:
                        json.WriteString(key, Render(value));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Render(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // logfmt has no spec; this follows the common reading (go-logfmt): quote when the value holds a space,
    // '=', '"' or a control character, escaping backslash, quote and newlines. Empty stays `key=`.
    private static string Quote(string value)
    {
        if (!value.Any(c => c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f))
        {
            return value;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' or (char)0x7f => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
