using System.CommandLine;
using Wsdoctor.Certificates;
using Wsdoctor.CertTool.Completion;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Reports.Cert;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert chain LEAF [--out fullchain.pem] [--candidates DIR] [--json]</c>: the fix for tls.incomplete-chain
/// and tls.chain-order in one command.</summary>
public static class CertChainCommand
{
    public static Command Create()
    {
        var leaf = new Argument<string[]>("leaf") { Description = H("The leaf certificate (cert.pem), optionally with the intermediates you have, in any order", "叶子证书（cert.pem），可附上手头已有的中间证书，顺序不限"), Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out", "-o") { Description = H("Write the full chain here (leaf first, no root); default: stdout", "把完整证书链写到这里（叶子证书在前，不含根证书）；默认：stdout") };
        var candidates = new Option<string?>("--candidates") { Description = H("A directory of CA certificates to pick the issuers from (before any download)", "从这个 CA 证书目录中挑选签发者（优先于下载）") };
        var shared = new CertOptions();
        var command = new Command("chain", H("Complete a leaf into the full chain a server must send (AIA caIssuers or --candidates), verify it, write it", "把叶子证书补全成服务端必须发送的完整证书链（通过 AIA caIssuers 或 --candidates），验证后写出")) { leaf, output, candidates };
        shared.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var settings = shared.Read(result);
            var loaded = await CertOptions.GuardAsync(() => CertificateTarget.LoadAsync(result.GetValue(leaf) ?? [], null, settings.Timeout, ct)).ConfigureAwait(false);
            var pool = result.GetValue(candidates) is { } dir ? CertOptions.Guard(() => ChainCompleter.ReadCandidates(dir)) : [];
            var completion = await ChainCompleter.CompleteAsync(loaded.Certificates.Select(c => c.Certificate).ToArray(), pool, settings.Roots,
                settings.Now, settings.UseNetwork, settings.Timeout, ct).ConfigureAwait(false);
            var json = result.GetValue(shared.Json);
            var language = LanguageOption.Current;
            var trust = settings.RootsFile is { } f ? Verbatim($"--ca {f}") : T("the system trust store", "系统信任库");
            var path = result.GetValue(output);
            if (completion.Trusted && path is not null)
            {
                await File.WriteAllTextAsync(path, Pem.ExportChain(completion.Chain), ct).ConfigureAwait(false);
            }

            if (json)
            {
                // Everything on stdout is the one object (the PEM inside it without --out); nothing on stderr.
                Console.Out.WriteLine(CertActionJsonReport.Chain(completion, trust.En, path is null ? null : Path.GetFullPath(path)));
                return completion.Trusted ? ExitCodes.Ok : ExitCodes.Failure;
            }

            foreach (var step in completion.StepTexts)
            {
                await Console.Error.WriteLineAsync($"wsdoctor: {step.In(language)}").ConfigureAwait(false);
            }

            if (!completion.Trusted)
            {
                var links = string.Join(" <- ", completion.Chain.Select(c => CertificateAnalysis.Short(c.Subject)));
                var untrusted = T($"the chain does not reach a root trusted by {trust}: {links} <- ? (nothing written)", $"证书链没有到达 {trust} 信任的根证书：{links} <- ?（未写出任何内容）");
                await Console.Error.WriteLineAsync($"wsdoctor: {untrusted.In(language)}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            if (path is not null)
            {
                var full = Path.GetFullPath(path);
                var wrote = T($"wrote {full}: {completion.Chain.Count} certificate(s), leaf first, trusted by {trust}: {completion.TrustedPath}", $"已写出 {full}：{completion.Chain.Count} 张证书，叶子证书在前，受 {trust} 信任：{completion.TrustedPath}");
                await Console.Error.WriteLineAsync($"wsdoctor: {wrote.In(language)}").ConfigureAwait(false);
            }
            else
            {
                Console.Out.Write(Pem.ExportChain(completion.Chain));
                var printed = T($"{completion.Chain.Count} certificate(s), leaf first, trusted by {trust}: {completion.TrustedPath}", $"{completion.Chain.Count} 张证书，叶子证书在前，受 {trust} 信任：{completion.TrustedPath}");
                await Console.Error.WriteLineAsync($"wsdoctor: {printed.In(language)}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
