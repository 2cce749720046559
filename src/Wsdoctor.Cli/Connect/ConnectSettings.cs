using Wsdoctor.Client.AppProtocols;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Reconnect;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli.Connect;

/// <summary>Everything `wsdoctor connect` was told, parsed and checked.</summary>
public sealed record ConnectSettings
{
    public required OpenOptions Open { get; init; }
    public required SessionOptions Session { get; init; }
    public required RenderOptions Render { get; init; }

    /// <summary>stdin is a terminal: line editor and prompt instead of pipe mode.</summary>
    public bool Interactive { get; init; }

    public bool Jsonl { get; init; }
    public bool Binary { get; init; }
    public bool NullTerminated { get; init; }
    public bool ExitOnEof { get; init; }
    public IReadOnlyList<string> Execute { get; init; } = [];
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>--exit-on-eof -w: how long to keep listening after stdin ends. Many servers (Python websockets,
    /// for one) drop replies still in flight once our close frame arrives, so a script may want them first.</summary>
    public TimeSpan EofWait { get; init; }
    public int? MaxMessages { get; init; }

    /// <summary>Null without --reconnect.</summary>
    public BackoffPolicy? Reconnect { get; init; }

    /// <summary>--protocol (or what the URL and subprotocol name): the application protocol spoken; null: raw messages.</summary>
    public AppProtocolOptions? App { get; init; }

    /// <summary>--query or --topic with -w and no -x: subscribe, listen for -w, then close.</summary>
    public bool ListenOnly { get; init; }

    /// <summary>Why <see cref="App"/> was chosen without --protocol (null when the user named it).</summary>
    public Text? AppDetectedBecause { get; init; }

    public char Terminator => NullTerminated ? '\0' : '\n';
}
