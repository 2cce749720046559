using System.Text;

namespace Wsdoctor.Protocol.Http;

/// <summary>RFC 9112 4: <c>status-line = HTTP-version SP status-code SP [ reason-phrase ]</c>. The SP before
/// an empty reason is often dropped in practice (<c>HTTP/1.1 101</c>), so it is optional here.</summary>
internal sealed class StatusLine : StartLineGrammar
{
    private static ReadOnlySpan<byte> VersionPrefix => "HTTP/"u8;

    public string HttpVersion { get; private set; } = "";

    public int StatusCode { get; private set; }

    public string Reason { get; private set; } = "";

    public override string HeadName => "response head";

    public override string ImplausiblePrefixProblem => "status line does not start with \"HTTP/\"";

    public override int PlausiblePrefixLength(ReadOnlySpan<byte> startLineSoFar)
    {
        int compared = Math.Min(startLineSoFar.Length, VersionPrefix.Length);
        int mismatch = startLineSoFar[..compared].CommonPrefixLength(VersionPrefix);
        return mismatch < compared ? mismatch : startLineSoFar.Length;
    }

    public override string? Parse(ReadOnlySpan<byte> line)
    {
        if (!HttpVersionSyntax.TryParse(line, out var version)
            || line.Length < 12
            || line[8] != (byte)' '
            || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11])
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            return $"status line {ByteEvidence.Quote(line)} is not \"HTTP/d.d SP 3DIGIT [SP reason]\" (RFC 9112 4)";
        }

        HttpVersion = version;
        StatusCode = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        Reason = line.Length > 12 ? Encoding.Latin1.GetString(line[13..]) : "";
        return null;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
