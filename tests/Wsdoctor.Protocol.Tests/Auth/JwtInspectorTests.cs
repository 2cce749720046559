using System.Buffers.Text;
using System.Text;
using Wsdoctor.Protocol.Auth;

namespace Wsdoctor.Protocol.Tests.Auth;

public class JwtInspectorTests
{
    private const string Header = """{"alg":"HS256","typ":"JWT"}""";
    private const string Claims = """{"sub":"user-42","iss":"https://auth.example.com","exp":1767225600,"nbf":1767222000,"iat":1767221999,"aud":"ws"}""";
    private const string Signature = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    [Fact]
    public void TryDecode_CompactJws_HeaderAndClaims()
    {
        Assert.True(JwtInspector.TryDecode(Jwt(Header, Claims), out var info));

        Assert.Equal(
            new JwtInfo(
                "HS256",
                "user-42",
                "https://auth.example.com",
                new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2025, 12, 31, 22, 59, 59, TimeSpan.Zero)),
            info);
    }

    [Theory]
    [InlineData("ww=")] // IsValid accepts it; the decoder throws FormatException (found by the jwt fuzz target)
    [InlineData("ww=.")]
    public void TryDecode_PartWithShortPadding_NotAJwtRatherThanAnException(string header)
    {
        Assert.False(JwtInspector.TryDecode(header + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Claims)) + "." + Signature, out var info));
        Assert.Null(info);
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("bearer  ")]
    [InlineData("  Bearer ")]
    public void TryDecode_BearerPrefix_Tolerated(string prefix)
    {
        Assert.True(JwtInspector.TryDecode(prefix + Jwt(Header, Claims), out var info));
        Assert.Equal("user-42", info!.Subject);
    }

    [Fact]
    public void TryDecode_FractionalDates_MillisecondsKept()
    {
        Assert.True(JwtInspector.TryDecode(Jwt(Header, """{"exp":1767225600.25,"iat":1767225599.5}"""), out var info));

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 250, TimeSpan.Zero), info!.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 59, 59, 500, TimeSpan.Zero), info.IssuedAt);
    }

    [Fact]
    public void TryDecode_MissingOrMistypedClaims_Null()
    {
        Assert.True(JwtInspector.TryDecode(Jwt("""{"typ":"JWT"}""", """{"sub":42,"exp":"tomorrow","nbf":1e300}"""), out var info));

        Assert.Equal(new JwtInfo(null, null, null, null, null, null), info);
    }

    [Fact]
    public void TryDecode_UnsignedTokenWithEmptySignature_Decoded()
    {
        // RFC 7519 6.1: an unsecured JWT ("alg":"none") has an empty third part.
        Assert.True(JwtInspector.TryDecode(Jwt("""{"alg":"none"}""", Claims, signature: ""), out var info));
        Assert.Equal("none", info!.Algorithm);
    }

    [Fact]
    public void TryDecode_Decoded_SignatureNowhereInResult()
    {
        Assert.True(JwtInspector.TryDecode(Jwt(Header, Claims), out var info));

        Assert.DoesNotContain(Signature, info!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("1.2.3")]
    [InlineData("a.b")]
    [InlineData("..")]
    [InlineData("Bearer ")]
    [InlineData("5f0c1d7e-6b1a-4a8e-9c57-2f6e3d1b9a40")]
    public void TryDecode_NotAJwt_False(string token)
    {
        Assert.False(JwtInspector.TryDecode(token, out var info));
        Assert.Null(info);
    }

    [Fact]
    public void TryDecode_FiveParts_FalseBecauseJweIsEncrypted()
    {
        var jwe = $"{Part("""{"alg":"RSA-OAEP","enc":"A256GCM"}""")}.key.iv.ciphertext.tag";

        Assert.False(JwtInspector.TryDecode(jwe, out _));
    }

    [Fact]
    public void TryDecode_PayloadNotJsonObject_False()
    {
        Assert.False(JwtInspector.TryDecode(Jwt(Header, "[1,2]"), out _));
        Assert.False(JwtInspector.TryDecode(Jwt(Header, "{not json"), out _));
        Assert.False(JwtInspector.TryDecode(Jwt("\"alg\"", Claims), out _));
    }

    [Fact]
    public void TryDecode_SignatureNotBase64Url_False()
    {
        Assert.False(JwtInspector.TryDecode(Jwt(Header, Claims, signature: "not/base64+"), out _));
    }

    private static string Jwt(string header, string claims, string signature = Signature) => $"{Part(header)}.{Part(claims)}.{signature}";

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void TryDecode_ClaimsNotUtf8_FalseInsteadOfThrowing()
    {
        // Found by bench/fuzz (jwt): JSON with invalid UTF-8 inside a string parses, then GetString() threw
        // InvalidOperationException out of TryDecode.
        byte[] claims = [.. "{\"sub\":\""u8, 0xAF, 0xFF, .. "\"}"u8];
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header)) + "." + Base64Url.EncodeToString(claims) + "." + Signature;

        Assert.False(JwtInspector.TryDecode(token, out var info));
        Assert.Null(info);
    }
}
