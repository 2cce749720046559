namespace Wsdoctor.Load.Errors;

/// <summary>Where in a virtual connection's life an error happened.</summary>
public enum ErrorStage
{
    Connect,
    Message,
    Hold,
    Close,
}

/// <summary>One failure, named with the catalogue's code (tcp.refused, http.rate-limited,
/// session.closed-by-server...) so that a failing load test says why. <paramref name="Detail"/> narrows the code
/// where the catalogue has one entry for many cases: the HTTP status, the close code, "timeout".</summary>
public sealed record LoadError(string Code, string? Detail, ErrorStage Stage, string Message)
{
    /// <summary><see cref="Message"/> in every output language, where the failure was described so.</summary>
    public Wsdoctor.Findings.Text? Text { get; init; }
}
