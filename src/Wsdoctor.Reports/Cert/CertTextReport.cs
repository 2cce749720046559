using System.Globalization;
using Spectre.Console;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Verification;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Reports.Cert;

/// <summary>The human report of <c>cert inspect</c> and <c>cert verify</c>: verdict line, the chain certificate by
/// certificate, the per-client table, then each finding as check prints it.</summary>
public static class CertTextReport
{
    public static void Inspect(CertInspection inspection, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(VerdictLine(inspection, null));
        Body(inspection, console);
    }

    public static void Verify(Deployment deployment, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(VerdictLine(deployment.Inspection, deployment));
        console.WriteLine();
        foreach (var (passed, text) in deployment.Checks)
        {
            console.MarkupLine($"  {(passed ? "[green]✓[/]" : "[red]✗[/]")} {Esc(text)}");
        }

        Body(deployment.Inspection, console);
        if (deployment.Snippets.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine(deployment.LoadFirst is { } first
                ? $"[bold]load it[/] (first: [cyan]{Esc(first)}[/])"
                : deployment.Passed ? "[bold]load it[/]" : "[bold]load it, once the problems above are fixed[/]");
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

    private static string VerdictLine(CertInspection inspection, Deployment? deployment)
    {
        var error = inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Error);
        var warning = inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Warning);
        if (error is not null)
        {
            return $"[bold red]FAIL[/] [bold]{Esc(error.Code)}[/] — {Esc(error.Message.En)}";
        }

        if (deployment is { Passed: false })
        {
            var failed = deployment.Checks.FirstOrDefault(c => !c.Passed).Text;
            return warning is not null
                ? $"[bold red]FAIL[/] [bold]{Esc(warning.Code)}[/] — {Esc(warning.Message.En)}"
                : $"[bold red]FAIL[/] {Esc(failed ?? "a check failed")}";
        }

        return warning is not null
            ? $"[bold yellow]WARN[/] [bold]{Esc(warning.Code)}[/] — {Esc(warning.Message.En)}"
            : $"[bold green]OK[/] {Esc(inspection.Chain.Source)} — {(inspection.TrustedPath is { } path ? $"trusted: {Esc(path)}" : "no problem found")}";
    }

    private static void Body(CertInspection inspection, IAnsiConsole console)
    {
        console.WriteLine();
        console.MarkupLine($"  [grey]source[/]   {Esc(inspection.Chain.Source)} ({inspection.Chain.Kind.ToString().ToLowerInvariant()}){(inspection.Chain.Host is { } h ? $", host {Esc(h)}" : "")}");
        console.MarkupLine($"  [grey]trust[/]    {Esc(inspection.TrustStore)}");
        foreach (var note in inspection.Chain.Notes)
        {
            console.MarkupLine($"  [grey]note[/]     {Esc(note)}");
        }

        foreach (var c in inspection.Certificates)
        {
            console.WriteLine();
            console.MarkupLine($"  [bold]#{c.Position} {Esc(c.Role)}[/]  {Esc(c.Subject)}  [grey]({Esc(c.Origin)})[/]");
            Row(console, "issuer", c.Issuer + (c.SignedBy is { } by ? $"  (signed by {by})" : ""));
            if (c.SubjectAltNames.Count > 0 || c.Role == "leaf")
            {
                Row(console, "SAN", c.SubjectAltNames.Count == 0 ? "(none)" : string.Join(", ", c.SubjectAltNames));
            }

            var left = c.DaysLeft < 0 ? $"expired {-c.DaysLeft:0.#} days ago" : $"{c.DaysLeft.ToString("0.#", CultureInfo.InvariantCulture)} days left";
            Row(console, "valid", $"{CertificateAnalysis.Stamp(c.NotBefore)} → {CertificateAnalysis.Stamp(c.NotAfter)} ({left})");
            Row(console, "key", $"{c.Key}; signature {c.SignatureAlgorithm}");
            Row(console, "SKI/AKI", $"{c.SubjectKeyId ?? "-"} / {c.AuthorityKeyId ?? "-"}");
            if (c.CaIssuers.Count + c.Ocsp.Count > 0)
            {
                Row(console, "AIA", string.Join("; ", c.CaIssuers.Select(u => "caIssuers " + u).Concat(c.Ocsp.Select(u => "OCSP " + u))));
            }

            Row(console, "usage", $"{c.BasicConstraints}{(c.ExtendedKeyUsage.Count > 0 ? "; EKU " + string.Join(", ", c.ExtendedKeyUsage) : "")}");
            if (c.NameConstraints is { } nc)
            {
                Row(console, "name constr.", nc);
            }
        }

        if (inspection.Aia.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("  [bold]AIA[/]");
            foreach (var line in inspection.Aia)
            {
                console.MarkupLine($"    {Esc(line)}");
            }
        }

        if (inspection.Clients.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("  [bold]clients[/]");
            var width = inspection.Clients.Max(v => v.Client.Length);
            foreach (var v in inspection.Clients)
            {
                var mark = v.Outcome switch
                {
                    ClientOutcome.Pass => "[green]✓ pass   [/]",
                    ClientOutcome.Fail => "[red]✗ fail   [/]",
                    _ => "[yellow]? depends[/]",
                };
                console.MarkupLine($"    {mark} {Esc(v.Client.PadRight(width))}  {Esc(v.Why)}");
            }
        }

        foreach (var finding in inspection.Findings)
        {
            console.WriteLine();
            TextReport.RenderFinding(finding, console, rootCause: false);
        }
    }

    private static void Row(IAnsiConsole console, string label, string value) =>
        console.MarkupLine($"     [grey]{Esc(label.PadRight(12))}[/] {Esc(value)}");

    private static string Esc(string text) => Markup.Escape(text);
}
