using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Dev;

/// <summary><c>cert dev NAME…</c>: a leaf from the shared dev CA, written as NAME+N.pem and NAME+N-key.pem (mkcert's
/// naming: the first name and how many more), the key readable by its owner only.</summary>
public static class DevLeaf
{
    public static readonly IReadOnlyList<string> DefaultNames = ["localhost", "127.0.0.1", "::1"];

    public sealed record Written(string CertificateFile, string KeyFile, X509Certificate2 Leaf);

    public static Written Issue(DevAuthority ca, IReadOnlyList<string> names, string outputDirectory, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            Validate(name);
        }

        X509Certificate2 leaf;
        try
        {
            leaf = ca.IssueLeaf(names, now);
        }
        catch (ArgumentException e)
        {
            throw new CertInputException(T($"cannot issue for {string.Join(", ", names)}: {e.Message}", $"无法为 {string.Join(", ", names)} 签发证书：{e.Message}"));
        }

        if (!Directory.Exists(outputDirectory))
        {
            // A directory made for the key is the owner's only; an existing one (the current directory) is left as it is.
            DevAuthority.CreatePrivateDirectory(outputDirectory);
        }

        var stem = FileStem(names);
        var certificateFile = Path.GetFullPath(Path.Combine(outputDirectory, stem + ".pem"));
        var keyFile = Path.GetFullPath(Path.Combine(outputDirectory, stem + "-key.pem"));
        File.WriteAllText(certificateFile, Pem.Export(leaf));
        DevAuthority.WritePrivate(keyFile, Pem.ExportPrivateKey(leaf));
        return new Written(certificateFile, keyFile, leaf);
    }

    public static string FileStem(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var first = names[0].Trim('[', ']').Replace("*", "_wildcard", StringComparison.Ordinal).Replace(':', '_');
        return names.Count == 1 ? first : $"{first}+{names.Count - 1}";
    }

    // RFC 6125 6.4.3: only a whole left-most label may be "*"; CAs (and clients) refuse "*.com"-like or mid-name wildcards.
    private static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains(' ', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new CertInputException(T($"not a host name or IP address: '{name}'", $"不是主机名或 IP 地址：“{name}”"));
        }

        if (name.Contains('*', StringComparison.Ordinal) && (!name.StartsWith("*.", StringComparison.Ordinal) || name.IndexOf('*', 1) >= 0 || name.Count(c => c == '.') < 2))
        {
            throw new CertInputException(T(
                $"wildcard '{name}': only a whole left-most label may be '*', above at least two labels (*.example.test, not *.test or a*.example.test)",
                $"通配符“{name}”：只有最左边的整个标签可以是“*”，且其后至少还有两个标签（*.example.test 可以，*.test 或 a*.example.test 不行）"));
        }
    }
}
