using System.Text;

namespace Wsdoctor.Client.Interactive;

public enum EditOutcome
{
    /// <summary>The line changed (or not); redraw it.</summary>
    Continue,

    /// <summary>Enter: <see cref="EditResult.Line"/> holds the line.</summary>
    Submit,

    /// <summary>Ctrl-D on an empty line: the user is done.</summary>
    EndOfInput,

    /// <summary>Ctrl-C.</summary>
    Interrupt,
}

public readonly record struct EditResult(EditOutcome Outcome, string? Line = null);

/// <summary>The prompt's line editing as a pure state machine over key presses (no console access), so every
/// key can be unit-tested: insert, backspace, delete, left/right, home/end (also Ctrl-A/Ctrl-E), Ctrl-U/Ctrl-K,
/// history up/down with the unfinished line kept as a draft, Ctrl-C and Ctrl-D.</summary>
public sealed class LineEditor(int maxHistory = 500)
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _history = [];
    private int _historyIndex;
    private string _draft = "";

    public string Text => _text.ToString();

    /// <summary>Position of the cursor in <see cref="Text"/>, 0..Length.</summary>
    public int Cursor { get; private set; }

    public IReadOnlyList<string> History => _history;

    public EditResult Apply(ConsoleKeyInfo key)
    {
        var ctrl = (key.Modifiers & ConsoleModifiers.Control) != 0;
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Submit();
            case ConsoleKey.C when ctrl:
                return new EditResult(EditOutcome.Interrupt);
            case ConsoleKey.D when ctrl:
                if (_text.Length == 0)
                {
                    return new EditResult(EditOutcome.EndOfInput);
                }

                DeleteAtCursor();
                break;
            case ConsoleKey.Backspace:
                if (Cursor > 0)
                {
                    _text.Remove(--Cursor, 1);
                }

                break;
            case ConsoleKey.Delete:
                DeleteAtCursor();
                break;
            case ConsoleKey.LeftArrow or ConsoleKey.B when key.Key == ConsoleKey.LeftArrow || ctrl:
                Cursor = Math.Max(0, Cursor - 1);
                break;
            case ConsoleKey.RightArrow or ConsoleKey.F when key.Key == ConsoleKey.RightArrow || ctrl:
                Cursor = Math.Min(_text.Length, Cursor + 1);
                break;
            case ConsoleKey.Home or ConsoleKey.A when key.Key == ConsoleKey.Home || ctrl:
                Cursor = 0;
                break;
            case ConsoleKey.End or ConsoleKey.E when key.Key == ConsoleKey.End || ctrl:
                Cursor = _text.Length;
                break;
            case ConsoleKey.U when ctrl:
                _text.Remove(0, Cursor);
                Cursor = 0;
                break;
            case ConsoleKey.K when ctrl:
                _text.Remove(Cursor, _text.Length - Cursor);
                break;
            case ConsoleKey.UpArrow or ConsoleKey.P when key.Key == ConsoleKey.UpArrow || ctrl:
                Recall(-1);
                break;
            case ConsoleKey.DownArrow or ConsoleKey.N when key.Key == ConsoleKey.DownArrow || ctrl:
                Recall(+1);
                break;
            default:
                if (!ctrl && key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
                {
                    _text.Insert(Cursor++, key.KeyChar);
                }

                break;
        }

        return new EditResult(EditOutcome.Continue);
    }

    /// <summary>ANSI text that redraws the prompt line in place: carriage return, erase line, prompt and text,
    /// then the cursor moved back to its position.</summary>
    public string Render(string prompt)
    {
        var back = _text.Length - Cursor;
        return $"\r\u001b[2K{prompt}{_text}{(back > 0 ? $"\u001b[{back}D" : "")}";
    }

    private EditResult Submit()
    {
        var line = _text.ToString();
        if (line.Length > 0 && (_history.Count == 0 || _history[^1] != line))
        {
            _history.Add(line);
            if (_history.Count > maxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        _text.Clear();
        Cursor = 0;
        _historyIndex = _history.Count;
        _draft = "";
        return new EditResult(EditOutcome.Submit, line);
    }

    private void DeleteAtCursor()
    {
        if (Cursor < _text.Length)
        {
            _text.Remove(Cursor, 1);
        }
    }

    private void Recall(int step)
    {
        var next = _historyIndex + step;
        if (next < 0 || next > _history.Count)
        {
            return;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = _text.ToString();
        }

        _historyIndex = next;
        _text.Clear().Append(next == _history.Count ? _draft : _history[next]);
        Cursor = _text.Length;
    }
}
