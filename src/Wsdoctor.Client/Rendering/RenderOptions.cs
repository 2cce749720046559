namespace Wsdoctor.Client.Rendering;

public sealed record RenderOptions
{
    /// <summary>-P: show every ping and pong, not only the pongs that answer our own pings.</summary>
    public bool ShowPingPong { get; init; }

    /// <summary>--pretty: indent JSON messages.</summary>
    public bool Pretty { get; init; }

    public bool ShowSecrets { get; init; }

    /// <summary>The language of the human lines (<see cref="Findings.UiLanguage"/>).</summary>
    public string Language { get; init; } = Findings.UiLanguage.English;
}
