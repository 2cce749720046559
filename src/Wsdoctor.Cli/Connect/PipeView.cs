using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli.Connect;

/// <summary>Pipe mode (websocat-like): each received data message is one record on stdout; everything about the
/// connection (connected, close explanation, pongs) goes to stderr, so `| jq` or `| while read` see data only.
/// With --jsonl stdout carries one JSON object per event instead.</summary>
public sealed class PipeView(ConnectSettings settings, Stream stdout, TextWriter stderr) : IConnectView
{
    private readonly Lock _lock = new();

    public void Status(IReadOnlyList<string> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines)
            {
                stderr.WriteLine(line);
            }

            stderr.Flush();
        }
    }

    public void Event(SessionEvent e)
    {
        if (settings.Jsonl && Shown(e) && JsonlRecord.Render(e) is { } record)
        {
            WriteStdout(Encoding.UTF8.GetBytes(record + "\n"));
            return;
        }

        if (e is AppMessageEvent a)
        {
            if (a.Direction == TapDirection.In && !a.Housekeeping)
            {
                WriteStdout([.. Encoding.UTF8.GetBytes(a.Text), (byte)settings.Terminator]);
            }

            return;
        }

        if (e is MessageEvent m)
        {
            if (m.Direction == TapDirection.In)
            {
                var body = settings.Binary && m.Type == WebSocketMessageType.Binary ? m.Data : Encoding.UTF8.GetBytes(EventText.PipeLine(m, settings.Render));
                WriteStdout([.. body, (byte)settings.Terminator]);
            }

            return;
        }

        if (e is CloseEvent)
        {
            // The close explanation is printed once the session ends, with the code the session settled on.
            return;
        }

        if (EventText.Lines(e, settings.Render) is { } lines)
        {
            Status(lines);
        }
    }

    public void Diagnosis(Text failure, CheckReport report)
    {
        lock (_lock)
        {
            DiagnosisText.Render(failure, report, stderr, colour: false);
        }
    }

    /// <summary>In --jsonl every data message and close is a record; pings and pongs with -P, or when they answer ours.</summary>
    private bool Shown(SessionEvent e) => e switch
    {
        MessageEvent or CloseEvent => true,
        AppMessageEvent a => !a.Housekeeping || settings.Render.ShowPingPong,
        ControlEvent c => settings.Render.ShowPingPong || c.RttMs is not null,
        _ => false,
    };

    private void WriteStdout(byte[] bytes)
    {
        lock (_lock)
        {
            stdout.Write(bytes);
            stdout.Flush();
        }
    }
}
