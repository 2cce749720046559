namespace Wsdoctor.Conform.Engine;

/// <summary>How the connection must end for a case (Autobahn's expectedClose): who starts the close, which codes
/// the peer may send, whether the closing handshake must complete.</summary>
/// <param name="WrongEndpointIsFatal">The UTF-8 cases: if we had to close, the peer never noticed the invalid text,
/// so the whole case fails, not only its close grade.</param>
public sealed record ExpectedClose(bool ClosedByMe, int[] Codes, bool RequireClean, bool WrongEndpointIsFatal = false)
{
    public static ExpectedClose Normal { get; } = new(true, [1000], true);

    public static ExpectedClose PeerFails(int code) => new(false, [code], false);

    public string Describe() =>
        $"{(ClosedByMe ? "the fuzzer closes" : "the peer fails the connection")}; close code {string.Join(" or ", Codes)}{(RequireClean ? "; clean closing handshake required" : "")}";
}

/// <summary>The outcome of one case on one connection: the grades, what was expected and seen, and the wire log.</summary>
public sealed record CaseResult
{
    public required string Id { get; init; }

    public required string Agent { get; init; }

    public required string Behavior { get; init; }

    public required string BehaviorClose { get; init; }

    /// <summary>One sentence on the main grade.</summary>
    public required string Result { get; init; }

    public required string ResultClose { get; init; }

    public required long DurationMs { get; init; }

    public int? RemoteCloseCode { get; init; }

    public string? RemoteCloseReason { get; init; }

    public int? LocalCloseCode { get; init; }

    public bool WasClean { get; init; }

    public bool? ClosedByMe { get; init; }

    public bool DroppedByMe { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Expected { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public string ExpectedCloseText { get; init; } = "";

    public IReadOnlyList<string> Received { get; init; } = [];

    public IReadOnlyList<WireEntry> WireLog { get; init; } = [];

    public int WireLogDropped { get; init; }

    public string? HttpRequest { get; init; }

    public string? HttpResponse { get; init; }

    /// <summary>The protocol violation the fuzzer saw from the peer, if any (the peer broke a rule).</summary>
    public string? PeerViolation { get; init; }

    public bool IsFailed => Behavior == Grades.Failed;
}
