using Wsdoctor.Exporter.Config;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Exporter.Tests;

/// <summary>The config file: what is read, and every refusal with its line and column.</summary>
public sealed class ConfigTests
{
    [Fact]
    public void Parse_AModuleWithEverything_ReadsEachSetting()
    {
        var config = ConfigLoader.Parse("""
            modules:
              chat:
                timeout: 8s
                step_timeout: 2s
                headers: { X-Env: prod }
                origin: https://app.example.com
                subprotocols: [chat.v1, chat.v2]
                token: { env: CHAT_TOKEN }
                token_in: query:access_token
                send: ping
                expect: ^pong$
                tls: { insecure: true }
                no_proxy: true
                follow_up_probes: true
            """, "x.yaml", Path.GetTempPath());

        var chat = config.Modules["chat"];
        Assert.Equal(TimeSpan.FromSeconds(8), chat.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2), chat.StepTimeout);
        Assert.Equal("prod", Assert.Single(chat.Headers).Value);
        Assert.Equal(["chat.v1", "chat.v2"], chat.Subprotocols);
        Assert.Equal("CHAT_TOKEN", chat.Token!.Env);
        Assert.Equal(Probes.TokenPlacementKind.Query, chat.TokenIn.Kind);
        Assert.True(chat.Insecure && chat.NoProxy && chat.FollowUpProbes);
    }

    [Theory]
    [InlineData("modules:\n  a:\n    timout: 5s\n", "x.yaml:3:5: unknown key 'timout'")]
    [InlineData("modules:\n  a:\n    token: abc\n", "x.yaml:3:12: token: takes { env: NAME } or { file: PATH }")]
    [InlineData("modules:\n  a:\n    headers: { Authorization: Bearer abc }\n", "x.yaml:3:16: headers: Authorization carries a secret")]
    [InlineData("modules:\n  a:\n    timeout: forever\n", "x.yaml:3:14: timeout: takes a duration")]
    [InlineData("modules:\n  a:\n    expect: '('\n", "x.yaml:3:13: expect: not a valid regular expression")]
    [InlineData("modules:\n  a:\n    scenario: /nonexistent.yaml\n", "x.yaml:3:15: scenario: no such file")]
    [InlineData("modules:\n  a: [\n", "x.yaml:")]
    [InlineData("probes: {}\n", "x.yaml:1:1: unknown key 'probes'")]
    // Found by bench/fuzz (exporter-config): YamlDotNet throws InvalidOperationException and ArgumentException for
    // these, not YamlException, and they escaped the loader. (A repeated key is a YamlException with its place.)
    [InlineData("a: {a:\n\u007f", "x.yaml:1:5: not valid YAML here")]
    [InlineData("\0: z}\n", "x.yaml:2:1: not valid YAML here")]
    // Found by bench/fuzz (exporter-config): an unknown key holding a line break made a two-line error.
    [InlineData("\"m\\nb\": 1\n", "x.yaml:1:1: unknown key 'm\\nb'")]
    [InlineData("modules:\n  a: {}\n  a: {}\n", "x.yaml:3:3: Duplicate key")]
    // Found by bench/fuzz (exporter-config): thousands of open flow mappings held YamlDotNet's parser past afl's
    // time-out; the shape pass stops at the first level past the limit. A recursive alias overflowed the stack.
    [InlineData("{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{", "x.yaml:1:65: collections nested deeper than 64 levels")]
    [InlineData("? &k { a: [ *k ] }\n: 1\n", "x.yaml:1:13: the alias *k is inside the node &k")]
    [InlineData("? *k\n: 1\nb: &k [ 2 ]\n", "x.yaml:1:3: the alias *k comes before its anchor &k")]
    public void Parse_Mistakes_NamedWithLineAndColumn(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "x.yaml", Path.GetTempPath()));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ABrokenScenario_NamesBothPlacesInEveryLanguage()
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-exporter-").FullName;
        File.WriteAllText(Path.Combine(dir, "s.yaml"), "target: { url: \"ws://127.0.0.1:9/\" }\nsteps:\n  - sned: hi\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("modules:\n  a:\n    scenario: s.yaml\n", "x.yaml", dir));

        var scenario = Path.Combine(dir, "s.yaml");
        Assert.Equal($"x.yaml:3:15: scenario: {scenario}:3:5: unknown key 'sned' in a step; did you mean 'send'?", error.Message);
        Assert.True(error.Text.Translated);
        Assert.StartsWith($"x.yaml:3:15：scenario：{scenario}:3:5: ", error.Text.Zh, StringComparison.Ordinal);
        Assert.Matches(EnglishProse.Cjk(), error.Text.Zh[$"x.yaml:3:15：scenario：{scenario}:3:5: ".Length..]);
        Assert.Empty(EnglishProse.Find(error.Text.Zh));
    }

    [Fact]
    public async Task Cli_BadConfig_OneLineAndExit2()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-exporter-").FullName, "bad.yaml");
        await File.WriteAllTextAsync(file, "modules:\n  a:\n    token: s3cret\n");

        var run = await WsdoctorProcess.RunAsync("exporter", "--config", file);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains("bad.yaml:3:12: token:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exporter --listen nowhere", "--listen takes ADDRESS:PORT")]
    [InlineData("exporter --concurrency 0", "--concurrency must be between 1 and 1024")]
    [InlineData("exporter --config /nonexistent.yaml", "no such file")]
    public async Task Cli_BadOptions_OneLineAndExit2(string command, string expected)
    {
        var run = await WsdoctorProcess.RunAsync(command.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }
}
