using System.Security.Cryptography;
using System.Text;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>Mints HS256 JWTs (RFC 7519) for the --jwt-secret tests, independently of wsdoctor's own verifier.</summary>
public static class Hs256Jwt
{
    public static string Create(string secret, DateTimeOffset expires, string subject = "interop")
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url($$"""{"sub":"{{subject}}","iat":{{expires.AddHours(-2).ToUnixTimeSeconds()}},"exp":{{expires.ToUnixTimeSeconds()}}}""");
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
