using System.Text.Json.Nodes;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>Everything one scripted client run printed, with the lookups the tests need. ToString() is the whole
/// transcript, so a failed assertion shows what the peer saw.</summary>
public sealed record PeerRun(int ExitCode, IReadOnlyList<JsonObject> Events, string Transcript)
{
    public IEnumerable<JsonObject> All(string name) => Events.Where(e => (string?)e["event"] == name);

    public JsonObject? Find(string name) => All(name).FirstOrDefault();

    public JsonObject Single(string name)
    {
        var found = All(name).ToList();
        Assert.True(found.Count == 1, $"expected exactly one '{name}' event, saw {found.Count}\n{this}");
        return found[0];
    }

    public bool Opened => Find("open") is not null;

    /// <summary>The HTTP status of a refused handshake (Node: 'unexpected-response'; Python: InvalidStatusCode).</summary>
    public int? RejectedStatus => (int?)Find("unexpected-response")?["status"];

    public (int Code, string Reason) Closed
    {
        get
        {
            var close = Single("close");
            return ((int)close["code"]!, (string?)close["reason"] ?? "");
        }
    }

    public IReadOnlyList<(string Kind, long Length, string Sha256, string? Text)> Messages(string name = "message") =>
        All(name).Select(e => ((string)e["kind"]!, (long)e["length"]!, (string)e["sha256"]!, (string?)e["text"])).ToList();

    public override string ToString() => Transcript;
}
