using System.CommandLine;
using Wsdoctor.Probes;
using Wsdoctor.Scenarios.Bench;
using Wsdoctor.Scenarios.Loading;
using static Wsdoctor.Findings.Text;

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
                throw new UsageException(T($"{option.Name}: with --scenario the connection options come from the scenario's target: (write it there)", $"{option.Name}：使用 --scenario 时，连接选项取自场景的 target:（请写在那里）"));
            }
        }

        if (!File.Exists(path))
        {
            throw new UsageException(T($"--scenario: {path}: no such file", $"--scenario：{path}：文件不存在"));
        }

        Scenarios.Model.ScenarioFile file;
        try
        {
            file = ScenarioLoader.Load(path);
        }
        catch (ScenarioFileException ex)
        {
            throw new UsageException(ex.Text);
        }

        var scenario = name is null
            ? file.Scenarios.Count == 1 ? file.Scenarios[0] : throw new UsageException(T($"--scenario: {path} has {file.Scenarios.Count} scenarios; choose one with --scenario-name ({string.Join(", ", file.Scenarios.Select(s => $"'{s.Name}'"))})", $"--scenario：{path} 中有 {file.Scenarios.Count} 个场景；请用 --scenario-name 选择其中一个（{string.Join(", ", file.Scenarios.Select(s => $"'{s.Name}'"))}）"))
            : file.Scenarios.FirstOrDefault(s => s.Name == name) ?? throw new UsageException(T($"--scenario-name: {path} has no scenario '{name}' ({string.Join(", ", file.Scenarios.Select(s => $"'{s.Name}'"))})", $"--scenario-name：{path} 中没有名为“{name}”的场景（{string.Join(", ", file.Scenarios.Select(s => $"'{s.Name}'"))}）"));
        ScenarioDriver driver;
        try
        {
            driver = new ScenarioDriver(file, scenario);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(T($"--scenario: {ex.Message}", $"--scenario：{ex.Message}"));
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
