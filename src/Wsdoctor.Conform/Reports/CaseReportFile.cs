using System.Text.Json.Serialization;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Conform.Reports;

/// <summary>The per-case JSON file, with Autobahn's field names where Autobahn has the field (agent, id,
/// behavior, behaviorClose, duration, remoteCloseCode, wasClean, wirelog…) and wsdoctor's additions (rule,
/// peerViolation). A wire log entry is [milliseconds, "tx"|"rx"|"--", text].</summary>
public sealed record CaseReportFile
{
    [JsonPropertyName("agent")] public required string Agent { get; init; }

    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("description")] public string Description { get; init; } = "";

    [JsonPropertyName("expectation")] public string Expectation { get; init; } = "";

    [JsonPropertyName("rule")] public string Rule { get; init; } = "";

    [JsonPropertyName("isServer")] public bool IsServer { get; init; }

    [JsonPropertyName("behavior")] public required string Behavior { get; init; }

    [JsonPropertyName("behaviorClose")] public required string BehaviorClose { get; init; }

    [JsonPropertyName("result")] public string Result { get; init; } = "";

    [JsonPropertyName("resultClose")] public string ResultClose { get; init; } = "";

    [JsonPropertyName("duration")] public long Duration { get; init; }

    [JsonPropertyName("remoteCloseCode")] public int? RemoteCloseCode { get; init; }

    [JsonPropertyName("remoteCloseReason")] public string? RemoteCloseReason { get; init; }

    [JsonPropertyName("localCloseCode")] public int? LocalCloseCode { get; init; }

    [JsonPropertyName("wasClean")] public bool WasClean { get; init; }

    [JsonPropertyName("closedByMe")] public bool? ClosedByMe { get; init; }

    [JsonPropertyName("droppedByMe")] public bool DroppedByMe { get; init; }

    [JsonPropertyName("expected")] public IReadOnlyDictionary<string, IReadOnlyList<string>> Expected { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    [JsonPropertyName("expectedClose")] public string ExpectedClose { get; init; } = "";

    [JsonPropertyName("received")] public IReadOnlyList<string> Received { get; init; } = [];

    [JsonPropertyName("httpRequest")] public string? HttpRequest { get; init; }

    [JsonPropertyName("httpResponse")] public string? HttpResponse { get; init; }

    [JsonPropertyName("peerViolation")] public string? PeerViolation { get; init; }

    [JsonPropertyName("wirelog")] public IReadOnlyList<object[]> WireLog { get; init; } = [];

    [JsonPropertyName("wirelogDropped")] public int WireLogDropped { get; init; }

    public static CaseReportFile From(CaseResult r, ConformCase? c, bool isServer) => new()
    {
        Agent = r.Agent,
        Id = r.Id,
        Description = c?.Description ?? "",
        Expectation = c?.Expectation ?? "",
        Rule = c?.Rule ?? "",
        IsServer = isServer,
        Behavior = r.Behavior,
        BehaviorClose = r.BehaviorClose,
        Result = r.Result,
        ResultClose = r.ResultClose,
        Duration = r.DurationMs,
        RemoteCloseCode = r.RemoteCloseCode,
        RemoteCloseReason = r.RemoteCloseReason,
        LocalCloseCode = r.LocalCloseCode,
        WasClean = r.WasClean,
        ClosedByMe = r.ClosedByMe,
        DroppedByMe = r.DroppedByMe,
        Expected = r.Expected,
        ExpectedClose = r.ExpectedCloseText,
        Received = r.Received,
        HttpRequest = r.HttpRequest,
        HttpResponse = r.HttpResponse,
        PeerViolation = r.PeerViolation,
        WireLog = [.. r.WireLog.Select(e => new object[] { e.AtMs, e.Direction, e.Text })],
        WireLogDropped = r.WireLogDropped,
    };

    public CaseResult ToResult() => new()
    {
        Id = Id,
        Agent = Agent,
        Behavior = Behavior,
        BehaviorClose = BehaviorClose,
        Result = Result,
        ResultClose = ResultClose,
        DurationMs = Duration,
        RemoteCloseCode = RemoteCloseCode,
        RemoteCloseReason = RemoteCloseReason,
        LocalCloseCode = LocalCloseCode,
        WasClean = WasClean,
        ClosedByMe = ClosedByMe,
        DroppedByMe = DroppedByMe,
        Expected = Expected,
        ExpectedCloseText = ExpectedClose,
        Received = Received,
        HttpRequest = HttpRequest,
        HttpResponse = HttpResponse,
        PeerViolation = PeerViolation,
        WireLog = [.. WireLog.Select(e => new WireEntry(
            e[0] is System.Text.Json.JsonElement ms ? ms.GetDouble() : Convert.ToDouble(e[0], System.Globalization.CultureInfo.InvariantCulture),
            e[1]?.ToString() ?? "", e[2]?.ToString() ?? ""))],
        WireLogDropped = WireLogDropped,
    };
}
