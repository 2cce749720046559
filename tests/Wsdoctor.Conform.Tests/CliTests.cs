using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests;

public sealed class CliTests
{
    [Theory]
    [InlineData("conform server not-a-url", "is not a ws:// or wss:// URL")]
    [InlineData("conform server wss://127.0.0.1:1/", "cannot connect to 127.0.0.1:1")]
    [InlineData("conform server wss://127.0.0.1:1/ --ca /nonexistent/ca.pem", "--ca: ")]
    [InlineData("conform client --tls-cert /nonexistent/cert.pem", "--tls-cert and --tls-key go together")]
    [InlineData("conform client --tls-cert /nonexistent/cert.pem --tls-key /nonexistent/key.pem", "--tls-cert/--tls-key: ")]
    [InlineData("conform server ws://127.0.0.1:1/", "cannot connect to 127.0.0.1:1")]
    [InlineData("conform server ws://127.0.0.1:1/ --cases 99.*", "no case matches '99.*'")]
    [InlineData("conform server ws://127.0.0.1:1/ --parallel 0", "--parallel takes 1-64")]
    [InlineData("conform client --listen nowhere", "--listen takes ADDRESS:PORT")]
    public async Task BadInput_OneLineExit2(string args, string says)
    {
        var run = await WsdoctorProcess.RunAsync(args.Split(' '));

        run.AssertUsageError(says);
    }

    [Fact]
    public async Task Cases_Markdown_IsTheDocsFile()
    {
        var run = await WsdoctorProcess.RunAsync("conform", "cases", "--markdown");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Wsdoctor.TestPeers.Peers.NodeProject, "..", "..", "docs", "conform-cases.md")), run.Stdout);
    }
}
