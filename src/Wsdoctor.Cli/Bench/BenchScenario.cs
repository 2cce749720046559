using System.CommandLine;
using Wsdoctor.Probes;
using Wsdoctor.Scenarios.Bench;
using Wsdoctor.Scenarios.Loading;

namespace Wsdoctor.Cli.Bench;

/// <summary><c>bench --scenario FILE</c>: the scenario to play, the connection its target describes (a URL on the
/// command line replaces the target's url; the other connection options belong in the file).</summary>
public sealed record BenchScenario(ScenarioDriver Driver, CheckOptions Check, bool Compress)
{
    public static BenchScenario Load(string path, string? name, ConnectionOptions connection, ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(result);
        // --timeout and --deadline are bench's own limits; everything else about the connection is the file's.
        foreach (var option in new Option[] { connection.Header, connection.Origin, connection.Subprotocol, connection.Token, connection.TokenIn, connection.Cookie, connection.Insecure, connection.Ca, connection.Cert, connection.Key, connection.ConnectTo, connection.IPv4, connection.IPv6, connection.Proxy, connection.NoProxy })
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                throw new UsageException($"{option.Name}: with --scenario the connection options come from the scenario's target: (write it there)");
            }
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"--scenario: {path}: no such file");
        }

        Scenarios.Model.ScenarioFile file;
        try
        {
            file = ScenarioLoader.Load(path);
        }
        catch (ScenarioFileException ex)
        {
            throw new UsageException(ex.Message);
        }

        var scenario = name is null
            ? file.Scenarios.Count == 1 ? file.Scenarios[0] : throw new UsageException($"--scenario: {path} has {file.Scenarios.Count} scenarios; choose one with --scenario-name ({string.Join(", ", file.Scenarios.Select(s => $"'{s.Name}'"))})")
            : file.Scenarios.FirstOrDefault(s => s.Name == name) ?? throw new UsageException($"--scenario-name: {path} has no scenario '{name}' ({string.Join(", ", file.Scenarios.Select(s => $"'{s.Name}'"))})");
        ScenarioDriver driver;
        try
        {
            driver = new ScenarioDriver(file, scenario);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--scenario: {ex.Message}");
        }

        var target = result.GetValue(connection.Url) is { } url ? scenario.Target with { Url = url } : scenario.Target;
        var check = target.ToCheckOptions(result.GetValue(connection.ShowSecrets)) with
        {
            StepTimeout = result.GetValue(connection.Timeout) is { } t ? DurationText.Parse(t, "--timeout") : target.Timeout,
            Deadline = result.GetValue(connection.Deadline) is { } d ? DurationText.Parse(d, "--deadline") : target.OpenDeadline,
        };
        return new BenchScenario(driver, check, target.Compress);
    }
}
