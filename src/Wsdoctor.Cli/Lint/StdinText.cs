using System.Text;

namespace Wsdoctor.Cli.Lint;

/// <summary>Standard input for <c>lint ... -</c>, read whole up to the size bound of a configuration file.</summary>
public static class StdinText
{
    public static async Task<string> ReadAsync(CancellationToken ct)
    {
        if (!Console.IsInputRedirected)
        {
            throw new UsageException("- reads the configuration from standard input: pipe it in (sudo nginx -T | wsdoctor lint nginx -)");
        }

        using var reader = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        var buffer = new char[64 * 1024];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > Wsdoctor.Lint.DiskConfigFiles.MaxBytes)
            {
                throw new UsageException($"standard input is larger than {Wsdoctor.Lint.DiskConfigFiles.MaxBytes / (1024 * 1024)} MiB");
            }
        }

        return text.ToString();
    }
}
