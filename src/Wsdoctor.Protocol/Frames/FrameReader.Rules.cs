using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Wsdoctor.Protocol.Frames;

/// <summary>The rules of RFC 6455 (and RFC 7692 for RSV1) that a received frame can break, each phrased as
/// the part of a violation sentence after the frame's name.</summary>
public sealed partial class FrameReader
{
    private const byte Rsv1 = 0x40;
    private const byte Rsv2 = 0x20;
    private const byte Rsv3 = 0x10;

    private (ViolationKind Kind, string Rule)? FindHeaderViolation()
    {
        var frame = _frame;
        if (frame.RawOpcode is >= 3 and <= 7 or >= 0xB)
        {
            return (ViolationKind.ReservedOpcode,
                $"opcode 0x{frame.RawOpcode:X} is reserved (RFC 6455 5.2: 0x3-0x7 and 0xB-0xF are reserved for future data and control frames)");
        }

        if (FindReservedBitsRule(frame) is { } reservedBitsRule)
        {
            return (ViolationKind.ReservedBitsSet, reservedBitsRule);
        }

        if (frame.Masked && !_expectMaskedFrames)
        {
            return (ViolationKind.MaskedFrameFromServer, "server frame is masked (RFC 6455 5.1: a server MUST NOT mask any frames)");
        }

        if (!frame.Masked && _expectMaskedFrames)
        {
            return (ViolationKind.UnmaskedFrameFromClient, "client frame is not masked (RFC 6455 5.1: a client MUST mask all frames it sends)");
        }

        if (frame.ExtendedLengthBytes == 8 && frame.PayloadLength > long.MaxValue)
        {
            return (ViolationKind.LengthMsbSet,
                $"the 64-bit payload length 0x{frame.PayloadLength:X16} has its most significant bit set (RFC 6455 5.2: it MUST be 0)");
        }

        if ((frame.ExtendedLengthBytes == 2 && frame.PayloadLength < 126) || (frame.ExtendedLengthBytes == 8 && frame.PayloadLength <= ushort.MaxValue))
        {
            return (ViolationKind.NonMinimalLength,
                $"payload length {frame.PayloadLength} is encoded in {frame.ExtendedLengthBytes} extended length bytes (RFC 6455 5.2: the minimal number of bytes MUST be used to encode the length)");
        }

        return frame.IsControl ? FindControlFrameViolation(frame) : FindDataFrameViolation(frame);
    }

    private string? FindReservedBitsRule(FrameHeader frame)
    {
        if ((frame.ReservedBits & (Rsv2 | Rsv3)) != 0)
        {
            var bits = (frame.ReservedBits & Rsv2) != 0 ? "RSV2" : "RSV3";
            return $"{bits} is set but no negotiated extension defines it (RFC 6455 5.2: RSV bits MUST be 0 unless an extension gives them a meaning)";
        }

        if ((frame.ReservedBits & Rsv1) == 0)
        {
            return null;
        }

        if (!_perMessageDeflate)
        {
            return "RSV1 is set but permessage-deflate was not negotiated (RFC 6455 5.2: RSV bits MUST be 0 unless an extension gives them a meaning)";
        }

        return frame.Opcode switch
        {
            Opcode.Text or Opcode.Binary => null,
            Opcode.Continuation => "RSV1 is set on a continuation frame (RFC 7692 6.1: only the first frame of a compressed message carries RSV1)",
            _ => $"RSV1 is set on a {frame.Opcode} frame (RFC 7692 6.1: control frames are never compressed)",
        };
    }

    private static (ViolationKind Kind, string Rule)? FindControlFrameViolation(FrameHeader frame)
    {
        if (!frame.Fin)
        {
            return (ViolationKind.FragmentedControlFrame,
                $"{frame.Opcode} frame has FIN clear (RFC 6455 5.5: control frames MUST NOT be fragmented)");
        }

        if (frame.PayloadLength > MaxControlPayload)
        {
            return (ViolationKind.ControlFrameTooLong,
                $"{frame.Opcode} frame declares a {frame.PayloadLength}-byte payload (RFC 6455 5.5: control frames MUST have a payload length of 125 bytes or less)");
        }

        return null;
    }

    private (ViolationKind Kind, string Rule)? FindDataFrameViolation(FrameHeader frame)
    {
        if (_closeFrameNumber != 0)
        {
            return (ViolationKind.DataAfterClose,
                $"{frame.Opcode} frame arrives after the Close frame #{_closeFrameNumber} (RFC 6455 5.5.1: an endpoint MUST NOT send data frames after its Close frame)");
        }

        if (frame.Opcode == Opcode.Continuation && _messageOpcode is null)
        {
            return (ViolationKind.UnexpectedContinuation,
                "continuation frame arrives with no fragmented message in progress (RFC 6455 5.4: a fragmented message starts with a Text or Binary frame with FIN clear)");
        }

        if (frame.Opcode != Opcode.Continuation && _messageOpcode is { } unfinished)
        {
            return (ViolationKind.MessageInterleaved,
                $"{frame.Opcode} frame starts a new message while the {unfinished} message begun in frame #{_messageFirstFrame} is unfinished (RFC 6455 5.4: fragments of one message MUST NOT be interleaved with another message)");
        }

        ulong soFar = frame.Opcode == Opcode.Continuation ? (ulong)_messageLength : 0;
        if (frame.PayloadLength > (ulong)_maxMessageBytes - soFar)
        {
            return (ViolationKind.MessageTooBig,
                $"{frame.Opcode} frame brings the message to {soFar + frame.PayloadLength} bytes, over the {_maxMessageBytes}-byte limit (MaxMessageBytes)");
        }

        return null;
    }

    private static (ViolationKind Kind, string Rule)? FindCloseViolation(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 1)
        {
            return (ViolationKind.InvalidClosePayload,
                $"Close frame has a 1-byte payload {ByteEvidence.Hex(payload)} (RFC 6455 5.5.1: a Close body starts with a 2-byte status code, so it is empty or at least 2 bytes)");
        }

        if (payload.IsEmpty)
        {
            return null;
        }

        var info = CloseCodes.Describe(BinaryPrimitives.ReadUInt16BigEndian(payload));
        if (!info.AllowedOnWire)
        {
            return (ViolationKind.InvalidCloseCode,
                $"Close frame carries code {info.Code} ({info.Name}), which MUST NOT appear in a Close frame (RFC 6455 7.4)");
        }

        if (!Utf8.IsValid(payload[2..]))
        {
            return (ViolationKind.InvalidCloseReasonUtf8,
                $"Close reason {ByteEvidence.Hex(payload[2..])} is not valid UTF-8 (RFC 6455 5.5.1: the reason is UTF-8 encoded)");
        }

        return null;
    }

    private (ViolationKind Kind, string Rule)? FindMessageViolation(ReadOnlySpan<byte> message)
    {
        // A compressed message is only UTF-8 after inflating, which is not this reader's job (no streams here).
        if (_messageOpcode != Opcode.Text || _messageCompressed || Utf8.IsValid(message))
        {
            return null;
        }

        int invalidAt = 0;
        while (Rune.DecodeFromUtf8(message[invalidAt..], out _, out int length) == System.Buffers.OperationStatus.Done)
        {
            invalidAt += length;
        }

        var around = message.Slice(invalidAt, Math.Min(4, message.Length - invalidAt));
        return (ViolationKind.InvalidUtf8,
            $"the Text message of {_messageFrames} frame(s) begun in frame #{_messageFirstFrame} is not valid UTF-8 at message byte {invalidAt} ({ByteEvidence.Hex(around)}) (RFC 6455 8.1: a text message MUST be valid UTF-8)");
    }
}
