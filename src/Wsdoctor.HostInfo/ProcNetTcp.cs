using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Wsdoctor.HostInfo;

/// <summary>Reads the kernel's socket tables /proc/net/tcp and /proc/net/tcp6 (proc(5)). No I/O.</summary>
public static class ProcNetTcp
{
    // include/net/tcp_states.h: TCP_LISTEN = 10, printed by the kernel as %02X.
    private const string ListenState = "0A";

    // Fields between "st" and "inode": tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout.
    private const int FieldsBeforeInode = 5;

    /// <summary>The rows in the LISTEN state. Rows that do not parse are skipped, so a header,
    /// a truncated last line or a future column layout never throws.</summary>
    /// <param name="procNetTcpText">The whole text of /proc/net/tcp or /proc/net/tcp6.</param>
    /// <param name="ipv6"><c>true</c> for tcp6, whose addresses have 32 hex digits instead of 8.</param>
    public static IReadOnlyList<(IPAddress Address, int Port, long Inode)> ParseListeners(string procNetTcpText, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(procNetTcpText);
        var listeners = new List<(IPAddress, int, long)>();
        foreach (var line in procNetTcpText.AsSpan().EnumerateLines())
        {
            if (TryParseListener(line, ipv6, out var listener))
            {
                listeners.Add(listener);
            }
        }

        return listeners;
    }

    // A row is "sl: local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...",
    // with the addresses as HEXADDR:HEXPORT (net/ipv4/tcp_ipv4.c, get_tcp4_sock).
    private static bool TryParseListener(ReadOnlySpan<char> line, bool ipv6, out (IPAddress, int, long) listener)
    {
        listener = default;
        if (!NextField(ref line, out _)
            || !NextField(ref line, out var local)
            || !NextField(ref line, out _)
            || !NextField(ref line, out var state)
            || !state.Equals(ListenState, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        for (var i = 0; i < FieldsBeforeInode; i++)
        {
            if (!NextField(ref line, out _))
            {
                return false;
            }
        }

        if (!NextField(ref line, out var inodeField)
            || !long.TryParse(inodeField, NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            return false;
        }

        var colon = local.IndexOf(':');
        if (colon < 0
            || !TryParseAddress(local[..colon], ipv6, out var address)
            || !ushort.TryParse(local[(colon + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port))
        {
            return false;
        }

        listener = (address, port, inode);
        return true;
    }

    // The kernel prints each 32-bit word of the network-order address with %08X as the host reads it,
    // so on little-endian hosts 127.0.0.1 appears as 0100007F and ::1 ends in 01000000.
    private static bool TryParseAddress(ReadOnlySpan<char> hex, bool ipv6, out IPAddress address)
    {
        address = IPAddress.None;
        var length = ipv6 ? 16 : 4;
        if (hex.Length != length * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        for (var word = 0; word < length / 4; word++)
        {
            if (!uint.TryParse(hex.Slice(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(bytes.Slice(word * 4, 4), value);
        }

        address = new IPAddress(bytes[..length]);
        return true;
    }

    private static bool NextField(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> field)
    {
        rest = rest.TrimStart();
        var end = rest.IndexOfAny(' ', '\t');
        field = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[end..];
        return !field.IsEmpty;
    }
}
