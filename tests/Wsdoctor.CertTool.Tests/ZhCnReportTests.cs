using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using Wsdoctor.Reports;
using Wsdoctor.Reports.Cert;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests;

/// <summary><c>cert inspect --lang zh-CN</c>: the report's labels and the chain's findings in Chinese, the values
/// (subjects, dates, key ids, file names) as they are.</summary>
public sealed class ZhCnReportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("wsdoctor-cert-zh-").FullName;

    [Fact]
    public async Task Inspect_ChainWithAStrayCertificateAndTheRoot_ReportInChinese()
    {
        var now = DateTimeOffset.UtcNow;
        // Host-like CNs: a subject is a value, and English words in it would read as prose left untranslated.
        using var root = CertificateAuthority.CreateRoot("root-ca.example.test", now);
        using var intermediate = root.CreateIntermediate("int-ca.example.test", now);
        using var strayRoot = CertificateAuthority.CreateRoot("other-root.example.test", now);
        using var stray = strayRoot.CreateIntermediate("stray-ca.example.test", now);
        using var leaf = intermediate.Issue(new LeafSpec("ws.example.test", ["ws.example.test"], [], now.AddDays(-1), now.AddDays(200)));
        var file = Path.Combine(directory, "bundle.pem");
        await File.WriteAllTextAsync(file, Pem.Export(leaf) + Pem.Export(intermediate.Certificate) + Pem.Export(root.Certificate) + Pem.Export(stray.Certificate));
        var ca = Path.Combine(directory, "ca.pem");
        await File.WriteAllTextAsync(ca, Pem.Export(root.Certificate));

        var loaded = await CertificateTarget.LoadAsync([file], null, TimeSpan.FromSeconds(5), CancellationToken.None);
        var settings = new ChainEvaluation.Settings
        {
            Host = "ws.example.test",
            Roots = [X509CertificateLoader.LoadCertificate(root.Certificate.RawData)],
            RootsFile = ca,
            UseNetwork = false,
            Now = now,
        };
        var inspection = await ChainEvaluation.EvaluateAsync(loaded, settings, CancellationToken.None);
        using var text = new StringWriter();
        CertTextReport.Inspect(inspection, ConsoleFactory.Create(text, colour: false), UiLanguage.SimplifiedChinese);
        var report = text.ToString();

        Assert.StartsWith("WARN tls.chain-order — 1 个证书不属于叶子证书的证书链：#4 'stray-ca.example.test'", report, StringComparison.Ordinal);
        Assert.Contains("来源     " + file + "（文件）", report, StringComparison.Ordinal);
        Assert.Contains("信任库   --ca " + ca, report, StringComparison.Ordinal);
        Assert.Contains("#1 叶子证书  CN=ws.example.test", report, StringComparison.Ordinal);
        Assert.Contains("#2 中间证书  CN=int-ca.example.test", report, StringComparison.Ordinal);
        Assert.Contains("#4 无关证书  CN=stray-ca.example.test", report, StringComparison.Ordinal);
        Assert.Contains("#3 根证书  CN=root-ca.example.test", report, StringComparison.Ordinal);
        Assert.Contains("签发者       CN=int-ca.example.test（由 #2 签发）", report, StringComparison.Ordinal);
        Assert.Contains("有效期", report, StringComparison.Ordinal);
        Assert.Contains("证据：    文件中：#1 'ws.example.test', #2 'int-ca.example.test', #3 'root-ca.example.test', #4 'stray-ca.example.test'", report, StringComparison.Ordinal);
        Assert.Contains("#4 'stray-ca.example.test' 由 'other-root.example.test' 签发，在这里没有签发任何证书", report, StringComparison.Ordinal);
        Assert.Contains("包含了根证书 'root-ca.example.test'；客户端从不使用对方发来的根证书", report, StringComparison.Ordinal);
        Assert.Contains("修复：    把它们删掉", report, StringComparison.Ordinal);
        Assert.Contains("wsdoctor explain tls.chain-order --lang zh-CN", report, StringComparison.Ordinal);
        Assert.Empty(EnglishProse.Find(WithoutValues(report)));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>The report without what is values only: the SAN and key identifier rows (DNS:host, hex that partly
    /// reads as words) and the platform's names of the extended key usages (TLS Web Server Authentication).</summary>
    private static string WithoutValues(string report)
    {
        var lines = report.ReplaceLineEndings("\n").Split('\n').ToList();
        return string.Join('\n', lines
            .Where(l => !l.TrimStart().StartsWith("SKI/AKI", StringComparison.Ordinal) && !l.TrimStart().StartsWith("SAN", StringComparison.Ordinal))
            .Select(l => l.Contains("EKU ", StringComparison.Ordinal) ? l[..l.IndexOf("EKU ", StringComparison.Ordinal)] : l));
    }
}
