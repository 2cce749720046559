using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Protocol.Tests.Frames;

public class CloseCodesTests
{
    [Theory]
    [InlineData(1000, "Normal Closure", true)]
    [InlineData(1001, "Going Away", true)]
    [InlineData(1002, "Protocol Error", true)]
    [InlineData(1003, "Unsupported Data", true)]
    [InlineData(1004, "Reserved", false)]
    [InlineData(1005, "No Status Received", false)]
    [InlineData(1006, "Abnormal Closure", false)]
    [InlineData(1007, "Invalid Frame Payload Data", true)]
    [InlineData(1008, "Policy Violation", true)]
    [InlineData(1009, "Message Too Big", true)]
    [InlineData(1010, "Mandatory Extension", true)]
    [InlineData(1011, "Internal Error", true)]
    [InlineData(1012, "Service Restart", true)]
    [InlineData(1013, "Try Again Later", true)]
    [InlineData(1014, "Bad Gateway", true)]
    [InlineData(1015, "TLS Handshake", false)]
    [InlineData(3000, "Unauthorized", true)]
    [InlineData(3003, "Forbidden", true)]
    [InlineData(3008, "Timeout", true)]
    public void Describe_RegisteredCode_NameAndWireRule(int code, string name, bool allowedOnWire)
    {
        var info = CloseCodes.Describe(code);

        Assert.Equal(code, info.Code);
        Assert.Equal(name, info.Name);
        Assert.Equal(allowedOnWire, info.AllowedOnWire);
    }

    [Theory]
    [InlineData(0, "Invalid", false)]
    [InlineData(999, "Invalid", false)]
    [InlineData(1016, "Reserved for the protocol", false)]
    [InlineData(2999, "Reserved for the protocol", false)]
    [InlineData(3001, "Registered library/framework code", true)]
    [InlineData(3999, "Registered library/framework code", true)]
    [InlineData(4000, "Private application code", true)]
    [InlineData(4999, "Private application code", true)]
    [InlineData(5000, "Invalid", false)]
    [InlineData(-1, "Invalid", false)]
    public void Describe_UnregisteredCode_ItsRange(int code, string name, bool allowedOnWire)
    {
        var info = CloseCodes.Describe(code);

        Assert.Equal(code, info.Code);
        Assert.Equal(name, info.Name);
        Assert.Equal(allowedOnWire, info.AllowedOnWire);
    }

    [Fact]
    public void Describe_1006_ExplainsMissingCloseFrameAndProxyTimeouts()
    {
        var info = CloseCodes.Describe(1006);

        Assert.Contains("without any Close frame", info.Meaning);
        Assert.Contains("idle timeout", info.LikelyCause);
        Assert.Contains("proxy_read_timeout", info.Fix);
    }

    [Fact]
    public void Describe_1008_PointsAtAuthenticationAndOrigin()
    {
        var info = CloseCodes.Describe(1008);

        Assert.Contains("token", info.LikelyCause);
        Assert.Contains("Origin", info.LikelyCause);
    }

    [Fact]
    public void Describe_PrivateCode_PointsAtServerCodeAndDocs()
    {
        Assert.Contains("look in the server's code/docs", CloseCodes.Describe(4401).Meaning);
    }

    [Fact]
    public void Describe_EveryCodeFrom0To5000_HasCauseAndFix()
    {
        for (int code = 0; code <= 5000; code++)
        {
            var info = CloseCodes.Describe(code);
            Assert.False(string.IsNullOrWhiteSpace(info.Meaning), $"{code} meaning");
            Assert.False(string.IsNullOrWhiteSpace(info.LikelyCause), $"{code} cause");
            Assert.False(string.IsNullOrWhiteSpace(info.Fix), $"{code} fix");
        }
    }
}
