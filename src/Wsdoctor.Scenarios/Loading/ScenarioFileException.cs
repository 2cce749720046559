using Wsdoctor.Findings;
using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Model;

namespace Wsdoctor.Scenarios.Loading;

/// <summary>A scenario file that cannot be read or is not valid: the message starts with FILE:LINE:COLUMN, like a
/// compiler's. <see cref="Exception.Message"/> and <see cref="Reason"/> are English (logs, tests);
/// <see cref="Text"/> is the same line in every output language, the position the same in each.</summary>
public sealed class ScenarioFileException : Exception
{
    public ScenarioFileException(SourceMark mark, Text reason)
        : this(mark, reason, Whole(mark, reason))
    {
    }

    private ScenarioFileException(SourceMark mark, Text reason, Text whole)
        : base(whole.En)
    {
        Mark = mark;
        ReasonText = reason.Map(OneLine.Of);
        Text = whole;
    }

    public SourceMark Mark { get; }

    /// <summary>The reason alone, in English.</summary>
    public string Reason => ReasonText.En;

    /// <summary>The reason alone, in every language.</summary>
    public Text ReasonText { get; }

    /// <summary>The whole one-line message, <c>FILE:LINE:COL: reason</c>, in every language.</summary>
    public Text Text { get; }

    private static Text Whole(SourceMark mark, Text reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var position = mark.Line > 0 ? mark.ToString() : mark.File;
        return (Text.Verbatim($"{position}: ") + reason).Map(OneLine.Of);
    }
}
