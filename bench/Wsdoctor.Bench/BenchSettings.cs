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

    /// <summary>bench/peers/gorilla-echo built by bench/run.sh.</summary>
    public required string GorillaServer { get; init; }

    /// <summary>bench/peers/tcp-echo.c compiled by bench/run.sh.</summary>
    public required string TcpEchoServer { get; init; }

    /// <summary>The Python with Debian's python3-websockets (/usr/bin/python3, not a pyenv shim).</summary>
    public required string Python { get; init; }

    public required string PythonServerScript { get; init; }

    /// <summary>Load generators compared on the fixed server (empty: no comparison).</summary>
    public required IReadOnlyList<string> Generators { get; init; }

    /// <summary>Connection counts of the generator comparison.</summary>
    public required IReadOnlyList<int> GeneratorConnections { get; init; }

    /// <summary>Message size of the generator comparison.</summary>
    public required int GeneratorMessageBytes { get; init; }

    /// <summary>bench/peers/node_modules/.bin/artillery (npm ci in bench/peers).</summary>
    public required string Artillery { get; init; }

    public required string Tsung { get; init; }

    public required string NodeLoadClientScript { get; init; }

    public required string OutputDirectory { get; init; }

    public string? DocFile { get; init; }

    /// <summary>The serve options used for every run (besides the listen address).</summary>
    public static IReadOnlyList<string> ServeArguments =>
        ["--listen", "127.0.0.1:0", "--ping-interval", "0", "--max-connections", "100000", "--log-format", "json"];
}
