using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Protocol.Tests.Secrets;

public class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("Cookie", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("X-CSRF-Token", true)]
    [InlineData("X-Client-Secret", true)]
    [InlineData("X-Goog-Api-Key", true)]
    [InlineData("apikey", true)]
    [InlineData("X-Password", true)]
    [InlineData("Host", false)]
    [InlineData("Sec-WebSocket-Key", false)]
    [InlineData("Sec-WebSocket-Protocol", false)]
    [InlineData("Origin", false)]
    public void IsSecretHeader_Name_Classified(string name, bool secret)
    {
        Assert.Equal(secret, SecretRedactor.IsSecretHeader(name));
    }

    [Theory]
    [InlineData("token", true)]
    [InlineData("ACCESS_TOKEN", true)]
    [InlineData("id_token", true)]
    [InlineData("refresh_token", true)]
    [InlineData("csrf-token", true)]
    [InlineData("jwt", true)]
    [InlineData("auth", true)]
    [InlineData("Authorization", true)]
    [InlineData("key", true)]
    [InlineData("api_key", true)]
    [InlineData("apikey", true)]
    [InlineData("password", true)]
    [InlineData("passwd", true)]
    [InlineData("secret", true)]
    [InlineData("signature", true)]
    [InlineData("sig", true)]
    [InlineData("session", true)]
    [InlineData("SessionId", true)]
    [InlineData("room", false)]
    [InlineData("tokens", false)]
    [InlineData("keyword", false)]
    [InlineData("EIO", false)]
    public void IsSecretQueryName_Name_Classified(string name, bool secret)
    {
        Assert.Equal(secret, SecretRedactor.IsSecretQueryName(name));
    }

    [Theory]
    [InlineData("xyz", "[redacted, 3 chars]")]
    [InlineData("", "[redacted, 0 chars]")]
    [InlineData("Bearer xyz", "Bearer [redacted, 3 chars]")]
    [InlineData("bearer  abcd", "bearer  [redacted, 4 chars]")]
    [InlineData("Basic dXNlcjpwYXNz", "Basic [redacted, 12 chars]")]
    [InlineData("my secret phrase", "[redacted, 16 chars]")]
    public void Redact_Secret_LengthOnlyAndAuthSchemeKept(string secret, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(secret));
    }

    [Theory]
    [InlineData("Cookie", "sid=abc123; theme=dark", "sid=[redacted, 6 chars]; theme=[redacted, 4 chars]")]
    [InlineData("Set-Cookie", "sid=abc123; Path=/; HttpOnly; Secure", "sid=[redacted, 6 chars]; Path=/; HttpOnly; Secure")]
    [InlineData("Authorization", "Bearer eyJhbGciOi", "Bearer [redacted, 10 chars]")]
    [InlineData("X-Api-Key", "k-123456", "[redacted, 8 chars]")]
    [InlineData("User-Agent", "curl/8.5.0", "curl/8.5.0")]
    public void RedactHeaderValue_Header_SecretPartsRedacted(string name, string value, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactHeaderValue(name, value));
    }

    [Theory]
    [InlineData("wss://api.example.com/ws?token=abc.def&room=1", "wss://api.example.com/ws?token=[redacted, 7 chars]&room=1")]
    [InlineData("wss://user:hunter2@example.com:8443/socket", "wss://user:[redacted, 7 chars]@example.com:8443/socket")]
    [InlineData("wss://user@example.com/", "wss://user@example.com/")]
    [InlineData("ws://h/?Access_Token=a%20b&x=%41", "ws://h/?Access_Token=[redacted, 5 chars]&x=%41")]
    [InlineData("ws://h/?access%5Ftoken=abc", "ws://h/?access%5Ftoken=[redacted, 3 chars]")]
    [InlineData("ws://h/path?token=&flag", "ws://h/path?token=&flag")]
    [InlineData("https://app.example/cb#access_token=xyz&state=1", "https://app.example/cb#access_token=[redacted, 3 chars]&state=1")]
    [InlineData("/chat?jwt=eyJ&EIO=4", "/chat?jwt=[redacted, 3 chars]&EIO=4")]
    [InlineData("wss://example.com/ws?next=https://x.example/?sig=1", "wss://example.com/ws?next=https://x.example/?sig=1")]
    [InlineData("wss://example.com", "wss://example.com")]
    public void RedactUrl_Url_SecretsRedactedRestUntouched(string url, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactUrl(url));
    }

    [Fact]
    public void RedactHead_RequestHead_EverySecretLineRedacted()
    {
        const string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";
        var head =
            "GET /ws?access_token=abc&room=1 HTTP/1.1\r\n" +
            "Host: example.com\r\n" +
            "Authorization: Bearer abcdef\r\n" +
            "Cookie: sid=s3cr3t; lang=en\r\n" +
            "Sec-WebSocket-Protocol: chat, " + jwt + "\r\n" +
            "X-Long-Token: part-one\r\n" +
            " part-two\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "\r\n";

        Assert.Equal(
            "GET /ws?access_token=[redacted, 3 chars]&room=1 HTTP/1.1\r\n" +
            "Host: example.com\r\n" +
            "Authorization: Bearer [redacted, 6 chars]\r\n" +
            "Cookie: sid=[redacted, 6 chars]; lang=[redacted, 2 chars]\r\n" +
            "Sec-WebSocket-Protocol: chat, [redacted, 41 chars]\r\n" +
            "X-Long-Token: [redacted, 8 chars]\r\n" +
            " [redacted, 8 chars]\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "\r\n",
            SecretRedactor.RedactHead(head));
    }

    [Fact]
    public void RedactHead_ResponseHeadWithLfEndings_SetCookieAndLocationRedacted()
    {
        var head =
            "HTTP/1.1 302 Found\n" +
            "Location: https://login.example.com/?session=xyz&next=/ws\n" +
            "Set-Cookie: sid=abc; HttpOnly\n" +
            "Sec-WebSocket-Protocol: " + new string('k', 41) + "\n" +
            "\n";

        Assert.Equal(
            "HTTP/1.1 302 Found\n" +
            "Location: https://login.example.com/?session=[redacted, 3 chars]&next=/ws\n" +
            "Set-Cookie: sid=[redacted, 3 chars]; HttpOnly\n" +
            "Sec-WebSocket-Protocol: [redacted, 41 chars]\n" +
            "\n",
            SecretRedactor.RedactHead(head));
    }

    [Fact]
    public void RedactHead_ShortSubprotocols_Unchanged()
    {
        const string head = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n";

        Assert.Equal(head, SecretRedactor.RedactHead(head));
    }
}
