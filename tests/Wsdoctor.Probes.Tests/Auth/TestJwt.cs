using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Wsdoctor.Probes.Tests.Auth;

/// <summary>Compact JWS strings with chosen time claims. The signature is junk: the analysis only decodes.</summary>
internal static class TestJwt
{
    public static string Create(DateTimeOffset? exp = null, DateTimeOffset? nbf = null, DateTimeOffset? iat = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "user-42" };
        if (exp is { } e)
        {
            claims["exp"] = e.ToUnixTimeSeconds();
        }

        if (nbf is { } n)
        {
            claims["nbf"] = n.ToUnixTimeSeconds();
        }

        if (iat is { } i)
        {
            claims["iat"] = i.ToUnixTimeSeconds();
        }

        return $"{Part("""{"alg":"HS256","typ":"JWT"}""")}.{Part(JsonSerializer.Serialize(claims))}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
    }

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
