using System.Text;
using Wsdoctor.Protocol;

namespace Wsdoctor.Conform.Engine;

/// <summary>One thing the fuzzer saw, in the order it saw it: a data message, a ping, a pong, or a marker the case
/// itself records ("timeout A": a wait ended with the connection still open). Cases compare these lists.</summary>
public sealed record Observation(string Kind, byte[] Data, bool Binary = false)
{
    public static Observation Message(ReadOnlySpan<byte> data, bool binary) => new("message", data.ToArray(), binary);

    public static Observation Text(string text) => new("message", Encoding.UTF8.GetBytes(text), false);

    public static Observation Pong(ReadOnlySpan<byte> data) => new("pong", data.ToArray());

    public static Observation Pong(string text) => new("pong", Encoding.UTF8.GetBytes(text));

    public static Observation Ping(ReadOnlySpan<byte> data) => new("ping", data.ToArray());

    public static Observation Timeout(string mark) => new("timeout", Encoding.UTF8.GetBytes(mark));

    public bool Equals(Observation? other) =>
        other is not null && Kind == other.Kind && Binary == other.Binary && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Kind, Binary, Data.Length);

    /// <summary>For reports: kind, type and a bounded preview of the payload.</summary>
    public string Describe() => Kind switch
    {
        "timeout" => $"timeout {Encoding.UTF8.GetString(Data)}",
        "message" => $"{(Binary ? "binary" : "text")} message, {Data.Length} bytes: {Preview(Data, !Binary)}",
        _ => $"{Kind}, {Data.Length} bytes: {Preview(Data, false)}",
    };

    public static string Preview(ReadOnlySpan<byte> data, bool text)
    {
        const int Max = 48;
        if (data.IsEmpty)
        {
            return "(empty)";
        }

        var head = data[..Math.Min(Max, data.Length)];
        var more = data.Length > Max ? $" … (+{data.Length - Max} bytes)" : "";
        if (text && System.Text.Unicode.Utf8.IsValid(head) && !head.ContainsAnyInRange((byte)0, (byte)0x1F))
        {
            return $"\"{Encoding.UTF8.GetString(head)}\"{more}";
        }

        return ByteEvidence.Hex(head) + more;
    }

    public static bool SameSequence(IReadOnlyList<Observation> a, IReadOnlyList<Observation> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => pair.First.Equals(pair.Second));
}
