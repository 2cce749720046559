using System.Buffers;
using System.Text;

namespace Wsdoctor.Protocol.Http;

/// <summary>The line machinery shared by <see cref="ResponseHeadParser"/> and <see cref="RequestHeadParser"/>:
/// RFC 9112 2.1 <c>start-line *( field-line CRLF ) CRLF</c>, fed push-style in chunks of any size.
/// Failures are values (<see cref="HeadParseStatus"/> plus <see cref="Error"/>), never exceptions: a peer that
/// answers with garbage is a finding, not a bug.</summary>
internal sealed class HeadReader
{
    // Enough to recognise a TLS record header (5 bytes) or an HTTP/2 frame header (9 bytes) by eye.
    private const int EvidenceLength = 16;

    private readonly int _maxHeadBytes;
    private readonly StartLineGrammar _startLine;
    // Where each field line's name and value lie in _buffer. Strings are only made once the head is
    // complete, so a head rejected as too large costs no allocations beyond the buffer.
    private readonly List<FieldLine> _fieldLines = [];
    private readonly byte[] _firstBytes = new byte[EvidenceLength];
    private int _firstBytesLength;
    private byte[] _buffer = [];
    private int _length;
    private int _lineStart;
    private bool _startLineDone;
    private string? _problem;
    private bool _problemQuotesFirstBytes;

    public HeadReader(int maxHeadBytes, StartLineGrammar startLine)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeadBytes);
        _maxHeadBytes = maxHeadBytes;
        _startLine = startLine;
    }

    public HeadParseStatus Status { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>The header fields once <see cref="HeadParseStatus.Complete"/>, else empty.</summary>
    public IReadOnlyList<HttpHeader> Headers { get; private set; } = [];

    /// <summary>The head as Latin-1 text once <see cref="HeadParseStatus.Complete"/>: RFC 9110 5.5 lets field
    /// values carry obs-text, and Latin-1 maps every byte to one char so nothing is lost.</summary>
    public string? RawText { get; private set; }

    public string? Error => _problem is null
        ? null
        : _problemQuotesFirstBytes
            ? $"{_problem}: first bytes {ByteEvidence.HexAndText(_firstBytes.AsSpan(0, _firstBytesLength))}"
            : _problem;

    /// <summary>See <see cref="ResponseHeadParser.Consume"/>. On Invalid or TooLarge, the bytes consumed in
    /// total end with the byte that decided it, however the input was chunked.</summary>
    public HeadParseStatus Consume(ReadOnlySpan<byte> data, out int consumed)
    {
        // The first bytes of the stream are the evidence for an early rejection. They are kept even after
        // the verdict so the evidence is the same whether the rejected byte came alone or with its record.
        RememberFirstBytes(data);
        ReserveForChunk(data.Length);

        consumed = 0;
        while (Status == HeadParseStatus.NeedMoreData && consumed < data.Length)
        {
            int step = ConsumeOneLineAtMost(data[consumed..]);
            consumed += step;
            BytesReceived += step;
        }

        return Status;
    }

    private int ConsumeOneLineAtMost(ReadOnlySpan<byte> data)
    {
        int room = _maxHeadBytes - _length;

        // A line ending past the limit means TooLarge whether or not it is found, so look no further.
        int newline = data[..Math.Min(data.Length, room)].IndexOf((byte)'\n');
        int lineBytes = newline < 0 ? data.Length : newline + 1;
        int accepted = Math.Min(lineBytes, room);
        Append(data[..accepted]);

        if (!_startLineDone)
        {
            int plausible = _startLine.PlausiblePrefixLength(_buffer.AsSpan(0, _length));
            if (plausible < _length)
            {
                // Consumed ends with the first impossible byte, wherever the chunk happened to end.
                int bytesAfterIt = _length - plausible - 1;
                Fail(HeadParseStatus.Invalid, _startLine.ImplausiblePrefixProblem, quoteFirstBytes: true);
                return accepted - bytesAfterIt;
            }
        }

        if (lineBytes > room)
        {
            FailTooLarge();
            return accepted + 1;
        }

        if (newline >= 0)
        {
            EndLine();
        }

        return accepted;
    }

    private void EndLine()
    {
        int start = _lineStart;
        var line = _buffer.AsSpan(start, _length - start);
        _lineStart = _length;

        // RFC 9112 2.2: lines end with CRLF, but a recipient MAY accept a bare LF as the terminator.
        var content = line[..^1];
        if (content.EndsWith((byte)'\r'))
        {
            content = content[..^1];
        }

        int forbidden = content.IndexOfAny((byte)'\r', (byte)0);
        if (forbidden >= 0 && content[forbidden] == (byte)'\r')
        {
            // RFC 9112 2.2: a bare CR is invalid; proxies that split lines on it and those that do not would
            // see different headers.
            Fail(HeadParseStatus.Invalid, $"line {ByteEvidence.Quote(line)} contains a CR not followed by LF (RFC 9112 2.2)");
        }
        else if (forbidden >= 0)
        {
            // RFC 9110 5.5: NUL in a field value MUST be rejected or replaced; C string handling downstream
            // would silently truncate the value.
            Fail(HeadParseStatus.Invalid, $"line {ByteEvidence.Quote(content)} contains a NUL byte (RFC 9110 5.5)");
        }
        else if (!_startLineDone)
        {
            _startLineDone = true;
            var problem = _startLine.Parse(content);
            if (problem is not null)
            {
                Fail(HeadParseStatus.Invalid, problem);
            }
        }
        else if (content.IsEmpty)
        {
            RawText = Encoding.Latin1.GetString(_buffer, 0, _length);
            Headers = DecodeFieldLines();
            Finish(HeadParseStatus.Complete);
        }
        else if (content[0] is (byte)' ' or (byte)'\t')
        {
            AppendFoldedLine(start, content);
        }
        else
        {
            AddFieldLine(start, content);
        }
    }

    private void AddFieldLine(int start, ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            Fail(HeadParseStatus.Invalid, $"header line {ByteEvidence.Quote(line)} has no ':' (RFC 9112 5: field-name \":\" OWS field-value OWS)");
            return;
        }

        var name = line[..colon];
        if (!TokenGrammar.IsToken(name))
        {
            Fail(HeadParseStatus.Invalid,
                $"header line {ByteEvidence.Quote(line)} has an invalid field name {ByteEvidence.Quote(name)} (RFC 9110 5.1: a field name is a token, so no spaces or separators, and RFC 9112 5.1 forbids whitespace before the colon)");
            return;
        }

        _fieldLines.Add(FieldLine.Locate(start, colon, line));
    }

    private void AppendFoldedLine(int start, ReadOnlySpan<byte> line)
    {
        // RFC 9112 5.2: obs-fold is deprecated but a user agent MUST replace it with SP before interpreting
        // the value. With no field before it there is nothing to continue (RFC 9112 2.2 says reject).
        if (_fieldLines.Count == 0)
        {
            Fail(HeadParseStatus.Invalid,
                $"line {ByteEvidence.Quote(line)} starts with whitespace but follows the start line, so it continues no header (RFC 9112 2.2)");
            return;
        }

        _fieldLines.Add(FieldLine.Locate(start, -1, line));
    }

    private HttpHeader[] DecodeFieldLines()
    {
        var headers = new List<HttpHeader>();
        foreach (var field in _fieldLines)
        {
            var value = Encoding.Latin1.GetString(_buffer, field.ValueStart, field.ValueLength);
            if (field.NameLength < 0)
            {
                var previous = headers[^1];
                var joined = previous.Value.Length == 0 ? value
                    : value.Length == 0 ? previous.Value
                    : $"{previous.Value} {value}";
                headers[^1] = previous with { Value = joined };
            }
            else
            {
                headers.Add(new HttpHeader(Encoding.Latin1.GetString(_buffer, field.NameStart, field.NameLength), value));
            }
        }

        return [.. headers];
    }

    private void FailTooLarge()
    {
        var unfinished = _buffer.AsSpan(_lineStart, _length - _lineStart);
        var where = unfinished.IsEmpty
            ? $"after {_fieldLines.Count} header lines"
            : $"after {_fieldLines.Count} header lines; the unfinished line starts {ByteEvidence.Quote(unfinished)}";
        Fail(HeadParseStatus.TooLarge,
            $"{_startLine.HeadName} is longer than {_maxHeadBytes} bytes without the blank line that ends it ({where})");
    }

    private void Fail(HeadParseStatus status, string problem, bool quoteFirstBytes = false)
    {
        _problem = problem;
        _problemQuotesFirstBytes = quoteFirstBytes;
        Finish(status);
    }

    private void Finish(HeadParseStatus status)
    {
        Status = status;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Sizes the buffer for the whole chunk up front (capped at the limit): a head usually arrives in
    /// one read, and growing line by line would copy it several times.</summary>
    private void ReserveForChunk(int chunkLength)
    {
        if (Status != HeadParseStatus.NeedMoreData)
        {
            return;
        }

        int wanted = (int)Math.Min((long)_length + chunkLength, _maxHeadBytes);
        if (wanted > _buffer.Length)
        {
            Grow(Math.Max(wanted, Math.Min(_buffer.Length * 2, _maxHeadBytes)));
        }
    }

    private void Grow(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void RememberFirstBytes(ReadOnlySpan<byte> data)
    {
        int count = Math.Min(EvidenceLength - _firstBytesLength, data.Length);
        data[..count].CopyTo(_firstBytes.AsSpan(_firstBytesLength));
        _firstBytesLength += count;
    }

    /// <summary>Where a field line's name and trimmed value lie in the buffer; a name length of -1 marks an
    /// obs-fold continuation of the previous field.</summary>
    private readonly record struct FieldLine(int NameStart, int NameLength, int ValueStart, int ValueLength)
    {
        public static FieldLine Locate(int lineStart, int colon, ReadOnlySpan<byte> line)
        {
            var value = line[(colon + 1)..];
            var trimmedStart = value.TrimStart(" \t"u8);
            int valueStart = lineStart + colon + 1 + (value.Length - trimmedStart.Length);
            return new FieldLine(lineStart, colon, valueStart, trimmedStart.TrimEnd(" \t"u8).Length);
        }
    }
}
