namespace Wsdoctor.Bench;

/// <summary>What to run; every field has a command-line option (see Program.cs) and a default that keeps the whole
/// run under about five minutes on a 2-core machine.</summary>
public sealed record BenchSettings
{
    public required IReadOnlyList<string> Servers { get; init; }

    public required IReadOnlyList<int> Connections { get; init; }

    public required IReadOnlyList<int> MessageSizes { get; init; }

    public required double WarmUpSeconds { get; init; }

    public required double DurationSeconds { get; init; }

    public required int IdleConnections { get; init; }

    public required double SettleSeconds { get; init; }

    public required string WsdoctorDll { get; init; }

    public required string Dotnet { get; init; }

    public required string Node { get; init; }

    public required string NodeServerScript { get; init; }

    public required string WsModule { get; init; }

    public required string OutputDirectory { get; init; }

    public string? DocFile { get; init; }

    /// <summary>The serve options used for every run (besides the listen address).</summary>
    public static IReadOnlyList<string> ServeArguments =>
        ["--listen", "127.0.0.1:0", "--ping-interval", "0", "--max-connections", "100000", "--log-format", "json"];
}
