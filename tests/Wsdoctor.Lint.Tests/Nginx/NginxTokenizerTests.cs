using Wsdoctor.Lint.Nginx;

namespace Wsdoctor.Lint.Tests.Nginx;

/// <summary>nginx's own tokenizer rules (ngx_conf_read_token), one case each.</summary>
public sealed class NginxTokenizerTests
{
    private static IReadOnlyList<NginxDirective> Parse(string text)
    {
        var result = NginxParser.Parse(text, "t.conf");
        Assert.True(result.Ok, result.Error?.ToString());
        return result.Value;
    }

    private static ConfigError Fails(string text)
    {
        var result = NginxParser.Parse(text, "t.conf");
        Assert.False(result.Ok, "expected a syntax error");
        return result.Error;
    }

    private static string[] Words(string text) => Parse(text).Single().Words.Select(w => w.Value).ToArray();

    [Fact]
    public void Parse_QuoteInsideAWord_IsAnOrdinaryCharacter() =>
        Assert.Equal(["return", "200", "a\"b\"c"], Words("return 200 a\"b\"c;"));

    [Fact]
    public void Parse_EscapedQuoteInsideAString_StaysInTheString() =>
        Assert.Equal(["return", "200", "say \"hi\""], Words("return 200 \"say \\\"hi\\\"\";"));

    [Fact]
    public void Parse_SingleQuotedString_KeepsDoubleQuotesAndSpaces() =>
        Assert.Equal(["add_header", "X", "a \"b\" c"], Words("add_header X 'a \"b\" c';"));

    [Fact]
    public void Parse_HashInsideAWord_IsNotAComment() =>
        Assert.Equal(["return", "200", "a#b"], Words("return 200 a#b;"));

    [Fact]
    public void Parse_HashAtTheStartOfAWord_StartsAComment()
    {
        var directives = Parse("return 200 ok; #comment ; {\nworker_processes 1;");

        Assert.Equal(["return", "worker_processes"], directives.Select(d => d.Name));
    }

    [Fact]
    public void Parse_BracedVariable_DoesNotOpenABlock() =>
        Assert.Equal(["set", "$a", "${host}x"], Words("set $a ${host}x;"));

    [Fact]
    public void Parse_SemicolonInQuotes_DoesNotEndTheDirective() =>
        Assert.Equal(["return", "200", "a;b"], Words("return 200 \"a;b\";"));

    [Fact]
    public void Parse_StringOverSeveralLines_IsOneWordAndLinesStillCount()
    {
        var directives = Parse("return 200 \"line1\nline2\";\nlisten 80;");

        Assert.Equal("line1\nline2", directives[0].Arg(1));
        Assert.Equal(new SourceLocation("t.conf", 3, 1), directives[1].Location);
    }

    [Fact]
    public void Parse_EmptyString_IsAnEmptyWord()
    {
        var map = Parse("map $http_upgrade $connection_upgrade { default upgrade; '' close; }").Single();

        Assert.Equal("", map.Block![1].Name);
        Assert.Equal("close", map.Block[1].Arg(0));
    }

    [Fact]
    public void Parse_BackslashEscapes_AreResolvedAndOthersKept() =>
        Assert.Equal(["x", "a\tb\\d", "\\.php$"], Words("x \"a\\tb\\d\" \\.php$;"));

    [Fact]
    public void Parse_BraceInsideAWord_IsPartOfIt() =>
        Assert.Equal(["return", "200", "a}"], Words("return 200 a};"));

    [Fact]
    public void Parse_ParenthesisAfterQuote_StartsAWord() =>
        Assert.Equal(["if", "($a", "=", "b", ")"], Parse("if ($a = \"b\") { }").Single().Words.Select(w => w.Value));

    [Fact]
    public void Parse_Locations_LineAndColumnOfEachWord()
    {
        var server = Parse("http {\n  server {\n\tlisten  80;\n  }\n}").Single().Block!.Single();
        var listen = server.Block!.Single();

        Assert.Equal(new SourceLocation("t.conf", 2, 3), server.Location);
        Assert.Equal(new SourceLocation("t.conf", 3, 2), listen.Location);
        Assert.Equal(new SourceLocation("t.conf", 3, 10), listen.Words[1].Location);
    }

    [Fact]
    public void Parse_QuoteFollowedByALetter_IsNginxsError()
    {
        var error = Fails("return 200 \"a\"b;");

        Assert.Equal("unexpected \"b\"", error.Message);
        Assert.Equal(new SourceLocation("t.conf", 1, 15), error.Location);
    }

    [Theory]
    [InlineData("http {\n listen 80;\n", "unexpected end of file, expecting \"}\"", 3)]
    [InlineData("listen 80;\n}\n", "unexpected \"}\"", 2)]
    [InlineData("listen 80", "unexpected end of file, expecting \";\" or \"}\"", 1)]
    [InlineData("return \"unterminated;\n", "unexpected end of file, expecting \";\" or \"}\"", 2)]
    [InlineData(";", "unexpected \";\"", 1)]
    public void Parse_Broken_ErrorWithNginxWordingAndLine(string text, string message, int line)
    {
        var error = Fails(text);

        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Location.Line);
    }
}
