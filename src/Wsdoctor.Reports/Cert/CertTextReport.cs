using System.Globalization;
using Spectre.Console;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.CertTool.Verification;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Reports.Cert;

/// <summary>The human report of <c>cert inspect</c> and <c>cert verify</c>: verdict line, the chain certificate by
/// certificate, the per-client table, then each finding as check prints it.</summary>
public static class CertTextReport
{
    public static void Inspect(CertInspection inspection, IAnsiConsole console, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(VerdictLine(inspection, null, language));
        Body(inspection, console, language);
    }

    public static void Verify(Deployment deployment, IAnsiConsole console, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(console);
        var zh = language == UiLanguage.SimplifiedChinese;
        console.MarkupLine(VerdictLine(deployment.Inspection, deployment, language));
        console.WriteLine();
        foreach (var (passed, text) in deployment.Checks)
        {
            console.MarkupLine($"  {(passed ? "[green]✓[/]" : "[red]✗[/]")} {Esc(text.In(language))}");
        }

        Body(deployment.Inspection, console, language);
        if (deployment.Snippets.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine(deployment.LoadFirst is { } first
                ? zh ? $"[bold]加载方式[/]（先执行：[cyan]{Esc(first)}[/]）" : $"[bold]load it[/] (first: [cyan]{Esc(first)}[/])"
                : deployment.Passed ? zh ? "[bold]加载方式[/]" : "[bold]load it[/]"
                : zh ? "[bold]加载方式（先修复上面的问题）[/]" : "[bold]load it, once the problems above are fixed[/]");
            foreach (var (server, lines) in deployment.Snippets)
            {
                console.MarkupLine($"  [grey]{Esc(server)}[/]");
                foreach (var line in lines)
                {
                    console.MarkupLine($"    [cyan]{Esc(line)}[/]");
                }
            }
        }
    }

    private static string VerdictLine(CertInspection inspection, Deployment? deployment, string language)
    {
        var zh = language == UiLanguage.SimplifiedChinese;
        var error = inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Error);
        var warning = inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Warning);
        if (error is not null)
        {
            return $"[bold red]FAIL[/] [bold]{Esc(error.Code)}[/] — {Esc(error.Message.In(language))}";
        }

        if (deployment is { Passed: false })
        {
            var failed = deployment.Checks.FirstOrDefault(c => !c.Passed).Text;
            return warning is not null
                ? $"[bold red]FAIL[/] [bold]{Esc(warning.Code)}[/] — {Esc(warning.Message.In(language))}"
                : $"[bold red]FAIL[/] {Esc(failed?.In(language) ?? (zh ? "有一项检查未通过" : "a check failed"))}";
        }

        if (warning is not null)
        {
            return $"[bold yellow]WARN[/] [bold]{Esc(warning.Code)}[/] — {Esc(warning.Message.In(language))}";
        }

        var outcome = inspection.TrustedPath is { } path
            ? zh ? $"受信任：{Esc(path)}" : $"trusted: {Esc(path)}"
            : zh ? "没有发现问题" : "no problem found";
        return $"[bold green]OK[/] {Esc(inspection.Chain.Source)} — {outcome}";
    }

    private static void Body(CertInspection inspection, IAnsiConsole console, string language)
    {
        var zh = language == UiLanguage.SimplifiedChinese;
        var kind = inspection.Chain.Kind switch
        {
            ChainSourceKind.Served => zh ? "服务端发送" : "served",
            _ => zh ? "文件" : "files",
        };
        console.WriteLine();
        if (zh)
        {
            // The labels line up in a terminal: each Chinese character takes two columns.
            console.MarkupLine($"  [grey]来源[/]     {Esc(inspection.Chain.Source)}（{kind}）{(inspection.Chain.Host is { } host ? $"，主机 {Esc(host)}" : "")}");
            console.MarkupLine($"  [grey]信任库[/]   {Esc(inspection.TrustStoreText.In(language))}");
        }
        else
        {
            console.MarkupLine($"  [grey]source[/]   {Esc(inspection.Chain.Source)} ({kind}){(inspection.Chain.Host is { } h ? $", host {Esc(h)}" : "")}");
            console.MarkupLine($"  [grey]trust[/]    {Esc(inspection.TrustStoreText.In(language))}");
        }

        foreach (var line in inspection.Chain.Notes)
        {
            console.MarkupLine(zh ? $"  [grey]备注[/]     {Esc(line.In(language))}" : $"  [grey]note[/]     {Esc(line.In(language))}");
        }

        foreach (var c in inspection.Certificates)
        {
            console.WriteLine();
            console.MarkupLine(zh
                ? $"  [bold]#{c.Position} {Esc(c.RoleText.In(language))}[/]  {Esc(c.Subject)}  [grey]（{Esc(c.OriginText.In(language))}）[/]"
                : $"  [bold]#{c.Position} {Esc(c.Role)}[/]  {Esc(c.Subject)}  [grey]({Esc(c.Origin)})[/]");
            Row(console, zh ? "签发者" : "issuer", c.Issuer + (c.SignedBy is { } by ? zh ? $"（由 {by} 签发）" : $"  (signed by {by})" : ""));
            if (c.SubjectAltNames.Count > 0 || c.Role == "leaf")
            {
                Row(console, "SAN", c.SubjectAltNames.Count == 0 ? zh ? "（无）" : "(none)" : string.Join(", ", c.SubjectAltNames));
            }

            var days = (c.DaysLeft < 0 ? -c.DaysLeft : c.DaysLeft).ToString("0.#", CultureInfo.InvariantCulture);
            var left = zh
                ? c.DaysLeft < 0 ? $"已过期 {days} 天" : $"还剩 {days} 天"
                : c.DaysLeft < 0 ? $"expired {-c.DaysLeft:0.#} days ago" : $"{c.DaysLeft.ToString("0.#", CultureInfo.InvariantCulture)} days left";
            var validity = $"{CertificateAnalysis.Stamp(c.NotBefore)} → {CertificateAnalysis.Stamp(c.NotAfter)}";
            Row(console, zh ? "有效期" : "valid", zh ? $"{validity}（{left}）" : $"{validity} ({left})");
            Row(console, zh ? "密钥" : "key", zh ? $"{c.Key}；签名 {c.SignatureAlgorithm}" : $"{c.Key}; signature {c.SignatureAlgorithm}");
            Row(console, "SKI/AKI", $"{c.SubjectKeyId ?? "-"} / {c.AuthorityKeyId ?? "-"}");
            if (c.CaIssuers.Count + c.Ocsp.Count > 0)
            {
                Row(console, "AIA", string.Join("; ", c.CaIssuers.Select(u => "caIssuers " + u).Concat(c.Ocsp.Select(u => "OCSP " + u))));
            }

            var eku = c.ExtendedKeyUsage.Count > 0 ? (zh ? "；EKU " : "; EKU ") + string.Join(", ", c.ExtendedKeyUsage) : "";
            Row(console, zh ? "用途" : "usage", $"{c.BasicConstraintsText.In(language)}{eku}");
            if (c.NameConstraints is { } nc)
            {
                Row(console, zh ? "名称约束" : "name constr.", nc);
            }
        }

        if (inspection.Aia.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("  [bold]AIA[/]");
            foreach (var line in inspection.Aia)
            {
                console.MarkupLine($"    {Esc(line.In(language))}");
            }
        }

        if (inspection.Clients.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine(zh ? "  [bold]客户端[/]" : "  [bold]clients[/]");
            var width = inspection.Clients.Max(v => v.Name.In(language).Length);
            foreach (var v in inspection.Clients)
            {
                var mark = v.Outcome switch
                {
                    ClientOutcome.Pass => zh ? "[green]✓ 通过   [/]" : "[green]✓ pass   [/]",
                    ClientOutcome.Fail => zh ? "[red]✗ 失败   [/]" : "[red]✗ fail   [/]",
                    _ => zh ? "[yellow]? 视情况[/]" : "[yellow]? depends[/]",
                };
                console.MarkupLine($"    {mark} {Esc(v.Name.In(language).PadRight(width))}  {Esc(v.Reason.In(language))}");
            }
        }

        foreach (var finding in inspection.Findings)
        {
            console.WriteLine();
            TextReport.RenderFinding(finding, console, rootCause: false, language);
        }
    }

    /// <summary>A label and its value, the values in one column (a Chinese character is two columns wide).</summary>
    private static void Row(IAnsiConsole console, string label, string value) =>
        console.MarkupLine($"     [grey]{Esc(label.PadRight(12 - label.Count(c => c >= '\u2E80')))}[/] {Esc(value)}");

    private static string Esc(string text) => Markup.Escape(text);
}
