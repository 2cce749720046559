using Wsdoctor.Findings;

namespace Wsdoctor.Client.Opening;

/// <summary>Where opening stopped.</summary>
public enum OpenStage
{
    Url,
    Resolve,
    Connect,
    Proxy,
    Tls,
    Handshake,
    Redirect,
}

/// <summary>Why the connection could not be opened: a value, since a refusing or misbehaving peer is expected.</summary>
public sealed record OpenFailure(OpenStage Stage, Text Message, int? StatusCode = null)
{
    /// <summary>At <see cref="OpenStage.Connect"/>: what the last address tried answered (ConnectionRefused,
    /// TimedOut for no answer within --timeout...), so a caller can classify without reading the message.</summary>
    public System.Net.Sockets.SocketError? SocketError { get; init; }

    /// <summary>The response head of an upgrade answered with something other than 101 (Retry-After, Server...).</summary>
    public Protocol.Http.ResponseHead? Response { get; init; }
}

/// <summary>Either an open connection or the reason there is none.</summary>
public sealed record OpenResult(OpenedConnection? Connection, OpenFailure? Failure)
{
    public static OpenResult Ok(OpenedConnection connection) => new(connection, null);

    public static OpenResult Fail(OpenStage stage, Text message, int? status = null) => new(null, new OpenFailure(stage, message, status));

    /// <summary>The whole open (every redirect and retry of it) ran past <c>--deadline</c>.</summary>
    public static OpenResult PastDeadline(TimeSpan deadline)
    {
        var seconds = deadline.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return Fail(OpenStage.Connect, Text.T($"the connection did not open within the --deadline of {seconds} s", $"连接没有在 --deadline 的 {seconds} s 内打开"));
    }
}
