using Wsdoctor.Lint.Nginx;

namespace Wsdoctor.Lint.Tests.Nginx;

/// <summary>Lints an nginx.conf written to a temporary directory (where certificates and includes can sit too).</summary>
public sealed class NginxLintHarness : IDisposable
{
    public TempDirectory Dir { get; } = new();

    public string Main => Path.Combine(Dir.Path, "nginx.conf");

    public static NginxLintOptions Options(string? version = "1.22.1", TimeSpan? heartbeat = null, params string[] wsPaths) =>
        new(wsPaths, heartbeat, version is null ? NginxVersion.Oldest : NginxVersion.Parse(version, "test")!, DiskConfigFiles.Instance);

    public LintReport Lint(string http, NginxLintOptions? options = null, string main = "")
    {
        Dir.Write("nginx.conf", $"{main}events {{}}\nhttp {{\n{http}\n}}\n");
        var result = NginxLinter.LintFile(Main, DiskConfigFiles.Instance, options ?? Options());
        Assert.True(result.Ok, result.Error?.ToString());
        return result.Value;
    }

    public void Dispose() => Dir.Dispose();
}
