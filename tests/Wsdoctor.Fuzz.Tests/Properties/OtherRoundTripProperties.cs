using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wsdoctor.Certificates;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Fuzz.Targets;
using Wsdoctor.Protocol.Auth;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Fuzz.Tests.Properties;

/// <summary>The other writer → reader pairs: the upgrade request connect writes and the request head parser serve
/// and conform read; PEM export and both PEM importers; HS256 signing and the JWT decoder and verifier.</summary>
public sealed class OtherRoundTripProperties
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static Gen<string> Token(int max) =>
        Gen.Choose(1, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(TokenChars.ToCharArray()), n)).Select(c => new string(c));

    /// <summary>A field value as RFC 9110 5.5 allows it: visible characters and inner spaces, no CR/LF, trimmed.</summary>
    private static Gen<string> FieldValue() =>
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x20, 0x7E).Select(c => (char)c), n)).Select(c => new string(c).Trim());

    public sealed record Request(string Host, string Path, string Key, HttpHeader[] Headers, int ChunkSeed);

    private static readonly string[] Reserved = ["host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version"];

    private static Arbitrary<Request> Requests() =>
        (from host in Token(20).Select(h => h.Trim('.', '-') is { Length: > 0 } t ? t : "h")
         from port in Gen.Choose(1, 65535)
         from path in Gen.ArrayOf(Token(8), 3).Select(p => "/" + string.Join('/', p))
         from key in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16).Select(Convert.ToBase64String)
         from count in Gen.Choose(0, 8)
         from names in Gen.ArrayOf(Token(16), count)
         from values in Gen.ArrayOf(FieldValue(), count)
         from seed in Gen.Choose(0, 10_000)
         select new Request($"{host}:{port}", path, key,
             [.. names.Zip(values, (n, v) => new HttpHeader(n, v)).Where(h => !Reserved.Contains(h.Name.ToLowerInvariant()))], seed)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property UpgradeRequest_BuiltThenParsed_HasEveryField() => Prop.ForAll(Requests(), request =>
    {
        var bytes = Encoding.ASCII.GetBytes(UpgradeRequest.Build(request.Host, request.Path, request.Key, request.Headers));
        var parser = new RequestHeadParser();
        var status = HeadParseStatus.NeedMoreData;
        int offset = 0;
        foreach (int size in Chunking.Sizes(2, bytes.Length, request.ChunkSeed))
        {
            status = parser.Consume(bytes.AsSpan(offset, size), out _);
            offset += size;
        }

        Assert.Equal(HeadParseStatus.Complete, status);
        var head = parser.Head!;
        Assert.Equal("GET", head.Method);
        Assert.Equal(request.Path, head.Target);
        Assert.Equal(request.Host, head.Get("Host"));
        Assert.Equal(request.Key, head.Get("Sec-WebSocket-Key"));
        Assert.True(head.HasToken("Connection", "upgrade") && head.HasToken("Upgrade", "websocket"));
        var extra = head.Headers.Where(h => !Reserved.Contains(h.Name.ToLowerInvariant())).ToArray();
        Assert.Equal(request.Headers, extra);
        Assert.Equal(bytes.Length, parser.BytesReceived);
    });

    public sealed record Chain(string[] Names, bool Rsa);

    private static Arbitrary<Chain> Chains() =>
        (from n in Gen.Choose(1, 3)
         from names in Gen.ArrayOf(Token(12).Select(t => t.Replace(",", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal)), n)
         from rsa in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
         select new Chain(names, rsa)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property Pem_ExportedThenImported_IsTheSameCertificates() => Prop.ForAll(Chains(), chain =>
    {
        var certificates = chain.Names.Select((name, i) => SelfSignedFor(name, chain.Rsa, i)).ToArray();
        try
        {
            var pem = Pem.ExportChain(certificates);
            var file = Encoding.UTF8.GetBytes(pem);
            using var imported = Collection.Of(Pem.ParseCertificates(file, "chain.pem"));
            Assert.Equal(certificates.Select(c => Convert.ToHexString(c.RawData)), imported.Items.Select(c => Convert.ToHexString(c.RawData)));
            var loaded = CertificateFiles.Parse(file, "chain.pem");
            Assert.Equal(certificates.Select(c => c.Thumbprint), loaded.Select(c => c.Thumbprint));
            foreach (var c in loaded)
            {
                c.Dispose();
            }

            using var single = Collection.Of(Pem.ParseCertificates(Encoding.UTF8.GetBytes(Pem.Export(certificates[0])), "leaf.pem"));
            Assert.Equal(certificates[0].RawData, Assert.Single(single.Items).RawData);
        }
        finally
        {
            foreach (var c in certificates)
            {
                c.Dispose();
            }
        }
    });

    private static X509Certificate2 SelfSignedFor(string name, bool rsa, int serial)
    {
        var subject = new X500DistinguishedName($"CN={name}");
        var now = DateTimeOffset.UtcNow;
        if (rsa)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30 + serial));
        }

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecRequest = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
        ecRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(serial > 0, false, 0, true));
        return ecRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30 + serial));
    }

    private sealed class Collection(X509Certificate2Collection items) : IDisposable
    {
        public X509Certificate2Collection Items => items;

        public static Collection Of(X509Certificate2Collection items) => new(items);

        public void Dispose()
        {
            foreach (var c in items)
            {
                c.Dispose();
            }
        }
    }

    public sealed record Claims(string Subject, long Expires, string Secret, int Flip);

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static Arbitrary<Claims> AllClaims() =>
        (from subject in ArbMap.Default.GeneratorFor<string>()
         from offset in Gen.Choose(-1_000_000, 1_000_000)
         from secret in Token(40)
         from flip in Gen.Choose(0, 1000)
         select new Claims(string.Concat((subject ?? "").Where(c => !char.IsSurrogate(c))), Now.ToUnixTimeSeconds() + offset, secret, flip)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Jwt_SignedThenDecodedAndVerified_GivesItsClaimsBack() => Prop.ForAll(AllClaims(), claims =>
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["sub"] = claims.Subject, ["exp"] = claims.Expires });
        var secret = Encoding.UTF8.GetBytes(claims.Secret);
        var token = Hs256Verifier.Sign(json, secret);

        Assert.True(JwtInspector.TryDecode(token, out var info));
        Assert.Equal("HS256", info!.Algorithm);
        Assert.Equal(claims.Subject, info.Subject);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(claims.Expires), info.ExpiresAt);
        bool expired = claims.Expires < Now.ToUnixTimeSeconds() - 30;
        Assert.Equal(expired ? JwtVerdict.Expired : JwtVerdict.Valid, Hs256Verifier.Verify(token, secret, Now, TimeSpan.FromSeconds(30)));
        Assert.Equal(JwtVerdict.BadSignature, Hs256Verifier.Verify(token, Encoding.UTF8.GetBytes(claims.Secret + "x"), Now, TimeSpan.FromSeconds(30)));

        // Any change to the signing input or the signature is caught (not the last character, whose two low bits
        // base64url leaves unused).
        int at = claims.Flip % (token.Length - 1);
        var altered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
        Assert.NotEqual(JwtVerdict.Valid, Hs256Verifier.Verify(altered, secret, Now, TimeSpan.FromSeconds(30)));
    });
}
