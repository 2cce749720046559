using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;

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
            context.Notes.Add(new LintNote(directive.Location, $"ssl_certificate {name} is built at run time: its chain was not checked"));
            return null;
        }

        // ssl_certificate paths are relative to the conf prefix (ngx_conf_full_name(..., 1)).
        var path = name.StartsWith('/') ? name : context.Model.Configuration.Prefix + name;
        var fullchain = Path.Combine(Path.GetDirectoryName(path) ?? "/", "fullchain.pem");
        var files = context.Options.Certificates;
        var fixBlock = NginxFixBlock.For(scope.Owner!).Replace(directive, $"ssl_certificate {fullchain};").ToString();
        if (Path.GetFileName(path) == "cert.pem" && files.Read(fullchain) is { } beside && beside.Problem != "no such file")
        {
            return NginxLintContext.At(Codes.NginxCertificateChain, directive,
                $"ssl_certificate is {path}, the leaf alone, while {fullchain} is beside it",
                [$"{directive.Text} at {directive.Location}", $"{fullchain} exists (certbot writes the leaf to cert.pem and leaf + intermediates to fullchain.pem)"],
                fixBlock, data: new Dictionary<string, object?> { ["certificate"] = path, ["fullchain"] = fullchain });
        }

        var file = files.Read(path);
        if (file.Text is null)
        {
            context.Notes.Add(new LintNote(directive.Location, $"cannot read {path} ({file.Problem}): its chain was not checked (run as a user that can read it)"));
            return null;
        }

        var certificates = Certificates(file.Text);
        if (certificates.Count == 0)
        {
            context.Notes.Add(new LintNote(directive.Location, $"{path} holds no PEM certificate: its chain was not checked"));
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
            $"{path} holds one certificate (the leaf, issued by {leaf.Issuer}) and no intermediate",
            [$"{directive.Text} at {directive.Location}", $"{path}: 1 certificate, subject {leaf.Subject}, issuer {leaf.Issuer}"],
            fixBlock, fix: $"Point ssl_certificate at the full chain (leaf then intermediates): {fullchain} with certbot, or cat leaf.pem intermediate.pem > fullchain.pem.",
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
