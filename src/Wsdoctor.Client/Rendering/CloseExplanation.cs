using Wsdoctor.Findings;
using Wsdoctor.Probes.Session;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Client.Rendering;

/// <summary>A close code as a developer needs it at that moment: the code's name, the reason text the peer sent,
/// and the catalogue's meaning, likely cause and fix (<see cref="CloseCodes.Describe"/>), in both output languages.</summary>
public static class CloseExplanation
{
    /// <summary>Who closes in the lines of a client: the server.</summary>
    public static readonly Text Server = T("the server", "服务端");

    /// <summary>A Close frame from <paramref name="who"/> (for example <see cref="Server"/>).</summary>
    public static IReadOnlyList<Text> Lines(Text who, int? code, string reason)
    {
        ArgumentNullException.ThrowIfNull(who);
        var shown = code ?? 1005;
        var info = CloseCodes.Describe(shown);
        var reasonText = reason.Length > 0 ? $" \"{reason}\"" : "";
        return
        [
            T($"closed by {who.En}: {shown} {info.Name}{reasonText}", $"{who}关闭了连接：{shown} {info.Name}{reasonText}"),
            .. Explanation(info),
        ];
    }

    /// <summary>No Close frame at all: the case browsers report as 1006.</summary>
    public static IReadOnlyList<Text> Dropped(string detail)
    {
        var info = CloseCodes.Describe(1006);
        return
        [
            T($"connection lost: 1006 {info.Name} ({detail})", $"连接中断：1006 {info.Name}（{detail}）"),
            .. Explanation(info),
        ];
    }

    private static Text[] Explanation(CloseCodeInfo info) =>
    [
        T($"  meaning:      {SessionTexts.Meaning(info).En}", $"  含义：    {SessionTexts.Meaning(info)}"),
        T($"  likely cause: {SessionTexts.LikelyCause(info).En}", $"  可能原因：{SessionTexts.LikelyCause(info)}"),
        T($"  fix:          {SessionTexts.Fix(info).En}", $"  修复：    {SessionTexts.Fix(info)}"),
    ];
}
