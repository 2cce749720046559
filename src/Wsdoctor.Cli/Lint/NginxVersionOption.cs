using System.Diagnostics;
using Wsdoctor.Lint.Nginx;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Lint;

/// <summary>The nginx version the lint judges against: --nginx-version, else what <c>nginx -v</c> of the nginx on
/// PATH prints (on stderr: "nginx version: nginx/1.22.1"), else the oldest behaviour.</summary>
public static class NginxVersionOption
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<NginxVersion> ResolveAsync(string? given, CancellationToken ct)
    {
        if (given is not null)
        {
            return NginxVersion.Parse(given, "--nginx-version")
                ?? throw new UsageException(T($"--nginx-version takes X.Y.Z, e.g. 1.22.1 (got '{given}')", $"--nginx-version 的格式是 X.Y.Z，例如 1.22.1（收到的是“{given}”）"));
        }

        if (Installed() is not { } nginx)
        {
            return NginxVersion.Oldest;
        }

        using var process = Process.Start(new ProcessStartInfo(nginx, "-v")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        });
        if (process is null)
        {
            return NginxVersion.Oldest;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Timeout);
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return NginxVersion.FromNginxV(await stderr.ConfigureAwait(false) + await stdout.ConfigureAwait(false)) ?? NginxVersion.Oldest;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return NginxVersion.Oldest;
        }
    }

    private static string? Installed()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "nginx"))
            .FirstOrDefault(File.Exists);
    }
}
