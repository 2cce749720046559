using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Loading;

/// <summary>certbot's <c>/etc/letsencrypt/live/NAME/</c>: cert.pem (leaf), chain.pem (intermediates), fullchain.pem
/// (both, what servers must load) and privkey.pem, each a symlink into ../../archive/NAME/ with a version number.
/// The layout is judged too: a broken link or a fullchain.pem that is not cert.pem + chain.pem explains many a
/// renewal gone wrong.</summary>
public static class CertbotLive
{
    public static bool Looks(string directory) =>
        File.Exists(Path.Combine(directory, "fullchain.pem")) || File.Exists(Path.Combine(directory, "cert.pem"));

    public static LoadedChain Load(string directory)
    {
        var notes = new List<Text>();
        foreach (var name in new[] { "cert.pem", "chain.pem", "fullchain.pem", "privkey.pem" })
        {
            var path = Path.Combine(directory, name);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
                notes.Add(resolved is { Exists: true }
                    ? Verbatim($"{name} -> {target}")
                    : T($"{name} -> {target} is a broken symlink (renewal moved or deleted the archive)", $"{name} -> {target} 是失效的符号链接（续期移动或删除了 archive 目录）"));
            }
            else if (!info.Exists)
            {
                notes.Add(T($"{name} is missing", $"缺少 {name}"));
            }
        }

        var fullchain = Path.Combine(directory, "fullchain.pem");
        var cert = Path.Combine(directory, "cert.pem");
        var chainFile = Path.Combine(directory, "chain.pem");
        IReadOnlyList<SourcedCertificate> certificates;
        if (File.Exists(fullchain))
        {
            certificates = CertificateFiles.Read(fullchain);
            if (File.Exists(cert) && File.Exists(chainFile))
            {
                var parts = CertificateFiles.Read(cert).Concat(CertificateFiles.Read(chainFile)).Select(c => c.Certificate.Thumbprint);
                notes.Add(parts.SequenceEqual(certificates.Select(c => c.Certificate.Thumbprint))
                    ? T("fullchain.pem = cert.pem + chain.pem: the file a server must load", "fullchain.pem = cert.pem + chain.pem：服务端应当加载的就是这个文件")
                    : T("fullchain.pem is not cert.pem followed by chain.pem: files from different renewals?", "fullchain.pem 不等于 cert.pem 后接 chain.pem：这些文件来自不同次续期？"));
            }
        }
        else
        {
            certificates = [.. CertificateFiles.Read(cert), .. File.Exists(chainFile) ? CertificateFiles.Read(chainFile) : []];
            notes.Add(T("no fullchain.pem: judging cert.pem + chain.pem", "没有 fullchain.pem：改为检查 cert.pem + chain.pem"));
        }

        var key = Path.Combine(directory, "privkey.pem");
        return new LoadedChain(Path.GetFullPath(directory), ChainSourceKind.Files, certificates, Host: null, notes, File.Exists(key) ? key : null);
    }
}
