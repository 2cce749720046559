using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.certificate-chain: nginx sends exactly what ssl_certificate contains; a file with the leaf alone
/// (certbot's cert.pem) leaves clients that do not fetch intermediates (Firefox, Node.js, Python, Go, Java, curl)
/// with an untrusted chain. The file is read when it can be; a path built from variables is left alone.</summary>
public sealed class CertificateChainRule : INginxRule
{
    private const string PemBegin = "-----BEGIN CERTIFICATE-----";

    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        var seen = new HashSet<NginxDirective>(ReferenceEqualityComparer.Instance);
        foreach (var scope in context.Model.Http.Concat(context.Model.Servers.Select(s => s.Scope)))
        {
            foreach (var directive in scope.Own("ssl_certificate").Where(seen.Add))
            {
                if (Check(directive, scope, context) is { } finding)
                {
                    yield return finding;
                }
            }
        }
    }

    private static LintFinding? Check(NginxDirective directive, NginxScope scope, NginxLintContext context)
    {
        var name = directive.Arg(0);
        if (name.Contains('$', StringComparison.Ordinal) || name.StartsWith("data:", StringComparison.Ordinal))
        {
            context.Notes.Add(new LintNote(directive.Location, T(
                $"ssl_certificate {name} is built at run time: its chain was not checked",
                $"ssl_certificate {name} 在运行时才确定：没有检查它的证书链")));
            return null;
        }

        // ssl_certificate paths are relative to the conf prefix (ngx_conf_full_name(..., 1)).
        var path = name.StartsWith('/') ? name : context.Model.Configuration.Prefix + name;
        var fullchain = Path.Combine(Path.GetDirectoryName(path) ?? "/", "fullchain.pem");
        var files = context.Options.Certificates;
        var fixBlock = Verbatim(NginxFixBlock.For(scope.Owner!).Replace(directive, $"ssl_certificate {fullchain};").ToString());
        var at = T($"{directive.Text} at {directive.Location}", $"{directive.Text}（{directive.Location}）");
        if (Path.GetFileName(path) == "cert.pem" && files.Read(fullchain) is { } beside && !beside.NotFound)
        {
            return NginxLintContext.At(Codes.NginxCertificateChain, directive,
                T($"ssl_certificate is {path}, the leaf alone, while {fullchain} is beside it", $"ssl_certificate 是 {path}，只有叶子证书，而旁边就有 {fullchain}"),
                [
                    at,
                    T(
                        $"{fullchain} exists (certbot writes the leaf to cert.pem and leaf + intermediates to fullchain.pem)",
                        $"{fullchain} 存在（certbot 把叶子证书写到 cert.pem，把叶子证书加中间证书写到 fullchain.pem）"),
                ],
                fixBlock, data: new Dictionary<string, object?> { ["certificate"] = path, ["fullchain"] = fullchain });
        }

        var file = files.Read(path);
        if (!file.Readable)
        {
            context.Notes.Add(new LintNote(directive.Location, T(
                $"cannot read {path} ({file.Problem}): its chain was not checked (run as a user that can read it)",
                $"无法读取 {path}（{file.Problem}）：没有检查它的证书链（请用能读取它的用户运行）")));
            return null;
        }

        var certificates = Certificates(file.Text);
        if (certificates.Count == 0)
        {
            context.Notes.Add(new LintNote(directive.Location, T(
                $"{path} holds no PEM certificate: its chain was not checked",
                $"{path} 中没有 PEM 证书：没有检查它的证书链")));
            return null;
        }

        using var leaf = certificates[0];
        var selfSigned = leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData);
        foreach (var c in certificates.Skip(1))
        {
            c.Dispose();
        }

        if (certificates.Count > 1 || selfSigned)
        {
            return null;
        }

        return NginxLintContext.At(Codes.NginxCertificateChain, directive,
            T($"{path} holds one certificate (the leaf, issued by {leaf.Issuer}) and no intermediate", $"{path} 中只有一张证书（叶子证书，签发者 {leaf.Issuer}），没有中间证书"),
            [at, T($"{path}: 1 certificate, subject {leaf.Subject}, issuer {leaf.Issuer}", $"{path}：1 张证书，主体 {leaf.Subject}，签发者 {leaf.Issuer}")],
            fixBlock,
            fix: T(
                $"Point ssl_certificate at the full chain (leaf then intermediates): {fullchain} with certbot, or cat leaf.pem intermediate.pem > fullchain.pem.",
                $"让 ssl_certificate 指向完整证书链（叶子证书在前，中间证书在后）：用 certbot 时是 {fullchain}，否则执行 `cat leaf.pem intermediate.pem > fullchain.pem`。"),
            data: new Dictionary<string, object?> { ["certificate"] = path, ["certificates"] = 1, ["issuer"] = leaf.Issuer });
    }

    private static List<X509Certificate2> Certificates(string pem)
    {
        var list = new List<X509Certificate2>();
        var rest = pem.AsMemory();
        // A chain file has a handful of certificates; the bound keeps a wrong file cheap.
        while (list.Count < 32 && rest.Span.IndexOf(PemBegin, StringComparison.Ordinal) >= 0)
        {
            if (!PemEncoding.TryFind(rest.Span, out var fields))
            {
                break;
            }

            if (rest.Span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    list.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest.Span[fields.Base64Data].ToString())));
                }
                catch (CryptographicException)
                {
                    // Not a certificate nginx could load either; nginx -t says so.
                }
            }

            rest = rest[fields.Location.End..];
        }

        return list;
    }
}
