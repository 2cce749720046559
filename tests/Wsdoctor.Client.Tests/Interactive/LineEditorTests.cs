using Wsdoctor.Client.Interactive;

namespace Wsdoctor.Client.Tests.Interactive;

public sealed class LineEditorTests
{
    private static ConsoleKeyInfo Key(ConsoleKey key, char ch = '\0', bool ctrl = false) => new(ch, key, false, false, ctrl);

    private static ConsoleKeyInfo Char(char ch) => new(ch, ConsoleKey.A, false, false, false);

    private static void Type(LineEditor editor, string text)
    {
        foreach (var ch in text)
        {
            editor.Apply(Char(ch));
        }
    }

    [Fact]
    public void Typing_ThenEnter_SubmitsAndClears()
    {
        var editor = new LineEditor();
        Type(editor, "hello");

        var result = editor.Apply(Key(ConsoleKey.Enter, '\r'));

        Assert.Equal(new EditResult(EditOutcome.Submit, "hello"), result);
        Assert.Equal("", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void LeftArrowInsert_BackspaceDelete_EditInTheMiddle()
    {
        var editor = new LineEditor();
        Type(editor, "helo");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Char('l'));
        Assert.Equal("hello", editor.Text);
        Assert.Equal(4, editor.Cursor);

        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Key(ConsoleKey.Delete));
        Assert.Equal("ello", editor.Text);
        editor.Apply(Key(ConsoleKey.End));
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal("ell", editor.Text);
        Assert.Equal(3, editor.Cursor);
        editor.Apply(Key(ConsoleKey.RightArrow));
        Assert.Equal(3, editor.Cursor);
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal("ell", editor.Text);
    }

    [Fact]
    public void CtrlKeys_HomeEndKillLine()
    {
        var editor = new LineEditor();
        Type(editor, "abcdef");
        editor.Apply(Key(ConsoleKey.A, '\u0001', ctrl: true));
        Assert.Equal(0, editor.Cursor);
        editor.Apply(Key(ConsoleKey.RightArrow));
        editor.Apply(Key(ConsoleKey.RightArrow));
        editor.Apply(Key(ConsoleKey.K, '\u000b', ctrl: true));
        Assert.Equal("ab", editor.Text);
        editor.Apply(Key(ConsoleKey.U, '\u0015', ctrl: true));
        Assert.Equal("", editor.Text);
    }

    [Fact]
    public void History_UpDown_KeepsDraft_SkipsRepeats()
    {
        var editor = new LineEditor();
        foreach (var line in new[] { "one", "two", "two" })
        {
            Type(editor, line);
            editor.Apply(Key(ConsoleKey.Enter, '\r'));
        }

        Assert.Equal(["one", "two"], editor.History);
        Type(editor, "dra");
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("two", editor.Text);
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("one", editor.Text);
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("one", editor.Text);
        editor.Apply(Key(ConsoleKey.DownArrow));
        editor.Apply(Key(ConsoleKey.DownArrow));
        Assert.Equal("dra", editor.Text);
        Assert.Equal(3, editor.Cursor);
    }

    [Fact]
    public void CtrlD_EmptyLineEnds_OtherwiseDeletes_CtrlCInterrupts()
    {
        var editor = new LineEditor();
        Type(editor, "ab");
        editor.Apply(Key(ConsoleKey.Home));
        Assert.Equal(EditOutcome.Continue, editor.Apply(Key(ConsoleKey.D, '\u0004', ctrl: true)).Outcome);
        Assert.Equal("b", editor.Text);
        Assert.Equal(EditOutcome.Interrupt, editor.Apply(Key(ConsoleKey.C, '\u0003', ctrl: true)).Outcome);
        editor.Apply(Key(ConsoleKey.Delete));
        Assert.Equal(EditOutcome.EndOfInput, editor.Apply(Key(ConsoleKey.D, '\u0004', ctrl: true)).Outcome);
    }

    [Fact]
    public void Render_ErasesLine_AndPutsCursorBack()
    {
        var editor = new LineEditor();
        Type(editor, "abc");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Key(ConsoleKey.LeftArrow));

        Assert.Equal("\r\u001b[2K> abc\u001b[2D", editor.Render("> "));
    }

    [Theory]
    [InlineData("hello", SlashKind.Text, "hello")]
    [InlineData("//ping", SlashKind.Text, "/ping")]
    [InlineData("/ping", SlashKind.Ping, "")]
    [InlineData("/ping some data", SlashKind.Ping, "some data")]
    [InlineData("/file /tmp/x.bin", SlashKind.File, "/tmp/x.bin")]
    [InlineData("/help", SlashKind.Help, "")]
    public void SlashCommand_Parses(string line, SlashKind kind, string argument)
    {
        var command = SlashCommand.Parse(line);

        Assert.Equal(kind, command.Kind);
        Assert.Equal(argument, command.Argument);
    }

    [Fact]
    public void SlashCommand_CloseAndBinary()
    {
        var close = SlashCommand.Parse("/close 4000 bye now");
        Assert.Equal((SlashKind.Close, 4000, "bye now"), (close.Kind, close.Code, close.Argument));
        Assert.Equal(1000, SlashCommand.Parse("/close").Code);
        Assert.Equal(SlashKind.Invalid, SlashCommand.Parse("/close 1006").Kind);
        Assert.Equal(SlashKind.Invalid, SlashCommand.Parse("/close abc").Kind);
        Assert.Equal(new byte[] { 1, 2, 0xff }, SlashCommand.Parse("/binary 01 02 ff").Bytes);
        Assert.Equal(SlashKind.Invalid, SlashCommand.Parse("/binary 0g").Kind);
        Assert.Equal(SlashKind.Invalid, SlashCommand.Parse("/nope").Kind);
    }

    [Fact]
    public void SlashCommand_ErrorsAndHelp_InBothLanguages()
    {
        var unknown = SlashCommand.Parse("/nope");
        Assert.Equal(unknown.Error, unknown.ErrorText!.En);
        Assert.StartsWith("unknown command /nope", unknown.Error, StringComparison.Ordinal);
        Assert.StartsWith("未知命令 /nope", unknown.ErrorText.Zh, StringComparison.Ordinal);
        Assert.StartsWith("关闭原因最多 123 字节", SlashCommand.Parse("/close 1000 " + new string('x', 124)).ErrorText!.Zh, StringComparison.Ordinal);
        Assert.Equal(SlashCommand.Help, SlashCommand.HelpText.Select(t => t.En));
        // Each Chinese help line keeps its command as typed and explains it in Chinese.
        Assert.All(SlashCommand.HelpText.Skip(1), t => Assert.Equal(t.En.Split(' ')[0], t.Zh.Split(' ')[0]));
        Assert.All(SlashCommand.HelpText, t => Assert.Matches(Wsdoctor.TestPeers.EnglishProse.Cjk(), t.Zh));
    }
}
