using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Load.Echo;

namespace Wsdoctor.Load.Payloads;

/// <summary>Writes the messages of one connection into buffers it owns: nothing is allocated per message.</summary>
public abstract class MessageWriter
{
    /// <summary>The message numbered <paramref name="sequence"/> (valid until the next call).</summary>
    public abstract ReadOnlyMemory<byte> Next(long sequence);
}

/// <summary>What the connections send: sized messages stamped with their sequence number, a template with
/// <c>{{seq}}</c>/<c>{{ts}}</c>, or a file's bytes as they are.</summary>
public abstract class MessageSource
{
    public abstract WebSocketMessageType Type { get; }

    /// <summary>The longest message, so a connection can size its receive buffer once.</summary>
    public abstract int MaxBytes { get; }

    public abstract string Description { get; }

    public abstract MessageWriter CreateWriter(int connectionIndex);

    public static MessageSource Sized(SizeDistribution sizes, WebSocketMessageType type) => new SizedSource(sizes, type);

    /// <summary>A text template; <c>{{seq}}</c> becomes the connection's message number, <c>{{ts}}</c> the Unix time in ms.</summary>
    public static MessageSource Template(string template, WebSocketMessageType type) => new TemplateSource(template, type);

    /// <summary>Bytes sent as they are (a --payload file without placeholders).</summary>
    public static MessageSource Fixed(byte[] bytes, WebSocketMessageType type, string description) => new FixedSource(bytes, type, description);

    private sealed class SizedSource(SizeDistribution sizes, WebSocketMessageType type) : MessageSource
    {
        public override WebSocketMessageType Type => type;

        public override int MaxBytes => sizes.Max;

        public override string Description => $"{(type == WebSocketMessageType.Text ? "text" : "binary")} {sizes}";

        public override MessageWriter CreateWriter(int connectionIndex) => new Writer(sizes, type, connectionIndex);

        private sealed class Writer : MessageWriter
        {
            private readonly SizeDistribution sizes;
            private readonly bool text;
            private readonly byte[] buffer;
            private readonly Random random;

            public Writer(SizeDistribution sizes, WebSocketMessageType type, int connectionIndex)
            {
                this.sizes = sizes;
                text = type == WebSocketMessageType.Text;
                random = new Random(connectionIndex + 1);
                if (text)
                {
                    // Printable ASCII, so every prefix is valid UTF-8.
                    buffer = new byte[sizes.Max];
                    for (var i = 0; i < buffer.Length; i++)
                    {
                        buffer[i] = (byte)('a' + ((i * 7) + connectionIndex) % 26);
                    }
                }
                else
                {
                    buffer = EchoPayload.Create(sizes.Max, connectionIndex);
                }
            }

            public override ReadOnlyMemory<byte> Next(long sequence)
            {
                var size = sizes.Pick(random);
                var message = buffer.AsSpan(0, size);
                if (text)
                {
                    // The number in hex at both ends: stale, reordered and truncated echoes differ from what was sent.
                    Span<byte> hex = stackalloc byte[16];
                    Utf8Formatter.TryFormat(sequence, hex, out _, new System.Buffers.StandardFormat('X', 16));
                    var n = Math.Min(hex.Length, size);
                    hex[..n].CopyTo(message);
                    hex[..n].CopyTo(message[^n..]);
                }
                else
                {
                    EchoPayload.Stamp(message, sequence);
                }

                return buffer.AsMemory(0, size);
            }
        }
    }

    private sealed class TemplateSource : MessageSource
    {
        private readonly string[] parts;

        public TemplateSource(string template, WebSocketMessageType type)
        {
            Type = type;
            parts = Tokenize(template);
            var fixedBytes = parts.Where(p => p is not "{{seq}}" and not "{{ts}}").Sum(Encoding.UTF8.GetByteCount);
            MaxBytes = fixedBytes + 20 * parts.Count(p => p is "{{seq}}" or "{{ts}}");
            Description = $"{(type == WebSocketMessageType.Text ? "text" : "binary")} template ({fixedBytes} B + placeholders)";
        }

        public override WebSocketMessageType Type { get; }

        public override int MaxBytes { get; }

        public override string Description { get; }

        public override MessageWriter CreateWriter(int connectionIndex) => new Writer(this);

        private static string[] Tokenize(string template)
        {
            var result = new List<string>();
            var at = 0;
            while (at < template.Length)
            {
                var next = IndexOfPlaceholder(template, at, out var token);
                if (next < 0)
                {
                    result.Add(template[at..]);
                    break;
                }

                if (next > at)
                {
                    result.Add(template[at..next]);
                }

                result.Add(token!);
                at = next + token!.Length;
            }

            return [.. result];
        }

        private static int IndexOfPlaceholder(string text, int from, out string? token)
        {
            var seq = text.IndexOf("{{seq}}", from, StringComparison.Ordinal);
            var ts = text.IndexOf("{{ts}}", from, StringComparison.Ordinal);
            if (seq < 0 && ts < 0)
            {
                token = null;
                return -1;
            }

            var useSeq = ts < 0 || (seq >= 0 && seq < ts);
            token = useSeq ? "{{seq}}" : "{{ts}}";
            return useSeq ? seq : ts;
        }

        private sealed class Writer(TemplateSource source) : MessageWriter
        {
            private readonly byte[][] encoded = [.. source.parts.Select(p => p is "{{seq}}" or "{{ts}}" ? [] : Encoding.UTF8.GetBytes(p))];
            private readonly byte[] buffer = new byte[source.MaxBytes];

            public override ReadOnlyMemory<byte> Next(long sequence)
            {
                var length = 0;
                for (var i = 0; i < source.parts.Length; i++)
                {
                    var value = source.parts[i] switch
                    {
                        "{{seq}}" => sequence,
                        "{{ts}}" => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                        _ => (long?)null,
                    };
                    if (value is { } number)
                    {
                        Utf8Formatter.TryFormat(number, buffer.AsSpan(length), out var written);
                        length += written;
                    }
                    else
                    {
                        encoded[i].CopyTo(buffer.AsSpan(length));
                        length += encoded[i].Length;
                    }
                }

                return buffer.AsMemory(0, length);
            }
        }
    }

    private sealed class FixedSource(byte[] bytes, WebSocketMessageType type, string description) : MessageSource
    {
        public override WebSocketMessageType Type => type;

        public override int MaxBytes => bytes.Length;

        public override string Description => description;

        public override MessageWriter CreateWriter(int connectionIndex) => new Writer(bytes);

        private sealed class Writer(byte[] bytes) : MessageWriter
        {
            public override ReadOnlyMemory<byte> Next(long sequence) => bytes;
        }
    }
}
