using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Client.Rendering;

/// <summary>A close code as a developer needs it at that moment: the code's name, the reason text the peer sent,
/// and the catalogue's meaning, likely cause and fix (<see cref="CloseCodes.Describe"/>).</summary>
public static class CloseExplanation
{
    public static IReadOnlyList<string> Lines(string who, int? code, string reason)
    {
        var shown = code ?? 1005;
        var info = CloseCodes.Describe(code ?? 1005);
        var reasonText = reason.Length > 0 ? $" \"{reason}\"" : "";
        return
        [
            $"closed by {who}: {shown} {info.Name}{reasonText}",
            $"  meaning:      {info.Meaning}",
            $"  likely cause: {info.LikelyCause}",
            $"  fix:          {info.Fix}",
        ];
    }

    /// <summary>No Close frame at all: the case browsers report as 1006.</summary>
    public static IReadOnlyList<string> Dropped(string detail)
    {
        var info = CloseCodes.Describe(1006);
        return
        [
            $"connection lost: 1006 {info.Name} ({detail})",
            $"  meaning:      {info.Meaning}",
            $"  likely cause: {info.LikelyCause}",
            $"  fix:          {info.Fix}",
        ];
    }
}
