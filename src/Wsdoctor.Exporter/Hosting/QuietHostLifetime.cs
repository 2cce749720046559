using Microsoft.Extensions.Hosting;

namespace Wsdoctor.Exporter.Hosting;

/// <summary>Instead of the host's ConsoleLifetime, which would take SIGINT/SIGTERM for itself and print its own lines:
/// the CLI owns the signals (its token stops the exporter).</summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
