using System.Buffers.Text;
using System.Text;
using Wsdoctor.Protocol.Auth;

namespace Wsdoctor.Protocol.Tests.Auth;

public class Hs256VerifierTests
{
    private static readonly byte[] Key = "unit-test-secret"u8.ToArray();
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(10);

    private static long At(int secondsFromNow) => Now.ToUnixTimeSeconds() + secondsFromNow;

    [Fact]
    public void Verify_SignedWithTheKey_Valid() =>
        Assert.Equal(JwtVerdict.Valid, Hs256Verifier.Verify(Hs256Verifier.Sign($$"""{"sub":"a","exp":{{At(60)}}}""", Key), Key, Now, Leeway));

    [Fact]
    public void Verify_NoDates_Valid() =>
        Assert.Equal(JwtVerdict.Valid, Hs256Verifier.Verify(Hs256Verifier.Sign("""{"sub":"a"}""", Key), Key, Now, Leeway));

    [Fact]
    public void Verify_OtherKey_BadSignature() =>
        Assert.Equal(JwtVerdict.BadSignature, Hs256Verifier.Verify(Hs256Verifier.Sign("""{"sub":"a"}""", "other"u8), Key, Now, Leeway));

    [Fact]
    public void Verify_HeaderWithShortPadding_Malformed()
    {
        var parts = Hs256Verifier.Sign("""{"sub":"a"}""", Key).Split('.');
        Assert.Equal(JwtVerdict.Malformed, Hs256Verifier.Verify("ww=." + parts[1] + "." + parts[2], Key, Now, Leeway));
    }

    [Fact]
    public void Verify_ClaimsAltered_BadSignature()
    {
        var parts = Hs256Verifier.Sign("""{"sub":"user"}""", Key).Split('.');
        var forged = parts[0] + "." + Base64Url.EncodeToString("""{"sub":"admin"}"""u8) + "." + parts[2];
        Assert.Equal(JwtVerdict.BadSignature, Hs256Verifier.Verify(forged, Key, Now, Leeway));
    }

    [Theory]
    [InlineData(-11, JwtVerdict.Expired)]
    [InlineData(-9, JwtVerdict.Valid)]
    [InlineData(60, JwtVerdict.Valid)]
    public void Verify_Exp_WithLeeway(int expOffset, JwtVerdict expected) =>
        Assert.Equal(expected, Hs256Verifier.Verify(Hs256Verifier.Sign($$"""{"exp":{{At(expOffset)}}}""", Key), Key, Now, Leeway));

    [Theory]
    [InlineData(11, JwtVerdict.NotYetValid)]
    [InlineData(9, JwtVerdict.Valid)]
    public void Verify_Nbf_WithLeeway(int nbfOffset, JwtVerdict expected) =>
        Assert.Equal(expected, Hs256Verifier.Verify(Hs256Verifier.Sign($$"""{"nbf":{{At(nbfOffset)}}}""", Key), Key, Now, Leeway));

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""")]
    [InlineData("""{"alg":"HS512","typ":"JWT"}""")]
    [InlineData("""{"alg":"RS256","typ":"JWT"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    public void Verify_AlgNotHs256_Refused_EvenWithAValidHmac(string header)
    {
        // Even an attacker who computes a correct HMAC over a header claiming another algorithm is refused:
        // the verifier decides the algorithm (RFC 8725 3.1).
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString("""{"sub":"a"}"""u8);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(input));
        Assert.Equal(JwtVerdict.WrongAlgorithm, Hs256Verifier.Verify(input + "." + Base64Url.EncodeToString(mac), Key, Now, Leeway));
        Assert.Equal(JwtVerdict.WrongAlgorithm, Hs256Verifier.Verify(input + ".", Key, Now, Leeway));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.e30.sig")]
    [InlineData("e30.bm90IGpzb24.c2ln")]
    public void Verify_NotACompactJws_Malformed(string token) =>
        Assert.Equal(JwtVerdict.Malformed, Hs256Verifier.Verify(token, Key, Now, Leeway));

    [Fact]
    public void Verify_ExpAsString_MalformedRatherThanNeverExpiring() =>
        Assert.Equal(JwtVerdict.Malformed, Hs256Verifier.Verify(Hs256Verifier.Sign("""{"exp":"2020-01-01"}""", Key), Key, Now, Leeway));

    [Fact]
    public void Verify_TruncatedSignature_BadSignature()
    {
        var token = Hs256Verifier.Sign("""{"sub":"a"}""", Key);
        Assert.Equal(JwtVerdict.BadSignature, Hs256Verifier.Verify(token[..^4], Key, Now, Leeway));
    }

    [Fact]
    public void Verify_HeaderNotUtf8_Malformed()
    {
        // Found by bench/fuzz (jwt): the alg string of invalid UTF-8 threw from GetString() instead of a verdict.
        byte[] header = [.. "{\"alg\":\"HS256"u8, 0xC3, .. "\"}"u8];
        var token = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString("{}"u8) + ".c2ln";

        Assert.Equal(JwtVerdict.Malformed, Hs256Verifier.Verify(token, "secret"u8, DateTimeOffset.UnixEpoch, TimeSpan.Zero));
    }
}
