namespace Wsdoctor.Cli;

/// <summary>Documented in README.md: scripts rely on them.</summary>
public static class ExitCodes
{
    /// <summary>Healthy (warnings allowed).</summary>
    public const int Ok = 0;

    /// <summary>A failure finding was reported.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>A bug in wsdoctor.</summary>
    public const int Internal = 3;
}
