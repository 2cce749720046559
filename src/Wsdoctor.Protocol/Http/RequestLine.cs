using System.Text;

namespace Wsdoctor.Protocol.Http;

/// <summary>RFC 9112 3: <c>request-line = method SP request-target SP HTTP-version</c>.</summary>
internal sealed class RequestLine : StartLineGrammar
{
    public string Method { get; private set; } = "";

    public string Target { get; private set; } = "";

    public string HttpVersion { get; private set; } = "";

    public override string HeadName => "request head";

    public override string ImplausiblePrefixProblem => "request line does not start with a method token followed by a space";

    public override int PlausiblePrefixLength(ReadOnlySpan<byte> startLineSoFar)
    {
        // The method is a token (RFC 9110 9.1), so a TLS ClientHello (16 03 01) fails on its first byte.
        for (int i = 0; i < startLineSoFar.Length; i++)
        {
            if (startLineSoFar[i] == (byte)' ' && i > 0)
            {
                return startLineSoFar.Length;
            }

            if (!TokenGrammar.IsTokenByte(startLineSoFar[i]))
            {
                return i;
            }
        }

        return startLineSoFar.Length;
    }

    public override string? Parse(ReadOnlySpan<byte> line)
    {
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0
            || lastSpace == firstSpace
            || line.Length - lastSpace - 1 != HttpVersionSyntax.Length
            || !HttpVersionSyntax.TryParse(line[(lastSpace + 1)..], out var version))
        {
            return $"request line {ByteEvidence.Quote(line)} is not \"METHOD SP target SP HTTP/d.d\" (RFC 9112 3)";
        }

        var target = line[(firstSpace + 1)..lastSpace];
        if (target.IsEmpty || target.IndexOfAnyInRange((byte)0, (byte)' ') >= 0 || target.Contains((byte)0x7F))
        {
            return $"request line {ByteEvidence.Quote(line)} has whitespace or control bytes in its target (RFC 9112 3.2)";
        }

        Method = Encoding.Latin1.GetString(line[..firstSpace]);
        Target = Encoding.Latin1.GetString(target);
        HttpVersion = version;

        // RFC 9113 3.4: the HTTP/2 preface starts with a line shaped like a request so that HTTP/1.1 servers
        // reject it; naming it saves the reader from decoding "PRI *" themselves.
        if (Method == "PRI" && Target == "*" && version == "2.0")
        {
            return $"request line {ByteEvidence.Quote(line)} is the HTTP/2 connection preface (RFC 9113 3.4): the client speaks HTTP/2 with prior knowledge, not HTTP/1.1";
        }

        return null;
    }
}
