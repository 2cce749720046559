using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Exporter.Config;

/// <summary>Where a module's credential comes from: an environment variable or a file, read at each probe so that a
/// rotated secret is picked up; never from the probe URL (it would end up in Prometheus' config, logs and UI).</summary>
public sealed record SecretSource(string? Env, string? File)
{
    /// <returns>The secret, or an error message (the variable is unset, the file unreadable).</returns>
    public (string? Value, string? Error) Read(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Env is { } name)
        {
            return environment(name) is { Length: > 0 } value ? (value, null) : (null, $"environment variable {name} is not set");
        }

        try
        {
            return (System.IO.File.ReadAllText(File!).Trim(), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the token file {File}: {ex.Message}");
        }
    }
}

/// <summary>One module of the config: how to probe a target (blackbox_exporter's word).</summary>
public sealed record Module
{
    public required string Name { get; init; }

    /// <summary>Upper bound of one probe; Prometheus' scrape timeout lowers it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of each network step (dns, connect, tls, upgrade, pong).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<HttpHeader> Headers { get; init; } = [];
    public string? Origin { get; init; }
    public IReadOnlyList<string> Subprotocols { get; init; } = [];
    public SecretSource? Token { get; init; }
    public TokenPlacement TokenIn { get; init; } = TokenPlacement.Bearer;
    public SecretSource? Cookie { get; init; }
    public string? Send { get; init; }
    public string? Expect { get; init; }
    public bool Insecure { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public string? Proxy { get; init; }
    public bool NoProxy { get; init; }

    /// <summary>Let check open its extra connections (Origin variants, TLS versions) to sharpen a failure's root cause.</summary>
    public bool FollowUpProbes { get; init; }

    /// <summary>A scenario file (docs/scenarios.md) to play instead of a check; its target is the probe's target.</summary>
    public string? Scenario { get; init; }

    public static Module Default { get; } = new() { Name = "default" };
}

/// <summary>The exporter's config: its modules by name.</summary>
public sealed record ExporterConfig(IReadOnlyDictionary<string, Module> Modules)
{
    public static ExporterConfig Builtin { get; } = new(new Dictionary<string, Module>(StringComparer.Ordinal) { ["default"] = Module.Default });
}
