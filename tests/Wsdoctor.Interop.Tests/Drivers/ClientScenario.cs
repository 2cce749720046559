using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wsdoctor.Interop.Tests.Drivers;

/// <summary>What a scripted client (tests/peers/clients/ws-client.js, tests/peers/python/ws_client.py) does: the
/// JSON it receives as its argument. See the header of ws-client.js for the meaning of each field.</summary>
public sealed record ClientScenario(Uri Url, IReadOnlyList<ClientStep> Steps)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>CA file (PEM) the client trusts for wss://.</summary>
    public string? Ca { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public string? Origin { get; init; }

    public IReadOnlyList<string>? Protocols { get; init; }

    /// <summary>Python driver only: sent as the Cookie header.</summary>
    public string? Cookie { get; init; }

    public bool? PerMessageDeflate { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record ClientStep(string Op)
{
    public string? Text { get; init; }

    /// <summary>Send <see cref="Text"/> this many times over, as one message (highly compressible).</summary>
    public int? Repeat { get; init; }

    public int? Binary { get; init; }

    public int? TextBytes { get; init; }

    public string? RawTextHex { get; init; }

    public string? RawBinaryHex { get; init; }

    public int? Fragments { get; init; }

    public int? Seed { get; init; }

    public int? Count { get; init; }

    public string? Payload { get; init; }

    public int? Code { get; init; }

    public string? Reason { get; init; }

    public static ClientStep SendText(string text, int? fragments = null) => new("send") { Text = text, Fragments = fragments };

    public static ClientStep SendRepeated(string text, int times) => new("send") { Text = text, Repeat = times };

    /// <summary>Generated text (hex digits) of this many bytes.</summary>
    public static ClientStep SendTextOf(int bytes, int? fragments = null) => new("send") { TextBytes = bytes, Fragments = fragments };

    public static ClientStep SendBinary(int bytes, int? fragments = null, int seed = 1) => new("send") { Binary = bytes, Fragments = fragments, Seed = seed };

    /// <summary>A binary message with exactly these bytes.</summary>
    public static ClientStep SendRawBinary(byte[] bytes) => new("send") { RawBinaryHex = Convert.ToHexStringLower(bytes) };

    /// <summary>A text frame whose payload is these bytes, unchecked: how a buggy client sends invalid UTF-8.</summary>
    public static ClientStep SendRawText(byte[] bytes) => new("send") { RawTextHex = Convert.ToHexStringLower(bytes) };

    public static ClientStep Receive(int count = 1) => new("receive") { Count = count };

    public static ClientStep Ping(string payload) => new("ping") { Payload = payload };

    public static ClientStep Close(int code, string reason) => new("close") { Code = code, Reason = reason };

    public static ClientStep WaitClose { get; } = new("waitClose");

    /// <summary>Stop reading the socket: the server's writes pile up in the kernel buffers, then in its send queue.</summary>
    public static ClientStep PauseReading { get; } = new("pauseReading");

    public static ClientStep ResumeReading { get; } = new("resumeReading");

    /// <summary>Send <paramref name="count"/> binary messages one at a time, each after the reply to the previous one.</summary>
    public static ClientStep SendAwaitingReplies(int count, int bytes) => new("sendAwaitReply") { Count = count, Binary = bytes };

    /// <summary>Answer each of the next <paramref name="count"/> messages with the text "ack N".</summary>
    public static ClientStep ReplyToEach(int count) => new("replyEach") { Count = count };

    /// <summary>Wait until the server has pinged this many times (the client library answers each with a pong).</summary>
    public static ClientStep WaitPings(int count) => new("waitPings") { Count = count };

    /// <summary>Wait for one line on the driver's stdin (a start signal).</summary>
    public static ClientStep WaitInput { get; } = new("waitInput");

    /// <summary>Stay connected until the test disposes the peer.</summary>
    public static ClientStep Hold { get; } = new("hold");
}
