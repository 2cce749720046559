using Wsdoctor.Browsers.Verdict;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Browsers.Tests.Verdict;

/// <summary>When the browser and wsdoctor disagree, the reason the report gives.</summary>
public class BrowserComparisonTests
{
    private static readonly CheckOptions Options = new() { Url = "wss://api.example.com/ws" };

    private static CheckReport Report(int status, params Finding[] findings) => new()
    {
        Target = "wss://api.example.com/ws",
        StartedAt = DateTimeOffset.UnixEpoch,
        TotalMs = 1,
        Verdict = findings.Any(f => f.Severity == Severity.Error) ? Probes.Diagnosis.Verdict.Fail : Probes.Diagnosis.Verdict.Ok,
        RootCause = findings.FirstOrDefault(f => f.Severity == Severity.Error),
        Layers = [],
        Findings = findings,
        Timings = new Timings(),
        Connection = new ConnectionFacts { HttpStatus = status },
    };

    private static BrowserObservation Seen(BrowserOutcome outcome, string? error = null, string browser = "chromium") => new()
    {
        Browser = browser,
        Version = "test",
        PageOrigin = "https://app.example.com",
        Url = "wss://api.example.com/ws",
        Outcome = outcome,
        Error = error,
        CloseCode = outcome == BrowserOutcome.Opened ? 1000 : 1006,
    };

    private static Finding F(string code, string message = "m", Dictionary<string, object?>? data = null) => Finding.Create(code, Text.Verbatim(message), [Text.Verbatim("e")], data: data);

    [Fact]
    public void Compare_BothConnect_Agree()
    {
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Opened), Report(101), Options);
        Assert.True(result.Agrees);
    }

    [Fact]
    public void Compare_SameCertificateError_Agree()
    {
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Failed, "Error in connection establishment: net::ERR_CERT_COMMON_NAME_INVALID"), Report(0, F(Codes.TlsNameMismatch)), Options);
        Assert.True(result.Agrees);
        Assert.Contains("tls.name-mismatch", result.Comparison);
    }

    [Fact]
    public void Compare_ChromiumOpensAnIncompleteChain_ExplainsAia()
    {
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Opened), Report(0, F(Codes.TlsIncompleteChain)), Options);
        Assert.False(result.Agrees);
        Assert.Contains("AIA", result.Comparison);
    }

    [Fact]
    public void Compare_401ForTheBrowserOnly_NamesTheHeaderItCannotSend()
    {
        var options = Options with { Token = "t" };
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Failed, "Error during WebSocket handshake: Unexpected response code: 401"), Report(101), options);
        Assert.False(result.Agrees);
        Assert.Contains("Authorization", result.Comparison);
    }

    [Fact]
    public void Compare_OtherStatusForTheBrowserOnly_SaysTheRequestsDiffer()
    {
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Failed, "Error during WebSocket handshake: Unexpected response code: 400"), Report(101), Options);
        Assert.False(result.Agrees);
        Assert.Contains("the requests differ", result.Comparison);
    }

    [Fact]
    public void Compare_FindingForOtherBrowsersOnly_DoesNotCountAgainstThisOne()
    {
        var lna = F(Codes.BrowserLocalNetworkAccess, data: new() { ["blockedBy"] = new[] { "chromium" } });
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Opened, browser: "firefox"), Report(101, lna), Options);
        Assert.True(result.Agrees);
        Assert.Contains("applies to other browsers", result.Comparison);
    }

    [Fact]
    public void Compare_FirefoxRefusesSilently_PredictedBlockAgrees()
    {
        var port = F(Codes.BrowserUnsafePort, data: new() { ["blockedBy"] = new[] { "firefox" } });
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Failed, "Firefox can’t establish a connection to the server at ws://127.0.0.1:6679/.", "firefox"), Report(101, port), Options);
        Assert.True(result.Agrees);
    }

    [Fact]
    public void Compare_BrowserFailsWhereWsdoctorConnects_SaysSo()
    {
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Failed, "Error in connection establishment: net::ERR_SOMETHING_NEW"), Report(101), Options);
        Assert.False(result.Agrees);
        Assert.Contains("does not know yet", result.Comparison);
    }

    [Fact]
    public void Compare_PageCannotSeeWhy_TheDiagnosisExplainsIt()
    {
        var result = BrowserComparison.Compare(Seen(BrowserOutcome.Failed) with { UsersBrowser = true }, Report(0, F(Codes.TcpRefused)), Options);
        Assert.True(result.Agrees);
        Assert.Contains("tcp.refused", result.Comparison);
    }
}
