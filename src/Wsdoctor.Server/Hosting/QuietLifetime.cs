using Microsoft.Extensions.Hosting;

namespace Wsdoctor.Server.Hosting;

/// <summary>Replaces the host's ConsoleLifetime, which would take SIGINT/SIGTERM for itself and print
/// "Application started" lines: the caller owns signals and the stderr log.</summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
