using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;

namespace Wsdoctor.Scenarios.Tests.Json;

public sealed class JsonTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""{"a":{"b":[10,{"c":"x"},null]},"weird key":{"it's":1},"n":2.50,"t":true}""")!;

    [Theory]
    [InlineData("$", true)]
    [InlineData("$.a.b[0]", true)]
    [InlineData("$.a.b[1].c", true)]
    [InlineData("$.a.b[-1]", true)]
    [InlineData("$.a.b[-4]", false)]
    [InlineData("$.a.b[3]", false)]
    [InlineData("$['weird key']['it\\'s']", true)]
    [InlineData("$[\"weird key\"]", true)]
    [InlineData("$.a.missing", false)]
    [InlineData("$.n.deeper", false)]
    public void PathsFindOneValue(string path, bool found) => Assert.Equal(found, JsonPath.Parse(path).Evaluate(Doc).Found);

    [Fact]
    public void APresentNullIsFoundWithANullValue()
    {
        var (found, value) = JsonPath.Parse("$.a.b[2]").Evaluate(Doc);
        Assert.True(found);
        Assert.Null(value);
        Assert.Equal("x", (string?)JsonPath.Parse("$.a.b[1].c").Evaluate(Doc).Value);
    }

    [Theory]
    [InlineData("a.b", "starts with '$'")]
    [InlineData("$..a", "recursive descent")]
    [InlineData("$.a[*]", "wildcards")]
    [InlineData("$.a[?(@.x)]", "filters")]
    [InlineData("$.a[0", "is not closed")]
    [InlineData("$.", "a member name is expected")]
    [InlineData("$a", "unexpected 'a'")]
    public void UnsupportedPathsAreRefusedWithTheReason(string path, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => JsonPath.Parse(path)).Message, StringComparison.Ordinal);

    [Fact]
    public void EqualityIsByValue()
    {
        Assert.True(JsonValues.DeepEquals(JsonNode.Parse("1"), JsonNode.Parse("1.0")));
        Assert.True(JsonValues.DeepEquals(JsonNode.Parse("""{"a":1,"b":[1,2]}"""), JsonNode.Parse("""{"b":[1,2],"a":1}""")));
        Assert.False(JsonValues.DeepEquals(JsonNode.Parse("[1,2]"), JsonNode.Parse("[2,1]")));
        Assert.False(JsonValues.DeepEquals(JsonNode.Parse("\"1\""), JsonNode.Parse("1")));
        Assert.False(JsonValues.DeepEquals(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""{"a":1,"b":2}""")));
        Assert.True(JsonValues.DeepEquals(null, null));
    }

    [Fact]
    public void DifferencesNameEachPath()
    {
        var expected = JsonNode.Parse("""{"type":"count","user":{"name":"alice","age":3},"tags":[1,2],"gone":true}""");
        var actual = JsonNode.Parse("""{"type":"count","user":{"name":"bob","age":"3"},"tags":[1,2,3],"extra":1}""");
        var subset = JsonValues.Differences(expected, actual, subset: true);
        Assert.Equal(
        [
            "$.user.name: expected \"alice\", got \"bob\"",
            "$.user.age: expected 3, got \"3\" (string, expected number)",
            "$.tags: 3 elements, expected 2",
            "$.gone: missing (expected true)",
        ], subset.Select(t => t.En));
        Assert.Contains("$.extra: not expected (got 1)", JsonValues.Differences(expected, actual, subset: false).Select(t => t.En));
        // The same lines in Chinese: the paths and values as they are, the words translated.
        Assert.Contains("$.tags：3 个元素，期望 2 个", subset.Select(t => t.Zh));
        Assert.Contains("$.user.age：期望 3，实际为 \"3\"（类型为 string，期望 number）", subset.Select(t => t.Zh));
        Assert.Empty(JsonValues.Differences(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""{"a":1,"b":2}"""), subset: true));
    }

    [Theory]
    [InlineData(JsonTest.Equals, "2.5", "$.n", true)]
    [InlineData(JsonTest.NotEquals, "2.5", "$.n", false)]
    [InlineData(JsonTest.Greater, "2", "$.n", true)]
    [InlineData(JsonTest.Greater, "2.5", "$.n", false)]
    [InlineData(JsonTest.GreaterOrEqual, "2.5", "$.n", true)]
    [InlineData(JsonTest.Less, "3", "$.n", true)]
    [InlineData(JsonTest.LessOrEqual, "2", "$.n", false)]
    [InlineData(JsonTest.Contains, "10", "$.a.b", true)]
    [InlineData(JsonTest.Contains, "11", "$.a.b", false)]
    [InlineData(JsonTest.Length, "3", "$.a.b", true)]
    [InlineData(JsonTest.Type, "\"number\"", "$.n", true)]
    [InlineData(JsonTest.Type, "\"integer\"", "$.n", false)]
    [InlineData(JsonTest.Type, "\"integer\"", "$.a.b[0]", true)]
    [InlineData(JsonTest.Type, "\"boolean\"", "$.t", true)]
    [InlineData(JsonTest.Type, "\"null\"", "$.a.b[2]", true)]
    [InlineData(JsonTest.Exists, "true", "$.a.b[2]", true)]
    [InlineData(JsonTest.Exists, "false", "$.nope", true)]
    [InlineData(JsonTest.Exists, "true", "$.nope", false)]
    [InlineData(JsonTest.Greater, "1", "$.t", false)]
    public void ConditionsHoldOrSayWhatWasFound(JsonTest test, string expected, string path, bool holds)
    {
        var condition = new JsonCondition(JsonPath.Parse(path), test, JsonNode.Parse(expected), null);
        var found = condition.Check(Doc);
        Assert.Equal(holds, found is null);
        if (!holds)
        {
            Assert.Contains(path, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RegexConditionsMatchStringsAndCannotRunAway()
    {
        var condition = new JsonCondition(JsonPath.Parse("$.a.b[1].c"), JsonTest.Regex, null, new Regex("^x$", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Assert.Null(condition.Check(Doc));
        var evil = new JsonCondition(JsonPath.Parse("$.s"), JsonTest.Regex, null, new Regex("^(a+)+$", RegexOptions.None, TimeSpan.FromMilliseconds(50)));
        Assert.NotNull(evil.Check(JsonNode.Parse($$"""{"s":"{{new string('a', 40)}}!"}""")));
    }

    [Fact]
    public void TemplatesFillNamesAndLeaveOtherBracesAlone()
    {
        var t = Template.Parse("{\"x\": {{ seq }}, \"y\": \"{{user.name}}\", \"z\": {{}} {{ 1bad }} {{a}}b");
        Assert.Equal(["seq", "user.name", "a"], t.Names);
        Assert.Equal("{\"x\": 7, \"y\": \"ANN\", \"z\": {{}} {{ 1bad }} Ab", t.Render(n => n switch { "seq" => "7", "a" => "A", _ => "ANN" }));
        Assert.True(Template.Parse("{{x}}").IsSinglePlaceholder);
        Assert.False(Template.Parse(" {{x}}").IsSinglePlaceholder);
    }

    [Fact]
    public void VariablesKeepJsonTypesInJsonAndRenderAsTextElsewhere()
    {
        var variables = new Variables(new Dictionary<string, string> { ["room"] = "lobby" }, "s", 4);
        variables.Set("id", JsonValue.Create(42));
        variables.NextSeq();
        var rendered = variables.RenderJson(JsonNode.Parse("""{"id":"{{id}}","label":"#{{id}} in {{room}}","c":"{{connection}}","seq":"{{seq}}","{{room}}":1}"""));
        Assert.Equal("""{"id":42,"label":"#42 in lobby","c":4,"seq":1,"lobby":1}""", rendered!.ToJsonString());
        Assert.Equal("id=42 seq=1", variables.Render(Template.Parse("id={{id}} seq={{seq}}")));
        Assert.Throws<UnsetVariableException>(() => variables.Render(Template.Parse("{{later}}")));
        Assert.Matches("^[0-9a-f-]{36}$", variables.GetText("uuid"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", variables.GetText("now"));
    }

    [Fact]
    public void CallScopesShadowAndPopButCapturesStay()
    {
        var variables = new Variables(new Dictionary<string, string> { ["user"] = "ann" }, "s", 0);
        variables.PushCall(new Dictionary<string, JsonNode?> { ["user"] = JsonValue.Create("bob") });
        Assert.Equal("bob", variables.GetText("user"));
        variables.Set("token", JsonValue.Create("t1"));
        variables.PopCall();
        Assert.Equal("ann", variables.GetText("user"));
        Assert.Equal("t1", variables.GetText("token"));
    }

    [Fact]
    public void TheMatcherChecksEveryPartAndExplainsEachProblem()
    {
        var variables = new Variables(new Dictionary<string, string> { ["who"] = "ann" }, "s", 0);
        var message = new ReceivedMessage(true, """{"type":"hello","from":"bob","n":1}"""u8.ToArray(), TimeSpan.Zero);
        var match = new MessageMatch
        {
            Kind = MessageKind.Binary,
            Contains = Template.Parse("{{who}}"),
            Regex = Template.Parse("\"from\":\"{{who}}\""),
            Json = JsonNode.Parse("""{"type":"hello","from":"{{who}}"}"""),
            HasJson = true,
            Where = [new JsonCondition(JsonPath.Parse("$.n"), JsonTest.Greater, JsonNode.Parse("1"), null)],
        };
        var result = MessageMatcher.Check(match, message, variables);
        Assert.Equal(
        [
            "a text message arrived, not binary",
            "\"ann\" does not occur in it",
            "it does not match /\"from\":\"ann\"/",
            "$.from: expected \"ann\", got \"bob\"",
            "$.n > 1 does not hold: $.n is 1",
        ], result.Problems.Select(t => t.En));
        Assert.Contains("$.n > 1 不成立：$.n 为 1", result.Problems.Select(t => t.Zh));
        Assert.Contains("消息中没有 \"ann\"", result.Problems.Select(t => t.Zh));

        var good = MessageMatcher.Check(match with { Kind = MessageKind.Text, Contains = null, Regex = null, Where = [] }, new ReceivedMessage(true, """{"type":"hello","from":"ann"}"""u8.ToArray(), TimeSpan.Zero), variables);
        Assert.True(good.Matched);
        Assert.Equal(["it is not JSON"], MessageMatcher.Check(new MessageMatch { HasJson = true, Json = new JsonObject() }, new ReceivedMessage(true, "nope"u8.ToArray(), TimeSpan.Zero), variables).Problems.Select(p => p.En[..14]));
    }

    [Fact]
    public void RegexValuesAreEscapedWhenTheyFillAPattern()
    {
        var variables = new Variables(new Dictionary<string, string> { ["x"] = "a.b" }, "s", 0);
        var match = new MessageMatch { Regex = Template.Parse("^{{x}}$") };
        Assert.True(MessageMatcher.Check(match, new ReceivedMessage(true, "a.b"u8.ToArray(), TimeSpan.Zero), variables).Matched);
        Assert.False(MessageMatcher.Check(match, new ReceivedMessage(true, "axb"u8.ToArray(), TimeSpan.Zero), variables).Matched);
    }
}
