using Wsdoctor.Findings;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lab.Tests;

/// <summary>A lab result's problem in both languages: the English the JSON keeps, and Chinese with no English prose.</summary>
public sealed class LabResultTextTests(LabEnvironmentFixture fixture) : IClassFixture<LabEnvironmentFixture>
{
    [Fact]
    public async Task Judge_WrongRootCause_ProblemInEnglishAndChinese()
    {
        // A refused port judged as if tls.expired were expected: the wrong code is found.
        var scenario = new LabScenario("wrong", Codes.TlsExpired, Text.Verbatim("wrong"), (env, _) =>
            Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{Peers.FreePort()}/"), Expect.Nothing)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await LabRunner.RunOneAsync(scenario, fixture.Environment, timeout.Token);

        Assert.False(result.Passed);
        var problem = Assert.IsType<Text>(result.Problem);
        Assert.Equal($"expected {Codes.TlsExpired}, found {Codes.TcpRefused}", problem.En);
        Assert.Equal($"预期 {Codes.TlsExpired}，实际找到 {Codes.TcpRefused}", problem.In(UiLanguage.SimplifiedChinese));
        Assert.Empty(EnglishProse.Find(problem.Zh.Replace(Codes.TlsExpired, "", StringComparison.Ordinal).Replace(Codes.TcpRefused, "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunOne_ServerCannotStart_ProblemInChinese()
    {
        var scenario = new LabScenario("unstartable", Codes.TcpRefused, Text.Verbatim("unstartable"), (_, _) =>
            Task.FromException<LabInstance>(new IOException("Address already in use")));

        var result = await LabRunner.RunOneAsync(scenario, fixture.Environment, CancellationToken.None);

        Assert.False(result.Passed);
        Assert.Equal("could not start the scenario's server: Address already in use", result.Problem!.En);
        Assert.Equal("无法启动场景的服务端：Address already in use", result.Problem.Zh);
        Assert.Equal(["无法启动场景的服务端："], result.Problem.Prose);
    }

    [Fact]
    public async Task Judge_KeyEvidenceMissing_ProblemInEnglishAndChinese()
    {
        // The right code (a refused port), but evidence the report cannot have.
        var scenario = new LabScenario("evidence", Codes.TcpRefused, Text.Verbatim("evidence"), (env, _) =>
            Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{Peers.FreePort()}/"), Expect.Mentions(Codes.TcpRefused, "no such words"))));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await LabRunner.RunOneAsync(scenario, fixture.Environment, timeout.Token);

        Assert.False(result.Passed);
        Assert.Equal($"{Codes.TcpRefused}: expected the evidence to mention 'no such words'", result.Problem!.En);
        Assert.Equal($"关键证据不符合预期：{Codes.TcpRefused}：预期证据中提到 'no such words'", result.Problem.Zh);
    }
}
