using System.Buffers;

namespace Wsdoctor.Protocol.Http;

/// <summary>RFC 9110 5.6.2: <c>token = 1*tchar</c>. Field names and methods are tokens; anything else
/// (a space before the colon, a non-ASCII byte) is a malformed message, not a different name.</summary>
internal static class TokenGrammar
{
    private const string TokenChars =
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create(TokenChars.Select(c => (byte)c).ToArray());
    private static readonly SearchValues<char> TokenCharValues = SearchValues.Create(TokenChars);

    public static bool IsTokenByte(byte b) => TokenBytes.Contains(b);

    public static bool IsToken(ReadOnlySpan<byte> bytes) => !bytes.IsEmpty && !bytes.ContainsAnyExcept(TokenBytes);

    public static bool IsToken(ReadOnlySpan<char> chars) => !chars.IsEmpty && !chars.ContainsAnyExcept(TokenCharValues);
}
