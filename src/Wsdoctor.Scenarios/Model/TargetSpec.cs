using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Scenarios.Model;

/// <summary>Where a scenario connects and how: every connection option of <c>check</c>, as written in the file's
/// <c>target:</c> block (a scenario's own block overrides the file's field by field). Paths are already resolved
/// against the file's directory; secrets are already read from the environment or their file.</summary>
public sealed record TargetSpec
{
    public string? Url { get; init; }
    public IReadOnlyList<HttpHeader> Headers { get; init; } = [];
    public string? Origin { get; init; }
    public IReadOnlyList<string> Subprotocols { get; init; } = [];
    public string? Token { get; init; }
    public TokenPlacement TokenIn { get; init; } = TokenPlacement.Bearer;
    public string? Cookie { get; init; }
    public bool Insecure { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public string? ConnectTo { get; init; }
    public AddressFamilyPreference Family { get; init; } = AddressFamilyPreference.Any;
    public string? Proxy { get; init; }
    public bool NoProxy { get; init; }
    public bool Compress { get; init; }

    /// <summary>The default time limit of each step, and of each stage of opening.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The limit on opening as a whole (dial, proxy, TLS, upgrade).</summary>
    public TimeSpan OpenDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The options <c>check</c> and the opener take, for this target.</summary>
    public CheckOptions ToCheckOptions(bool showSecrets) => new()
    {
        Url = Url ?? throw new InvalidOperationException("the target has no url"),
        Headers = Headers,
        Origin = Origin,
        Subprotocols = Subprotocols,
        Token = string.IsNullOrEmpty(Token) ? null : Token,
        TokenIn = TokenIn,
        Cookie = string.IsNullOrEmpty(Cookie) ? null : Cookie,
        Insecure = Insecure,
        CaFile = CaFile,
        CertFile = CertFile,
        KeyFile = KeyFile,
        ConnectTo = ConnectTo,
        Family = Family,
        StepTimeout = Timeout,
        Deadline = OpenDeadline,
        ShowSecrets = showSecrets,
        Proxy = Proxy,
        NoProxy = NoProxy,
    };
}
