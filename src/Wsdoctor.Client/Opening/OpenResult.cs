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
public sealed record OpenFailure(OpenStage Stage, string Message, int? StatusCode = null);

/// <summary>Either an open connection or the reason there is none.</summary>
public sealed record OpenResult(OpenedConnection? Connection, OpenFailure? Failure)
{
    public static OpenResult Ok(OpenedConnection connection) => new(connection, null);

    public static OpenResult Fail(OpenStage stage, string message, int? status = null) => new(null, new OpenFailure(stage, message, status));
}
