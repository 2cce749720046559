using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Wsdoctor.Client.Interactive;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;
using static Wsdoctor.Findings.Text;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli.Connect;

/// <summary>Interactive mode (wscat-like): a prompt with line editing at the bottom, and every event printed above
/// it with a timestamp by erasing the prompt line, writing the event, and redrawing the prompt as it was.</summary>
public sealed class TerminalView(ConnectSettings settings, TextWriter terminal) : IConnectView
{
    private const string Prompt = "> ";
    private readonly Lock _lock = new();
    private readonly LineEditor _editor = new();
    private bool _promptShown;

    public void Status(IReadOnlyList<string> lines) => Print(DateTimeOffset.UtcNow, lines);

    public void Event(SessionEvent e)
    {
        if (e is CloseEvent c && c.Direction == Client.Tap.TapDirection.In)
        {
            return;
        }

        if (EventText.Lines(e, settings.Render) is { } lines)
        {
            Print(e.At, lines);
        }
    }

    public void Diagnosis(Text failure, CheckReport report)
    {
        lock (_lock)
        {
            ClearPrompt();
            DiagnosisText.Render(failure, report, terminal, ConsoleFactory.ColourWanted(Console.IsOutputRedirected));
        }
    }

    /// <summary>Reads keys on a dedicated thread (Console.ReadKey blocks) until Enter, Ctrl-D or Ctrl-C turn into
    /// input items. Slash commands are parsed here so a typo is answered at once without touching the socket.</summary>
    public void StartKeyboard(ChannelWriter<InputItem> output, CancellationToken ct)
    {
        Console.TreatControlCAsInput = true;
        lock (_lock)
        {
            _promptShown = true;
            terminal.Write(_editor.Render(Prompt));
            terminal.Flush();
        }

        var thread = new Thread(() => ReadKeys(output, ct)) { IsBackground = true, Name = "wsdoctor-keyboard" };
        thread.Start();
    }

    private void ReadKeys(ChannelWriter<InputItem> output, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var key = Console.ReadKey(intercept: true);
            InputItem? item = null;
            lock (_lock)
            {
                var result = _editor.Apply(key);
                switch (result.Outcome)
                {
                    case EditOutcome.Submit:
                        item = ToItem(result.Line!);
                        break;
                    case EditOutcome.EndOfInput:
                        item = new InputItem.EndOfInput();
                        break;
                    case EditOutcome.Interrupt:
                        item = new InputItem.Quit();
                        break;
                }

                terminal.Write(_editor.Render(Prompt));
                terminal.Flush();
            }

            if (item is not null)
            {
                output.TryWrite(item);
                if (item is InputItem.EndOfInput or InputItem.Quit)
                {
                    return;
                }
            }
        }
    }

    private InputItem? ToItem(string line)
    {
        var command = SlashCommand.Parse(line);
        switch (command.Kind)
        {
            case SlashKind.Text:
                return new InputItem.Send(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(command.Argument));
            case SlashKind.Binary:
                return new InputItem.Send(WebSocketMessageType.Binary, command.Bytes!);
            case SlashKind.Ping:
                return new InputItem.Ping(Encoding.UTF8.GetBytes(command.Argument));
            case SlashKind.Close:
                return new InputItem.Close(command.Code!.Value, command.Argument);
            case SlashKind.File:
                try
                {
                    return new InputItem.Send(WebSocketMessageType.Binary, File.ReadAllBytes(command.Argument));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    PrintLocked([T($"! cannot read {command.Argument}: {ex.Message}", $"! 无法读取 {command.Argument}：{ex.Message}").In(settings.Render.Language)]);
                    return null;
                }

            case SlashKind.Help:
                PrintLocked([.. SlashCommand.HelpText.Select(t => t.In(settings.Render.Language))]);
                return null;
            default:
                PrintLocked([$"! {command.ErrorText?.In(settings.Render.Language) ?? command.Error}"]);
                return null;
        }
    }

    private void Print(DateTimeOffset at, IReadOnlyList<string> lines)
    {
        lock (_lock)
        {
            ClearPrompt();
            var stamp = EventText.Timestamp(at);
            foreach (var line in lines)
            {
                terminal.Write($"{stamp} {line}\r\n");
            }

            if (_promptShown)
            {
                terminal.Write(_editor.Render(Prompt));
            }

            terminal.Flush();
        }
    }

    // Caller holds _lock.
    private void PrintLocked(IReadOnlyList<string> lines)
    {
        ClearPrompt();
        var stamp = EventText.Timestamp(DateTimeOffset.UtcNow);
        foreach (var line in lines)
        {
            terminal.Write($"{stamp} {line}\r\n");
        }
    }

    private void ClearPrompt()
    {
        if (_promptShown)
        {
            terminal.Write("\r\u001b[2K");
        }
    }

    /// <summary>Leaves the terminal on a fresh line when the session is over.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            ClearPrompt();
            _promptShown = false;
            terminal.Flush();
        }
    }
}
