using System.Text.Unicode;

namespace Wsdoctor.Server.Framing;

/// <summary>Validates a text message as its bytes arrive, in pieces of any size (RFC 6455 8.1: fail the connection
/// on invalid UTF-8, which Autobahn's 6.4 cases expect as soon as the invalid byte is seen, not at the end of the
/// message). Holds at most the 3 bytes of a character cut between pieces.</summary>
internal struct Utf8Stream
{
    private uint pending;
    private int pendingLength;
    private int pendingNeeded;

    /// <summary>True when no character is cut at the end of what was appended.</summary>
    public readonly bool AtBoundary => pendingLength == 0;

    public void Reset() => this = default;

    /// <summary>False as soon as the bytes so far cannot be the start of valid UTF-8.</summary>
    public bool Append(ReadOnlySpan<byte> data)
    {
        if (pendingLength > 0)
        {
            // Finish the character the last piece cut.
            while (pendingLength < pendingNeeded && !data.IsEmpty)
            {
                if (!ContinuationFits(Lead, pendingLength, data[0]))
                {
                    return false;
                }

                pending |= (uint)data[0] << (8 * pendingLength);
                pendingLength++;
                data = data[1..];
            }

            if (pendingLength < pendingNeeded)
            {
                return true;
            }

            pendingLength = 0;
        }

        // The last character may be cut: validate up to its lead byte, keep the rest if it is a valid start.
        var cut = data.Length;
        for (var back = 1; back <= Math.Min(3, data.Length); back++)
        {
            var b = data[^back];
            if ((b & 0xC0) != 0x80)
            {
                if (SequenceLength(b) > back)
                {
                    cut = data.Length - back;
                }

                break;
            }
        }

        if (!Utf8.IsValid(data[..cut]))
        {
            return false;
        }

        var tail = data[cut..];
        if (tail.IsEmpty)
        {
            return true;
        }

        pendingNeeded = SequenceLength(tail[0]);
        pending = tail[0];
        for (var i = 1; i < tail.Length; i++)
        {
            if (!ContinuationFits(tail[0], i, tail[i]))
            {
                return false;
            }

            pending |= (uint)tail[i] << (8 * i);
        }

        pendingLength = tail.Length;
        return true;
    }

    private readonly byte Lead => (byte)pending;

    /// <summary>How many bytes a character with this lead byte has; 0 for a byte that starts none.</summary>
    private static int SequenceLength(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    /// <summary>Whether <paramref name="b"/> may be byte <paramref name="index"/> (1-3) of a character starting
    /// with <paramref name="lead"/> (Unicode table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).</summary>
    private static bool ContinuationFits(byte lead, int index, byte b)
    {
        if (index > 1)
        {
            return b is >= 0x80 and <= 0xBF;
        }

        return lead switch
        {
            0xE0 => b is >= 0xA0 and <= 0xBF,
            0xED => b is >= 0x80 and <= 0x9F,
            0xF0 => b is >= 0x90 and <= 0xBF,
            0xF4 => b is >= 0x80 and <= 0x8F,
            _ => b is >= 0x80 and <= 0xBF,
        };
    }
}
