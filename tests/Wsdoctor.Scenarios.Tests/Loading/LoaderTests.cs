using System.Text.Json.Nodes;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Loading;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;

namespace Wsdoctor.Scenarios.Tests.Loading;

public sealed class LoaderTests
{
    private static readonly Dictionary<string, string> Env = new(StringComparer.Ordinal) { ["TOKEN"] = "s3cret", ["HOST"] = "127.0.0.1:9" };

    internal static ScenarioFile Parse(string yaml, IReadOnlyDictionary<string, string>? overrides = null) =>
        ScenarioLoader.Parse(yaml, "t.yaml", "/base/dir", name => Env.GetValueOrDefault(name), overrides);

    private static ScenarioFileException Error(string yaml) => Assert.Throws<ScenarioFileException>(() => Parse(yaml));

    [Fact]
    public void AFullFileReadsIntoTheModel()
    {
        var file = Parse("""
            name: demo
            target:
              url: ws://${HOST}/chat
              headers: { X-Client: ci }
              token: { env: TOKEN }
              token-in: query:access_token
              subprotocols: [chat.v2, chat.v1]
              ca: certs/ca.pem
              timeout: 1.5s
            vars:
              room: lobby
            flows:
              join:
                - send: { json: { type: join, room: "{{room}}", n: 3, ok: true, none: null, s: "3" } }
            scenarios:
              - name: one
                steps:
                  - call: join
                  - name: joined
                    expect:
                      where:
                        $.type: joined
                        $.members: { contains: ann, length: 2 }
                        $.n: { ">=": 3 }
                    timeout: 250ms
                    ignore-others: true
                    capture:
                      id: $.id
                      word: { regex: "id=(\\w+)" }
                  - ping: hi
                  - expect-pong:
                  - wait: 10ms
                  - repeat: 2
                    every: 5ms
                    steps:
                      - send: "n {{iteration}} {{id}}"
                  - loop: { for: 1s, every: 100ms, max-iterations: 3 }
                    steps:
                      - send: { hex: "de ad:be ef" }
                  - close: { code: 4001, reason: done }
              - name: refused
                target: { token: "" }
                expect-reject: { status: 401 }
            """);

        Assert.Equal(2, file.Scenarios.Count);
        var one = file.Scenarios[0];
        Assert.Equal("ws://127.0.0.1:9/chat", one.Target.Url);
        Assert.Equal("s3cret", one.Target.Token);
        Assert.Equal("/base/dir/certs/ca.pem", one.Target.CaFile);
        Assert.Equal(TimeSpan.FromSeconds(1.5), one.Target.Timeout);
        Assert.Equal(["chat.v2", "chat.v1"], one.Target.Subprotocols);
        Assert.Equal("access_token", one.Target.TokenIn.Name);
        Assert.Equal("lobby", one.Vars["room"]);

        var send = Assert.IsType<SendStep>(Assert.Single(file.Flows["join"].Steps));
        var json = Assert.IsType<JsonPayload>(send.Payload).Document!.AsObject();
        Assert.Equal(System.Text.Json.JsonValueKind.Number, json["n"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.True, json["ok"]!.GetValueKind());
        Assert.Null(json["none"]);
        Assert.True(json.ContainsKey("none"));
        Assert.Equal(System.Text.Json.JsonValueKind.String, json["s"]!.GetValueKind());

        var expect = Assert.IsType<ExpectStep>(one.Steps[1]);
        Assert.Equal("joined", expect.Label);
        Assert.Equal(TimeSpan.FromMilliseconds(250), expect.Timeout);
        Assert.True(expect.IgnoreOthers);
        Assert.Equal(4, expect.Match.Where.Count);
        Assert.Contains(expect.Match.Where, c => c.Test == JsonTest.Length);
        Assert.Equal(["id", "word"], expect.Captures.Select(c => c.Variable));
        Assert.Equal(19, expect.Mark.Line);
        Assert.Equal(9, expect.Mark.Column);

        var repeat = Assert.IsType<RepeatStep>(one.Steps[5]);
        Assert.Equal(2, repeat.Times);
        Assert.Equal(TimeSpan.FromMilliseconds(5), repeat.Every);
        var loop = Assert.IsType<RepeatStep>(one.Steps[6]);
        Assert.Null(loop.Times);
        Assert.Equal(3, loop.MaxIterations);
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, Assert.IsType<BinaryPayload>(Assert.IsType<SendStep>(loop.Steps[0]).Payload).Data);
        var close = Assert.IsType<CloseStep>(one.Steps[7]);
        Assert.Equal((4001, "done"), (close.Code, close.Reason));

        var refused = file.Scenarios[1];
        Assert.Equal(401, refused.ExpectReject!.Status);
        Assert.Equal("ws://127.0.0.1:9/chat", refused.Target.Url);
        Assert.Equal("", refused.Target.Token);
        Assert.Null(refused.Target.ToCheckOptions(false).Token);
    }

    [Fact]
    public void TheOneScenarioFormTakesTheFilesName()
    {
        var file = Parse("""
            target: { url: "ws://127.0.0.1:1/" }
            steps:
              - send: hi
              - expect: hi
            """);
        var scenario = Assert.Single(file.Scenarios);
        Assert.Equal("t", scenario.Name);
        Assert.Equal("hi", Assert.IsType<ExpectStep>(scenario.Steps[1]).Match.Text!.Text);
    }

    [Fact]
    public void CommandLineVariablesWinAndCountAsDefined()
    {
        var file = Parse("""
            target: { url: "ws://127.0.0.1:1/" }
            vars: { user: ann }
            steps:
              - send: "{{user}} {{extra}}"
            """, new Dictionary<string, string> { ["user"] = "bob", ["extra"] = "x" });
        Assert.Equal("bob", file.Scenarios[0].Vars["user"]);
        Assert.Equal("x", file.Scenarios[0].Vars["extra"]);
    }

    [Theory]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - sned: hi\n", 3, 5, "unknown key 'sned' in a step; did you mean 'send'?")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - send: hi\n    expect: hi\n", 3, 5, "a step has one action; this one has send and expect")]
    [InlineData("target: { url: \"ws://a/\", timeot: 2s }\nsteps: []\n", 1, 27, "unknown key 'timeot' in target; did you mean 'timeout'?")]
    [InlineData("target: { url: \"http://a/\" }\nsteps: []\n", 1, 16, "url must be an absolute ws:// or wss:// URL")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - wait: soon\n", 3, 11, "wait must be a duration such as 5s")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - expect: { regex: \"(\" }\n", 3, 22, "not a valid regular expression")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - expect: { where: { \"$..x\": 1 } }\n", 3, 24, "recursive descent")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - expect: { where: { \"$.x\": { ge: 1 } } }\n", 3, 33, "'ge' is not a test")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - send: \"{{nobody}}\"\n", 3, 11, "no vars: entry, capture or call with: sets 'nobody'")]
    [InlineData("target: { url: \"ws://${MISSING}/\" }\nsteps: []\n", 1, 16, "the environment variable MISSING is not set")]
    [InlineData("target: { url: \"ws://a/\", token: { env: NOPE } }\nsteps: []\n", 1, 41, "the environment variable NOPE is not set")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - call: login\n", 3, 11, "there is no flow 'login'")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - close: 1006\n", 3, 12, "1006 cannot be sent in a Close frame")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - repeat: 0\n    steps: [ { send: x } ]\n", 3, 13, "repeat (a count) must be a whole number from 1")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - repeat: 2\n", 3, 5, "repeat needs steps: beside it")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - expect: { exact: true, text: a }\n", 3, 15, "exact: applies to json:")]
    [InlineData("target: { url: \"ws://a/\" }\nvars: { seq: 1 }\nsteps: []\n", 2, 9, "'seq' is a built-in variable")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - ping: \"" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "\"\n", 3, 11, "a ping payload is at most 125 bytes")]
    [InlineData("steps: []\n", 1, 1, "no url: give target:")]
    [InlineData("target: { url: \"ws://a/\" }\n", 1, 1, "the file has neither scenarios: nor steps:")]
    [InlineData("target: { url: \"ws://a/\" }\nscenarios:\n  - name: a\n    steps: []\n  - name: a\n    steps: []\n", 5, 5, "two scenarios are named 'a'")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - send: [\n", 4, 1, "not valid YAML")]
    // Found by bench/fuzz (scenario): YamlDotNet threw InvalidOperationException (a DEL after an open flow
    // mapping) and ArgumentException (a NUL key), which escaped the loader as stack traces.
    [InlineData("a: {a:\n\u007f", 1, 5, "not valid YAML here")]
    [InlineData("\0: z}\n", 2, 1, "not valid YAML here")]
    // Found by bench/fuzz (scenario): a key holding a line break was quoted raw and the error took two lines.
    [InlineData("\"a\\nb\": 1\n\"a\\nb\": 2\n", 2, 1, "Duplicate key a\\nb")]
    [InlineData("target: { url: \"ws://a/\" }\nscenarios:\n  - name: a\n    expect-reject: 403\n    steps: [ { send: x } ]\n", 4, 20, "has no connection to run steps on")]
    // Found by bench/fuzz (scenario): an alias inside the node it names made YamlDotNet's tree hash a recursive
    // mapping key until the stack overflowed, which killed the process (no catch can stop that).
    [InlineData("? &k { a: [ *k ] }\n: 1\n", 1, 13, "the alias *k is inside the node &k it refers to")]
    [InlineData("target: &t { url: \"ws://a/\", again: *t }\nsteps: []\n", 1, 37, "a recursive alias")]
    // Found by bench/fuzz (scenario, exporter-config): an alias before its anchor, which YAML forbids and YamlDotNet
    // resolves anyway, into a cycle that overflowed the stack comparing alias nodes.
    [InlineData("vars: { a: *v }\nx: &v hello\n", 1, 12, "the alias *v comes before its anchor &v")]
    public void ErrorsNameTheLineAndColumn(string yaml, int line, int column, string reason)
    {
        var error = Error(yaml);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Mark.Line, error.Mark.Column));
        Assert.StartsWith($"t.yaml:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectionsNestedPastTheLimitAreRefusedBeforeTheTreeIsBuilt()
    {
        // Found by bench/fuzz (exporter-config): 22,790 open flow mappings took YamlDotNet's parser over a second
        // and an afl time-out; the first pass stops at the first level past the limit.
        var error = Error(new string('{', 20_000));
        Assert.Contains($"nested deeper than {YamlShape.MaxDepth} levels", error.Reason, StringComparison.Ordinal);
        Assert.Equal((1, YamlShape.MaxDepth + 1), (error.Mark.Line, error.Mark.Column));

        // At the limit it is only a shape, refused for what it is (not a mapping).
        var fits = new string('[', YamlShape.MaxDepth) + new string(']', YamlShape.MaxDepth);
        Assert.DoesNotContain("nested deeper", Error(fits).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AliasesThatExpandPastTheNodeLimitAreRefused()
    {
        // Ten anchors, each a list of ten aliases to the one before: 10^10 nodes for whoever walks the tree.
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++)
        {
            yaml.Append($"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        var error = Error(yaml.ToString());
        Assert.Contains($"expands to more than {YamlShape.MaxNodes} nodes", error.Reason, StringComparison.Ordinal);
        Assert.Equal(5, error.Mark.Line); // a0 to a4 hold 111,111 nodes
    }

    [Fact]
    public void AliasesWithinTheLimitsStillWork()
    {
        var file = Parse("""
            target: &t { url: "ws://a/", timeout: 3s }
            scenarios:
              - name: a
                steps: &s [ { send: hi }, { expect: hi } ]
              - name: b
                steps: *s
            """);
        Assert.Equal(2, file.Scenarios.Count);
        Assert.Equal(2, file.Scenarios[1].Steps.Count);
    }

    [Fact]
    public void FlowsThatCallEachOtherInACycleAreRefused()
    {
        var error = Error("""
            target: { url: "ws://a/" }
            flows:
              a:
                - call: b
              b:
                - repeat: 2
                  steps:
                    - call: a
            steps:
              - call: a
            """);
        Assert.Contains("cycle: a -> b -> a", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AScenarioTargetOverridesTheFilesFieldByFieldAndMergesHeaders()
    {
        var file = Parse("""
            target:
              url: ws://127.0.0.1:1/a
              origin: https://a.example
              headers: { X-One: "1", X-Two: "2" }
            scenarios:
              - name: b
                target:
                  url: ws://127.0.0.1:1/b
                  headers: { x-two: "two", X-Three: "3" }
                steps: []
            """);
        var target = file.Scenarios[0].Target;
        Assert.Equal("ws://127.0.0.1:1/b", target.Url);
        Assert.Equal("https://a.example", target.Origin);
        Assert.Equal(["X-One: 1", "x-two: two", "X-Three: 3"], target.Headers.Select(h => $"{h.Name}: {h.Value}"));
    }

    [Fact]
    public void YamlMergeKeysAndAnchorsWork()
    {
        var file = Parse("""
            target: { url: "ws://127.0.0.1:1/" }
            vars: { a: "1" }
            flows:
              base: &login
                - send: { json: &msg { type: login, v: 1 } }
            scenarios:
              - name: x
                steps:
                  - send: { json: { <<: *msg, v: 2 } }
            """);
        var json = Assert.IsType<JsonPayload>(Assert.IsType<SendStep>(file.Scenarios[0].Steps[0]).Payload).Document!;
        Assert.Equal("login", (string?)json["type"]);
        Assert.Equal(2L, (long?)json["v"]);
    }

    [Fact]
    public void ASecretFileGivesItsFirstLine()
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-scn-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "token.txt"), "from-file\nsecond line\n");
            var file = ScenarioLoader.Parse("target: { url: \"ws://a/\", token: { file: token.txt } }\nsteps: []\n", "t.yaml", dir.FullName, _ => null);
            Assert.Equal("from-file", file.Scenarios[0].Target.Token);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void ExpectScalarIsExactTextAndJsonMatchKeepsTypes()
    {
        var file = Parse("""
            target: { url: "ws://a/" }
            steps:
              - expect: "42"
              - expect: { json: { n: 42, s: "42" }, exact: true, type: text }
            """);
        Assert.Equal("42", Assert.IsType<ExpectStep>(file.Scenarios[0].Steps[0]).Match.Text!.Text);
        var match = Assert.IsType<ExpectStep>(file.Scenarios[0].Steps[1]).Match;
        Assert.True(match.JsonExact);
        Assert.Equal(MessageKind.Text, match.Kind);
        Assert.True(JsonValues.DeepEquals(JsonNode.Parse("""{"n":42,"s":"42"}"""), match.Json));
        Assert.False(JsonValues.DeepEquals(JsonNode.Parse("""{"n":"42","s":"42"}"""), match.Json));
    }

    [Fact]
    public void ALiteralDollarBraceIsWrittenWithTwoDollars()
    {
        var file = Parse("target: { url: \"ws://a/\" }\nsteps:\n  - send: \"cost $${PRICE} ${HOST:-x} ${UNSET:-fallback}\"\n");
        var text = Assert.IsType<TextPayload>(Assert.IsType<SendStep>(file.Scenarios[0].Steps[0]).Payload).Text.Text;
        Assert.Equal("cost ${PRICE} 127.0.0.1:9 fallback", text);
    }
}
