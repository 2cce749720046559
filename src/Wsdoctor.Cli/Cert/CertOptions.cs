using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.CertTool;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli.Cert;

/// <summary>The options inspect, verify and chain share: the trust store, the network, the clock.</summary>
internal sealed class CertOptions
{
    public Option<string?> Ca { get; } = new("--ca") { Description = H("Trust this CA file (PEM/DER) instead of the system store", "信任这个 CA 文件（PEM/DER），代替系统信任库") };

    public Option<bool> Offline { get; } = new("--offline") { Description = H("Do not download missing intermediates from caIssuers URLs", "不从 caIssuers URL 下载缺失的中间证书") };

    public Option<string?> Timeout { get; } = new("--timeout") { Description = H("Limit for each connection or download (default 5s)", "每次连接或下载的时限（默认 5s）") };

    public Option<bool> Json { get; } = new("--json") { Description = H("Print the result as JSON", "以 JSON 输出结果") };

    public void AddTo(Command command, bool json = true)
    {
        command.Options.Add(Ca);
        command.Options.Add(Offline);
        command.Options.Add(Timeout);
        if (json)
        {
            command.Options.Add(Json);
        }
    }

    public ChainEvaluation.Settings Read(ParseResult result)
    {
        var ca = result.GetValue(Ca);
        return new ChainEvaluation.Settings
        {
            Roots = ca is null ? null : LoadRoots(ca),
            RootsFile = ca,
            UseNetwork = !result.GetValue(Offline),
            Timeout = result.GetValue(Timeout) is { } t ? DurationText.Parse(t, "--timeout", maxSeconds: 120) : TimeSpan.FromSeconds(5),
            Now = DateTimeOffset.UtcNow,
        };
    }

    public static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.AddRange(Guard(() => CertificateFiles.Read(path)).Select(c => c.Certificate).ToArray());
        return roots;
    }

    /// <summary>Input errors of the cert library are usage errors here: one line, exit 2.</summary>
    public static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CertInputException e)
        {
            throw new UsageException(e.Text);
        }
    }

    public static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CertInputException e)
        {
            throw new UsageException(e.Text);
        }
    }
}
