using System.Text;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Lint;

/// <summary>Standard input for <c>lint ... -</c>, read whole up to the size bound of a configuration file.</summary>
public static class StdinText
{
    public static async Task<string> ReadAsync(CancellationToken ct)
    {
        if (!Console.IsInputRedirected)
        {
            throw new UsageException(T("- reads the configuration from standard input: pipe it in (sudo nginx -T | wsdoctor lint nginx -)", "- 表示从标准输入读取配置：请用管道传入（sudo nginx -T | wsdoctor lint nginx -）"));
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
                throw new UsageException(T($"standard input is larger than {Wsdoctor.Lint.DiskConfigFiles.MaxBytes / (1024 * 1024)} MiB", $"标准输入超过了 {Wsdoctor.Lint.DiskConfigFiles.MaxBytes / (1024 * 1024)} MiB"));
            }
        }

        return text.ToString();
    }
}
