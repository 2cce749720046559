namespace Wsdoctor.Protocol.Http;

/// <summary>RFC 9112 2.3: <c>HTTP-version = "HTTP/" DIGIT "." DIGIT</c>, case-sensitive.</summary>
internal static class HttpVersionSyntax
{
    public const int Length = 8;

    /// <summary>Parses the 8 bytes at the start of <paramref name="text"/>; <paramref name="version"/> gets
    /// the digits, e.g. <c>1.1</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out string version)
    {
        version = "";
        if (text.Length < Length
            || !text.StartsWith("HTTP/"u8)
            || !char.IsAsciiDigit((char)text[5])
            || text[6] != (byte)'.'
            || !char.IsAsciiDigit((char)text[7]))
        {
            return false;
        }

        version = $"{(char)text[5]}.{(char)text[7]}";
        return true;
    }
}
