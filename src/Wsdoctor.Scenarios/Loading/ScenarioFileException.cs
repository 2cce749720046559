using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Model;

namespace Wsdoctor.Scenarios.Loading;

/// <summary>A scenario file that cannot be read or is not valid: the message starts with FILE:LINE:COLUMN, like a
/// compiler's.</summary>
public sealed class ScenarioFileException : Exception
{
    public ScenarioFileException(SourceMark mark, string reason)
        : base(OneLine.Of(mark.Line > 0 ? $"{mark}: {reason}" : $"{mark.File}: {reason}"))
    {
        Mark = mark;
        Reason = OneLine.Of(reason);
    }

    public SourceMark Mark { get; }

    public string Reason { get; }
}
