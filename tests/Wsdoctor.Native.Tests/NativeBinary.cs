using Wsdoctor.TestPeers;

namespace Wsdoctor.Native.Tests;

/// <summary>The Native AOT binary, published once per test run into artifacts/native/linux-x64 exactly as
/// scripts/install.sh does (so a binary install.sh just built is reused: the publish is then incremental).</summary>
public sealed class NativeBinary : IAsyncLifetime
{
    public static string Directory { get; } = Path.Combine(Builds.Root, "artifacts", "native", "linux-x64");

    public string Executable { get; } = Path.Combine(Directory, "wsdoctor");

    public async Task InitializeAsync()
    {
        // The first native link takes minutes on two loaded cores; an unchanged tree publishes in well under one.
        await Builds.RunOkAsync(Builds.Dotnet,
            ["publish", Path.Combine(Builds.Root, "src", "Wsdoctor.Cli", "Wsdoctor.Cli.csproj"), "-r", "linux-x64", "-c", "Release", "-p:PublishAot=true", "--nologo", "-v", "quiet", "-nodeReuse:false", "-o", Directory],
            TimeSpan.FromMinutes(20));
        Assert.True(File.Exists(Executable), $"the publish wrote no {Executable}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public Task<CliRun> RunAsync(params string[] args) => RunAsync(args, new Dictionary<string, string>());

    public Task<CliRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        WsdoctorProcess.RunProcessAsync(Executable, args, environment);
}

[CollectionDefinition(Name)]
public sealed class NativeCollection : ICollectionFixture<NativeBinary>
{
    public const string Name = "native binary";
}
