using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;

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
        var evidence = new List<string>();
        var data = new Dictionary<string, object?> { ["protocol"] = "signalr", ["hubUrl"] = null, ["transports"] = null };
        string? confirmedBy = null;
        if (HubMessage(s) is { } message)
        {
            evidence.Add($"the server sent 0x1E-terminated JSON, SignalR's hub protocol framing: {AppSignals.Preview(message.Replace(SignalRHub.RecordSeparator.ToString(), "\\x1e", StringComparison.Ordinal))}");
            confirmedBy = "hub-message";
        }

        if (followUps)
        {
            var request = $"{hubPath.TrimEnd('/')}/negotiate?negotiateVersion=1";
            var answer = await probes.HttpAsync("POST", request).ConfigureAwait(false);
            if (answer is { Status: 200 } && Negotiate(answer.Body) is { } negotiated)
            {
                evidence.Add(answer.Describe($"POST {request}") + " (SignalR's negotiate)");
                data["transports"] = negotiated.Transports;
                if (negotiated.RedirectUrl is { } redirect)
                {
                    evidence.Add($"negotiate redirects to {Protocol.Secrets.SecretRedactor.RedactUrl(redirect)} with an access token: Azure SignalR Service, reachable only through a SignalR client");
                }
                else if (!negotiated.Transports.Contains("WebSockets"))
                {
                    evidence.Add($"the hub offers {string.Join(", ", negotiated.Transports)}, not WebSockets");
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
            evidence.Add("a hub waits for the handshake {\"protocol\":\"json\",\"version\":1} + 0x1E and closes after its HandshakeTimeout (15 s) without it");
        }

        var hubUrl = AppFindings.HttpOrigin(s) + hubPath;
        data["hubUrl"] = hubUrl;
        data["confirmedBy"] = confirmedBy;
        var explains = s.Failed;
        var text = s.Path.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase)
            ? $"this is the negotiate endpoint of the SignalR hub {hubPath}, not a WebSocket URL"
            : explains ? $"{hubPath} is an ASP.NET Core SignalR hub: a plain WebSocket client cannot talk to it"
            : $"{hubPath} is an ASP.NET Core SignalR hub: it answers only after the SignalR handshake";
        var fix = $"Use @microsoft/signalr: new HubConnectionBuilder().withUrl(\"{hubUrl}\").build(), then connection.start() and connection.invoke(\"Method\", ...). A raw WebSocket client must open {AppFindings.Url(s, hubPath)} and send {{\"protocol\":\"json\",\"version\":1}} + 0x1E first (wsdoctor connect --protocol signalr does).";
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
