using Wsdoctor.Findings;
using Wsdoctor.Scenarios.Loading;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Scenarios.Tests.Loading;

/// <summary>Every error of a scenario file in Simplified Chinese: the same FILE:LINE:COL, the reason translated,
/// no English prose left in it (values from the file and quoted library messages aside).</summary>
public sealed class LoaderZhCnTests
{
    private const string U = "target: { url: \"ws://a/\" }\n";

    /// <summary>A bad file and a piece of its English reason, which pins the row to the error it is meant to reach.</summary>
    public static TheoryData<string, string> BadFiles() => new()
    {
        // The file as a whole.
        { "", "the file is empty" },
        { "a: 1\n---\nb: 2\n", "several YAML documents" },
        { "- a\n", "the file must be a mapping" },
        { "[a]: 1\n", "the keys of the file must be plain words" },
        { "target: { url: \"ws://a/\" }\nsteps:\n  - send: [\n", "not valid YAML: " },
        { "a: {a:\n\u007f", "not valid YAML here" },
        { "\"a\\nb\": 1\n\"a\\nb\": 2\n", "Duplicate key" },
        { "stepz: []\n", "unknown key 'stepz' in the file; did you mean 'steps'?" },
        { "zzzzzzzzzzzz: 1\n", "unknown key 'zzzzzzzzzzzz' in the file (known: " },
        { U, "the file has neither scenarios: nor steps:" },
        { "steps: []\n", "no url: give target:" },
        { U + "steps: []\nscenarios: []\n", "steps: at the top is the one-scenario form" },
        { U + "expect-reject: 403\nscenarios: []\n", "expect-reject: at the top is for the one-scenario form" },
        { U + "scenarios: []\n", "scenarios is empty" },
        { U + "scenarios: hi\n", "scenarios must be a list" },
        { U + "scenarios:\n  - name: a\n", "a scenario needs steps:" },
        { U + "scenarios:\n  - name: a\n    steps: []\n  - name: a\n    steps: []\n", "two scenarios are named 'a'" },
        { U + "scenarios:\n  - name: a\n    expect-reject: 403\n    steps: [ { send: x } ]\n", "has no connection to run steps on" },
        { U + "expect-reject: 99\nscenarios: []\n", "expect-reject: at the top" },
        { U + "scenarios:\n  - expect-reject: 99\n", "expect-reject (an HTTP status) must be a whole number from 100 to 599" },
        { U + "name: { a: 1 }\nsteps: []\n", "name must be a single value, not a mapping" },
        { U + "name: [a]\nsteps: []\n", "name must be a single value, not a list" },

        // Variables, flows and calls.
        { U + "vars: { seq: 1 }\nsteps: []\n", "'seq' is a built-in variable" },
        { U + "vars: { \"1x\": a }\nsteps: []\n", "'1x' is not a variable name" },
        { U + "vars: { <<: 1 }\nsteps: []\n", "a merge key (<<) takes a mapping" },
        { U + "steps:\n  - send: \"{{nobody}}\"\n", "no vars: entry, capture or call with: sets 'nobody'" },
        { U + "steps:\n  - call: login\n", "there is no flow 'login' (the file has no flows:)" },
        { U + "flows: { hello: [] }\nsteps:\n  - call: login\n", "there is no flow 'login' (flows: hello)" },
        { U + "flows: { \"1 x\": [] }\nsteps: []\n", "'1 x' is not a flow name" },
        { U + "flows:\n  a:\n    - call: b\n  b:\n    - call: a\nsteps: []\n", "the flows call each other in a cycle: a -> b -> a" },

        // ${ENV}
        { "target: { url: \"ws://${MISSING}/\" }\nsteps: []\n", "the environment variable MISSING is not set" },
        { "target: { url: \"ws://${A/\" }\nsteps: []\n", "is not closed with '}'" },
        { "target: { url: \"ws://${1A}/\" }\nsteps: []\n", "'${1A}' is not an environment variable name" },
        { "target: { url: \"ws://a/\", token: { env: NOPE } }\nsteps: []\n", "token.env: the environment variable NOPE is not set" },

        // target:
        { "target: { url: \"ws://a/\", timeot: 2s }\nsteps: []\n", "unknown key 'timeot' in target; did you mean 'timeout'?" },
        { "target: { url: \"http://a/\" }\nsteps: []\n", "url must be an absolute ws:// or wss:// URL" },
        { "target: { url: \"ws://a/\", insecure: maybe }\nsteps: []\n", "insecure must be true or false (got 'maybe')" },
        { "target: { url: \"ws://a/\", timeout: 2h }\nsteps: []\n", "timeout is at most " },
        { "target: { url: \"ws://a/\", family: ipv5 }\nsteps: []\n", "family must be any, ipv4 or ipv6" },
        { "target: { url: \"ws://a/\", token-in: bogus }\nsteps: []\n", "token-in must be bearer, subprotocol, query:NAME, cookie:NAME or header:NAME (got 'bogus')" },
        { "target: { url: \"ws://a/\", proxy: \"http://p:1\", no-proxy: true }\nsteps: []\n", "proxy: and no-proxy: true exclude each other" },
        { "target: { url: \"ws://a/\", cert: c.pem }\nsteps: []\n", "cert: and key: go together" },
        { "target: { url: \"ws://a/\", ca: \"\" }\nsteps: []\n", "ca is empty" },
        { "target: { url: \"ws://a/\", headers: { \"a b\": x } }\nsteps: []\n", "'a b' is not a valid header name" },
        { "target: { url: \"ws://a/\", headers: { X-A: \"a\\nb\" } }\nsteps: []\n", "headers.X-A: a header value cannot span lines" },
        { "target: { url: \"ws://a/\", token: { env: A, file: b } }\nsteps: []\n", "token takes one of env: NAME or file: PATH" },
        { "target: { url: \"ws://a/\", token: { file: /nonexistent/wsdoctor-token } }\nsteps: []\n", "token.file: cannot read /nonexistent/wsdoctor-token: " },

        // Steps.
        { U + "steps: hi\n", "steps must be a list" },
        { U + "steps:\n  - hi\n", "a step must be a mapping" },
        { U + "steps:\n  - name: x\n", "a step needs one action: send, expect" },
        { U + "steps:\n  - sned: hi\n", "unknown key 'sned' in a step; did you mean 'send'?" },
        { U + "steps:\n  - send: hi\n    zzzzzzzzzz: 1\n", "unknown key 'zzzzzzzzzz' in a send step (known: " },
        { U + "steps:\n  - send: hi\n    expect: hi\n", "a step has one action; this one has send and expect" },
        { U + "steps:\n  - wait: soon\n", "wait must be a duration such as 5s" },
        { U + "steps:\n  - ping: \"" + new string('x', 126) + "\"\n", "a ping payload is at most 125 bytes" },
        { U + "steps:\n  - send: { text: a, json: 1 }\n", "send takes one of text:, json:, hex:, base64: or file:" },
        { U + "steps:\n  - send: { file: nope.bin }\n", "does not exist" },
        { U + "steps:\n  - send: { hex: zz }\n", "send.hex: not hexadecimal bytes" },
        { U + "steps:\n  - send: { base64: \"!!!\" }\n", "send.base64: not valid base64" },
        { U + "steps:\n  - send: { json: .inf }\n", "'.inf' has no JSON form" },
        { U + "steps:\n  - expect: { type: blob }\n", "type must be text or binary (got 'blob')" },
        { U + "steps:\n  - expect: { regex: \"(\" }\n", "expect.regex: not a valid regular expression: " },
        { U + "steps:\n  - expect: { exact: true, text: a }\n", "exact: applies to json:" },
        { U + "steps:\n  - expect: { hex: \"00\", text: a }\n", "an expect compares either bytes (hex:/base64:) or text, not both" },
        { U + "steps:\n  - expect: { where: { \"$..x\": 1 } }\n", "recursive descent (..) is not supported" },
        { U + "steps:\n  - expect: { where: { \"x\": 1 } }\n", "a JSON path starts with '$'" },
        { U + "steps:\n  - expect: { where: { \"$.\": 1 } }\n", "a member name is expected after '.'" },
        { U + "steps:\n  - expect: { where: { \"$[*]\": 1 } }\n", "is neither an index nor a quoted name" },
        { U + "steps:\n  - expect: { where: { \"$x\": 1 } }\n", "unexpected 'x' at character 2" },
        { U + "steps:\n  - expect: { where: { \"$[0\": 1 } }\n", "'[' at character 2 is not closed" },
        { U + "steps:\n  - expect: { where: { \"$.x\": { ge: 1 } } }\n", "'ge' is not a test" },
        { U + "steps:\n  - expect: { where: { \"$.x\": {} } }\n", "an empty mapping tests nothing" },
        { U + "steps:\n  - expect: { where: { \"$.x\": { type: blob } } }\n", "type must be one of " },
        { U + "steps:\n  - expect: { where: { \"$.x\": { \">\": abc } } }\n", "this test compares with a number" },
        { U + "steps:\n  - expect: { where: { \"$.x\": { regex: \"(\" } } }\n", "where.$.x.regex: not a valid regular expression" },
        { U + "steps:\n  - expect: { json: { a: .nan } }\n", "'.nan' has no JSON form" },
        { U + "steps:\n  - capture: {}\n", "capture names no variable" },
        { U + "steps:\n  - capture: { x: { regex: a, json: $.a } }\n", "capture.x takes a JSON path" },
        { U + "steps:\n  - capture: { x: nope }\n", "capture.x: a JSON path starts with '$'" },
        { U + "steps:\n  - close: 1006\n", "1006 cannot be sent in a Close frame" },
        { U + "steps:\n  - close: { reason: \"" + new string('r', 124) + "\" }\n", "a close reason is at most 123 bytes" },
        { U + "steps:\n  - expect-close: 999\n", "expect-close (a close code) must be a whole number from 1000 to 4999" },
        { U + "steps:\n  - expect-close: { reason-regex: \"[\" }\n", "reason-regex: not a valid regular expression" },
        { U + "steps:\n  - repeat: 0\n    steps: [ { send: x } ]\n", "repeat (a count) must be a whole number from 1" },
        { U + "steps:\n  - repeat: 2\n", "repeat needs steps: beside it" },
        { U + "steps:\n  - repeat: 2\n    steps: []\n", "repeat.steps is empty" },
        { U + "steps:\n  - loop: { every: 1s }\n    steps: [ { send: x } ]\n", "loop needs for: DURATION" },
        { U + "steps:\n  - loop: { for: 200h }\n    steps: [ { send: x } ]\n", "for is at most " },
        { U + "steps:\n  - call: a\n    with: { seq: 1 }\nflows: { a: [] }\n", "'seq' is a built-in variable" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void EveryErrorHasItsChineseLine(string yaml, string english)
    {
        var error = Assert.Throws<ScenarioFileException>(() => LoaderTests.Parse(yaml));

        Assert.Contains(english, error.Message, StringComparison.Ordinal);
        AssertBilingual(error);
    }

    [Fact]
    public void AFileThatCannotBeReadHasItsChineseLine()
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-scn-zh-");
        try
        {
            var unreadable = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Load(dir.FullName));
            Assert.Contains("cannot read the file: ", unreadable.Message, StringComparison.Ordinal);
            AssertBilingual(unreadable);

            var big = Path.Combine(dir.FullName, "big.yaml");
            using (var stream = File.Create(big))
            {
                stream.SetLength(ScenarioLoader.MaxFileBytes + 1);
            }

            var tooBig = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Load(big));
            Assert.Contains("a scenario file is at most 4 MiB", tooBig.Message, StringComparison.Ordinal);
            AssertBilingual(tooBig);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheChineseLineKeepsThePositionAndStaysOneLine()
    {
        var error = Assert.Throws<ScenarioFileException>(() => LoaderTests.Parse("\"a\\nb\": 1\n\"a\\nb\": 2\n"));

        Assert.DoesNotContain('\n', error.Text.Zh);
        Assert.Contains("a\\nb", error.Text.Zh, StringComparison.Ordinal);
        Assert.Equal(error.Message, error.Text.En);
        Assert.Equal(error.Reason, error.ReasonText.En);
    }

    private static void AssertBilingual(ScenarioFileException error)
    {
        Text text = error.Text;
        Assert.True(text.Translated, text.Zh);
        Assert.Equal(error.Message, text.En);
        Assert.NotEqual(text.En, text.Zh);
        Assert.Matches(EnglishProse.Cjk(), text.Zh);
        Assert.Empty(EnglishProse.Find(text.Zh));
        Assert.All(text.Prose, part => Assert.Empty(EnglishProse.Find(part)));

        // The position is the same in both languages; only the reason is translated.
        var position = error.Mark.Line > 0 ? error.Mark.ToString() : error.Mark.File;
        Assert.StartsWith($"{position}: ", text.Zh, StringComparison.Ordinal);
        Assert.Equal(text.Zh, $"{position}: {error.ReasonText.Zh}");
    }
}
