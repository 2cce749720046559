using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Session;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>Everything the earlier layers saw that may name an application protocol: the URL, the subprotocols offered
/// and selected, the answer to the upgrade, and the session's messages and close. Read without any I/O.</summary>
internal sealed record AppSignals
{
    public required TargetUrl Target { get; init; }
    public required IReadOnlyList<string> Offered { get; init; }
    public string? Selected { get; init; }
    public ExchangeResult? Answer { get; init; }
    public SessionTranscript? Session { get; init; }

    /// <summary>The http layer failed (anything but a valid 101).</summary>
    public bool HttpFailed { get; init; }

    /// <summary>The ws layer refused the 101 (a subprotocol not selected, a bad accept).</summary>
    public bool WsFailed { get; init; }

    /// <summary>The session layer has an error finding (closed, dropped, no reply).</summary>
    public bool SessionFailed { get; init; }

    public string Path => Target.Uri.AbsolutePath;

    public string Query => Target.Uri.Query;

    public int? Status => Answer?.Head?.StatusCode;

    public string Body => Answer is { Body.Length: > 0 } a ? Encoding.UTF8.GetString(a.Body) : "";

    /// <summary>The server closed the connection without answering the upgrade at all.</summary>
    public bool ClosedWithoutAnswer => Answer is { Outcome: ExchangeOutcome.Closed, BytesReceived: 0 };

    public bool Failed => HttpFailed || WsFailed || SessionFailed;

    public IEnumerable<string> TextMessages =>
        (Session?.Messages ?? []).Where(m => m.Opcode == Opcode.Text).Select(m => Encoding.UTF8.GetString(m.Payload));

    public bool PathHas(string part) => Path.Contains(part, StringComparison.OrdinalIgnoreCase);

    public bool Negotiated(string subprotocol) =>
        Offered.Contains(subprotocol, StringComparer.OrdinalIgnoreCase) || string.Equals(Selected, subprotocol, StringComparison.OrdinalIgnoreCase);

    /// <summary>The upgrade's answer in one line, for evidence.</summary>
    public Text DescribeAnswer()
    {
        var path = Target.PathAndQuery;
        if (Answer?.Head is { } head)
        {
            var snippet = head.StatusCode == 101 ? "" : HttpProbe.BodySnippet(Answer.Body);
            var body = head.StatusCode == 101 ? Text.Empty : T($", body: {snippet}", $"，响应体：{snippet}");
            return T($"the upgrade to {path} was answered {head.StatusCode} {head.Reason}{body}", $"对 {path} 的升级请求收到 {head.StatusCode} {head.Reason}{body}").Map(t => t.TrimEnd());
        }

        return ClosedWithoutAnswer
            ? T($"the upgrade to {path}: the server closed the connection without answering", $"对 {path} 的升级请求：服务端没有响应就关闭了连接")
            : T($"the upgrade to {path} got no valid answer", $"对 {path} 的升级请求没有收到有效响应");
    }

    /// <summary>How the session ended, for evidence; null when it did not end.</summary>
    public Text? DescribeEnd()
    {
        if (Session is not { } s || !s.Ended)
        {
            return null;
        }

        Text end;
        if (s.Close is { } close)
        {
            var reason = close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "";
            end = close.Code is { } code
                ? T($"the server closed with {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}{reason}", $"服务端以 {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}{reason} 关闭了连接")
                : T($"the server closed with an empty Close frame{reason}", $"服务端以空的 Close 帧{reason}关闭了连接");
        }
        else
        {
            end = T("the server dropped the connection without a Close frame", "服务端没发 Close 帧就断开了连接");
        }

        if (!s.EndedAfterSend)
        {
            return end;
        }

        var sent = Preview(s.Sent!);
        return T($"{end} right after our message \"{sent}\"", $"我们刚发出消息 \"{sent}\"，{end}");
    }

    public static string Preview(string text) => text.Length <= 60 ? text : text[..60] + "…";

    public static AppSignals From(DiagnosisContext ctx) => new()
    {
        Target = ctx.Target,
        Offered = UpgradeRequestSpec.OfferedSubprotocols(ctx.Options),
        Selected = ctx.Facts.Subprotocol,
        Answer = ctx.UpgradeAnswer,
        Session = ctx.Transcript,
        HttpFailed = ctx.UpgradeAnswer?.Head?.StatusCode is not 101,
        WsFailed = ctx.HasError(Layer.Ws),
        SessionFailed = ctx.HasError(Layer.Session),
    };
}
