using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Tests.Diagnosis;

/// <summary>Misuse is an exception with a one-line message, thrown before anything touches the network.</summary>
public sealed class CheckRunnerUsageTests : IDisposable
{
    // A host that can never resolve (RFC 6761 6.4): if validation were skipped, the check would report
    // dns.not-found instead of throwing.
    private const string Url = "wss://no-such-host.invalid/ws";

    private readonly string directory = Directory.CreateTempSubdirectory("wsdoctor-probes-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<CheckUsageException> Misuse(CheckOptions options) =>
        Assert.ThrowsAsync<CheckUsageException>(() => CheckRunner.RunAsync(options with { Deadline = TimeSpan.FromSeconds(10) }));

    [Theory]
    [InlineData("([")]
    [InlineData("*hello")]
    [InlineData("a{2,1}")]
    public async Task RunAsync_InvalidExpectRegex_ThrowsUsage(string pattern)
    {
        var ex = await Misuse(new CheckOptions { Url = Url, Send = "hi", Expect = pattern });

        Assert.StartsWith("--expect is not a valid regular expression", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:0")]
    [InlineData("127.0.0.1:http")]
    [InlineData(":8080")]
    public async Task RunAsync_BadConnectTo_ThrowsUsage(string connectTo)
    {
        var ex = await Misuse(new CheckOptions { Url = Url, ConnectTo = connectTo });

        Assert.Contains("--connect-to must be HOST:PORT", ex.Message, StringComparison.Ordinal);
        Assert.Contains(connectTo, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingCaFile_ThrowsUsageNamingThePath()
    {
        var path = Path.Combine(directory, "missing-ca.pem");

        var ex = await Misuse(new CheckOptions { Url = Url, CaFile = path });

        Assert.Equal($"--ca: file not found: {path}", ex.Message);
    }

    [Fact]
    public async Task RunAsync_MissingClientCertificate_ThrowsUsage()
    {
        var ex = await Misuse(new CheckOptions { Url = Url, CertFile = Path.Combine(directory, "client.pem") });

        Assert.StartsWith("--cert/--key: file not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_KeyWithoutCert_ThrowsUsage()
    {
        var key = Path.Combine(directory, "client.key");
        await File.WriteAllTextAsync(key, "irrelevant");

        var ex = await Misuse(new CheckOptions { Url = Url, KeyFile = key });

        Assert.Equal("--key needs --cert", ex.Message);
    }

    [Fact]
    public async Task RunAsync_CaFileWithoutCertificate_ThrowsUsage()
    {
        var path = Path.Combine(directory, "ca.pem");
        await File.WriteAllTextAsync(path, "this is not PEM\n");

        var ex = await Misuse(new CheckOptions { Url = Url, CaFile = path });

        Assert.StartsWith($"--ca: cannot read {path}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NonPositiveTimeout_ThrowsUsage()
    {
        var ex = await Assert.ThrowsAsync<CheckUsageException>(() =>
            CheckRunner.RunAsync(new CheckOptions { Url = Url, StepTimeout = TimeSpan.Zero, Deadline = TimeSpan.FromSeconds(10) }));

        Assert.Contains("must be positive", ex.Message, StringComparison.Ordinal);
    }
}
