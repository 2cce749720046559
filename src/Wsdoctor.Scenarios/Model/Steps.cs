using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;

namespace Wsdoctor.Scenarios.Model;

/// <summary>One step of a scenario. <see cref="Label"/> is the step's <c>name:</c> or a description made from
/// what it does; it names the step in reports and in bench's per-step latency.</summary>
public abstract record Step(SourceMark Mark, string Label)
{
    /// <summary>The action keyword as written in the file (send, expect, ...).</summary>
    public abstract string Kind { get; }
}

/// <summary>What <c>send:</c> puts on the wire.</summary>
public abstract record Payload;

public sealed record TextPayload(Template Text) : Payload;

/// <summary>A JSON document whose string values (and keys) may hold templates.</summary>
public sealed record JsonPayload(JsonNode? Document) : Payload;

public sealed record BinaryPayload(byte[] Data) : Payload;

public sealed record SendStep(SourceMark Mark, string Label, Payload Payload) : Step(Mark, Label)
{
    public override string Kind => "send";
}

/// <summary>The next data message must match (or, with <see cref="IgnoreOthers"/>, some message within the
/// timeout). <see cref="Captures"/> take values from the matching message.</summary>
public sealed record ExpectStep(SourceMark Mark, string Label, MessageMatch Match, TimeSpan Timeout, bool IgnoreOthers, IReadOnlyList<Capture> Captures) : Step(Mark, Label)
{
    public override string Kind => "expect";
}

/// <summary>Takes values from the last message received.</summary>
public sealed record CaptureStep(SourceMark Mark, string Label, IReadOnlyList<Capture> Captures) : Step(Mark, Label)
{
    public override string Kind => "capture";
}

/// <summary>A variable taken from a message: a JSON path's value, or a regular expression's first group (the whole
/// match when it has none).</summary>
public sealed record Capture(string Variable, SourceMark Mark, JsonPath? Path, Regex? Pattern);

public sealed record PingStep(SourceMark Mark, string Label, byte[] Payload) : Step(Mark, Label)
{
    public override string Kind => "ping";
}

/// <summary>A pong must arrive (answering our last ping, when there was one) within the timeout.</summary>
public sealed record ExpectPongStep(SourceMark Mark, string Label, TimeSpan Timeout) : Step(Mark, Label)
{
    public override string Kind => "expect-pong";
}

/// <summary>The server must ping us within the timeout: its heartbeat works.</summary>
public sealed record ExpectPingStep(SourceMark Mark, string Label, TimeSpan Timeout) : Step(Mark, Label)
{
    public override string Kind => "expect-ping";
}

public sealed record WaitStep(SourceMark Mark, string Label, TimeSpan Duration) : Step(Mark, Label)
{
    public override string Kind => "wait";
}

/// <summary>Starts the closing handshake and waits (bounded) for the server's Close.</summary>
public sealed record CloseStep(SourceMark Mark, string Label, int Code, string Reason, TimeSpan Timeout) : Step(Mark, Label)
{
    public override string Kind => "close";
}

/// <summary>The server must close the connection, with this code and reason when given.</summary>
public sealed record ExpectCloseStep(SourceMark Mark, string Label, int? Code, string? Reason, Regex? ReasonPattern, TimeSpan Timeout) : Step(Mark, Label)
{
    public override string Kind => "expect-close";
}

/// <summary><c>repeat: N</c> (a count) or <c>loop: {for: 30s, every: 1s}</c> (a duration, optionally paced, still
/// bounded by <see cref="MaxIterations"/>).</summary>
public sealed record RepeatStep(SourceMark Mark, string Label, int? Times, TimeSpan? For, TimeSpan? Every, int MaxIterations, IReadOnlyList<Step> Steps) : Step(Mark, Label)
{
    public override string Kind => Times is null ? "loop" : "repeat";
}

/// <summary>Runs a named flow, with variables set for its duration.</summary>
public sealed record CallStep(SourceMark Mark, string Label, string Flow, IReadOnlyDictionary<string, Template> With) : Step(Mark, Label)
{
    public override string Kind => "call";
}
