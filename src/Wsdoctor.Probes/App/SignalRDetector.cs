using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>ASP.NET Core SignalR: the hub's negotiate endpoint (<c>POST HUB/negotiate?negotiateVersion=1</c> answering
/// connectionId and availableTransports), or 0x1E-terminated JSON on the connection.</summary>
internal sealed class SignalRDetector : IAppDetector
{
    public string Name => "SignalR";

    public bool Hinted(AppSignals s) =>
        s.Path.Split('/').Any(segment => segment.Contains("hub", StringComparison.OrdinalIgnoreCase) || segment.Equals("signalr", StringComparison.OrdinalIgnoreCase))
        || s.Path.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase)
        || HubMessage(s) is not null;

    public async Task<Finding?> ConfirmAsync(AppSignals s, AppProbes probes, bool followUps)
    {
        var hubPath = HubPath(s.Path);
        var evidence = new List<Text>();
        var data = new Dictionary<string, object?> { ["protocol"] = "signalr", ["hubUrl"] = null, ["transports"] = null };
        string? confirmedBy = null;
        if (HubMessage(s) is { } message)
        {
            var preview = AppSignals.Preview(message.Replace(SignalRHub.RecordSeparator.ToString(), "\\x1e", StringComparison.Ordinal));
            evidence.Add(T($"the server sent 0x1E-terminated JSON, SignalR's hub protocol framing: {preview}", $"服务端发送了以 0x1E 结尾的 JSON，这正是 SignalR hub 协议的分帧方式：{preview}"));
            confirmedBy = "hub-message";
        }

        if (followUps)
        {
            var request = $"{hubPath.TrimEnd('/')}/negotiate?negotiateVersion=1";
            var answer = await probes.HttpAsync("POST", request).ConfigureAwait(false);
            if (answer is { Status: 200 } && Negotiate(answer.Body) is { } negotiated)
            {
                evidence.Add(answer.Describe(Verbatim($"POST {request}")) + T(" (SignalR's negotiate)", "（SignalR 的 negotiate）"));
                data["transports"] = negotiated.Transports;
                if (negotiated.RedirectUrl is { } redirect)
                {
                    var to = Protocol.Secrets.SecretRedactor.RedactUrl(redirect);
                    evidence.Add(T($"negotiate redirects to {to} with an access token: Azure SignalR Service, reachable only through a SignalR client", $"negotiate 带着访问令牌重定向到 {to}：这是 Azure SignalR Service，只能通过 SignalR 客户端访问"));
                }
                else if (!negotiated.Transports.Contains("WebSockets"))
                {
                    var transports = string.Join(", ", negotiated.Transports);
                    evidence.Add(T($"the hub offers {transports}, not WebSockets", $"该 hub 提供的传输方式是 {transports}，不包括 WebSockets"));
                }

                confirmedBy ??= "negotiate";
            }
        }

        if (confirmedBy is null)
        {
            return null;
        }

        evidence.Insert(0, s.DescribeAnswer());
        if (s.DescribeEnd() is { } end)
        {
            evidence.Add(end);
        }
        else if (!s.HttpFailed)
        {
            evidence.Add(T("a hub waits for the handshake {\"protocol\":\"json\",\"version\":1} + 0x1E and closes after its HandshakeTimeout (15 s) without it",
                "hub 会等待握手消息 {\"protocol\":\"json\",\"version\":1} + 0x1E，收不到就在 HandshakeTimeout（15 s）后关闭连接"));
        }

        var hubUrl = AppFindings.HttpOrigin(s) + hubPath;
        data["hubUrl"] = hubUrl;
        data["confirmedBy"] = confirmedBy;
        var explains = s.Failed;
        var text = s.Path.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase)
            ? T($"this is the negotiate endpoint of the SignalR hub {hubPath}, not a WebSocket URL", $"这是 SignalR hub {hubPath} 的 negotiate 端点，不是 WebSocket URL")
            : explains ? T($"{hubPath} is an ASP.NET Core SignalR hub: a plain WebSocket client cannot talk to it", $"{hubPath} 是一个 ASP.NET Core SignalR hub：普通的 WebSocket 客户端无法与它通信")
            : T($"{hubPath} is an ASP.NET Core SignalR hub: it answers only after the SignalR handshake", $"{hubPath} 是一个 ASP.NET Core SignalR hub：只有完成 SignalR 握手后它才会响应");
        var rawUrl = AppFindings.Url(s, hubPath);
        var fix = T($"Use @microsoft/signalr: new HubConnectionBuilder().withUrl(\"{hubUrl}\").build(), then connection.start() and connection.invoke(\"Method\", ...). A raw WebSocket client must open {rawUrl} and send {{\"protocol\":\"json\",\"version\":1}} + 0x1E first (wsdoctor connect --protocol signalr does).",
            $"使用 @microsoft/signalr：new HubConnectionBuilder().withUrl(\"{hubUrl}\").build()，然后调用 connection.start() 和 connection.invoke(\"Method\", ...)。原生 WebSocket 客户端必须打开 {rawUrl}，并先发送 {{\"protocol\":\"json\",\"version\":1}} + 0x1E（wsdoctor connect --protocol signalr 就是这样做的）。");
        return Finding.Create(Codes.AppSignalR, text, evidence, fix, data, AppFindings.SeverityFor(explains || s.Path.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase), clientRight: false));
    }

    private static string? HubMessage(AppSignals s) => s.TextMessages.FirstOrDefault(SignalRHub.LooksLikeHubMessage);

    public static string HubPath(string path) =>
        path.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase) ? path[..^"/negotiate".Length] is { Length: > 0 } p ? p : "/" : path;

    private static (IReadOnlyList<string> Transports, string? RedirectUrl)? Negotiate(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String && root.TryGetProperty("accessToken", out _))
            {
                return ([], url.GetString());
            }

            if (!(root.TryGetProperty("connectionId", out _) || root.TryGetProperty("connectionToken", out _))
                || !root.TryGetProperty("availableTransports", out var transports) || transports.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return (transports.EnumerateArray()
                .Select(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("transport", out var name) ? name.GetString() : null)
                .OfType<string>().ToArray(), null);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
