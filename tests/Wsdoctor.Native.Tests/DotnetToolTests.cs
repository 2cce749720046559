using Wsdoctor.TestPeers;

namespace Wsdoctor.Native.Tests;

/// <summary>The dotnet tool: <c>dotnet pack</c> of src/Wsdoctor.Cli, installed with <c>dotnet tool install --tool-path
/// --add-source</c> into a temporary directory (its own NuGet cache, so an older package of the same version is never
/// what runs), then the lab through the installed command: its resources come from the package, not the repository.</summary>
public sealed class DotnetToolTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("wsdoctor-tool-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task PackThenInstall_TheInstalledCommandRunsTheLabAllPass()
    {
        var feed = Path.Combine(scratch, "nupkg");
        var tools = Path.Combine(scratch, "tools");
        var nugetConfig = Path.Combine(scratch, "nuget.config");
        await File.WriteAllTextAsync(nugetConfig, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /></packageSources></configuration>
            """);
        var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "packages"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var version = (await WsdoctorProcess.RunAsync("--version")).Stdout.Trim().Split('+')[0];

        await Builds.RunOkAsync(Builds.Dotnet, ["pack", Path.Combine(Builds.Root, "src", "Wsdoctor.Cli", "Wsdoctor.Cli.csproj"), "-c", "Release", "-o", feed, "--nologo", "-v", "quiet", "-nodeReuse:false"], TimeSpan.FromMinutes(10));
        Assert.True(File.Exists(Path.Combine(feed, $"wsdoctor.{version}.nupkg")), string.Join(", ", Directory.GetFiles(feed)));
        var install = await Builds.RunOkAsync(Builds.Dotnet,
            ["tool", "install", "--tool-path", tools, "--add-source", feed, "--configfile", nugetConfig, "--version", version, "wsdoctor"], TimeSpan.FromMinutes(5), isolated);
        Assert.Contains("wsdoctor", install.Stdout, StringComparison.Ordinal);

        var command = Path.Combine(tools, "wsdoctor");
        var installedVersion = await Builds.RunAsync(command, ["--version"], TimeSpan.FromMinutes(1));
        var list = await Builds.RunAsync(command, ["lab", "--list"], TimeSpan.FromMinutes(1));
        var lab = await Builds.RunAsync(command, ["lab"], TimeSpan.FromMinutes(5));

        Assert.True(installedVersion.ExitCode == 0, installedVersion.ToString());
        Assert.StartsWith(version, installedVersion.Stdout.Trim(), StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.True(lab.ExitCode == 0, lab.ToString());
        Assert.Contains(lab.StdoutLines, l => l.StartsWith($"{list.StdoutLines.Length}/{list.StdoutLines.Length} scenarios diagnosed correctly in ", StringComparison.Ordinal));
    }
}
