using System.Net;
using System.Text;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Conform.Reports;

/// <summary>One self-contained HTML page (no scripts, no external assets): the summary matrix by category and agent,
/// the grade of every case per agent, and for each case what was expected, what was observed and the wire log.</summary>
public static class HtmlReport
{
    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.5em}h2{margin-top:2em;font-size:1.2em}
        table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}.OK{background:#c8f0c8}.NON-STRICT{background:#f7f0a0}.INFORMATIONAL{background:#d0e0ff}
        .UNIMPLEMENTED{background:#e4e4e4}.FAILED,.WRONG.CODE,.UNCLEAN,.FAILED.BY.CLIENT{background:#f6b8b8}
        a.grade{display:block;color:#222;text-decoration:none}details{margin:.3em 0;border:1px solid #ddd;padding:.3em .6em}
        summary{cursor:pointer}pre{background:#f8f8f8;padding:.5em;overflow-x:auto;white-space:pre-wrap;margin:.3em 0}
        .wire td{font-family:ui-monospace,monospace;font-size:12px}.tx{color:#046}.rx{color:#640}.muted{color:#777}
        """;

    public static string Render(IReadOnlyDictionary<string, IReadOnlyList<CaseResult>> byAgent, IReadOnlyDictionary<string, ConformCase> cases, string title)
    {
        var agents = byAgent.Keys.OrderBy(a => a, StringComparer.Ordinal).ToList();
        var lookup = agents.ToDictionary(a => a, a => byAgent[a].ToDictionary(r => r.Id));
        var ids = byAgent.Values.SelectMany(r => r).Select(r => r.Id).Distinct().OrderBy(i => i, Comparer<string>.Create(ConformCase.Compare)).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1><p class=\"muted\">wsdoctor conform, ")
            .Append(E(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture)))
            .Append(". Grades as Autobahn|Testsuite: OK, NON-STRICT (lenient but acceptable), INFORMATIONAL (the RFC leaves it open), UNIMPLEMENTED (optional feature absent), FAILED. The cases are described in docs/conform-cases.md.</p>");

        Summary(html, agents, lookup, ids);
        foreach (var category in ids.GroupBy(Category))
        {
            html.Append("<h2>").Append(E($"{category.Key} {CaseTable.CategoryName(category.Key)}")).Append("</h2><table><tr><th>case</th>");
            foreach (var agent in agents)
            {
                html.Append("<th>").Append(E(agent)).Append("</th>");
            }

            html.Append("<th>description</th></tr>");
            foreach (var id in category)
            {
                html.Append("<tr><td>").Append(E(id)).Append("</td>");
                foreach (var agent in agents)
                {
                    if (lookup[agent].TryGetValue(id, out var r))
                    {
                        html.Append("<td class=\"").Append(E(r.Behavior)).Append("\"><a class=\"grade\" href=\"#").Append(Anchor(agent, id)).Append("\">")
                            .Append(E(r.Behavior)).Append(r.BehaviorClose != Grades.Ok && r.BehaviorClose != r.Behavior ? $" / {E(r.BehaviorClose)}" : "")
                            .Append("<span class=\"muted\"> ").Append(r.DurationMs).Append(" ms</span></a></td>");
                    }
                    else
                    {
                        html.Append("<td class=\"muted\">not run</td>");
                    }
                }

                html.Append("<td>").Append(E(cases.GetValueOrDefault(id)?.Description ?? "")).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<h2>Case details</h2>");
        foreach (var agent in agents)
        {
            foreach (var r in byAgent[agent].OrderBy(r => r.Id, Comparer<string>.Create(ConformCase.Compare)))
            {
                Details(html, r, cases.GetValueOrDefault(r.Id));
            }
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static void Summary(StringBuilder html, List<string> agents, Dictionary<string, Dictionary<string, CaseResult>> lookup, List<string> ids)
    {
        html.Append("<h2>Summary</h2><table><tr><th>category</th>");
        foreach (var agent in agents)
        {
            html.Append("<th>").Append(E(agent)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var category in ids.GroupBy(Category).Select(g => g.Key).Append("all"))
        {
            html.Append("<tr><td>").Append(E(category == "all" ? "all categories" : $"{category} {CaseTable.CategoryName(category)}")).Append("</td>");
            foreach (var agent in agents)
            {
                var results = lookup[agent].Values.Where(r => category == "all" || Category(r.Id) == category).ToList();
                var worst = Grades.Main.Reverse().FirstOrDefault(g => g != Grades.Unimplemented && g != Grades.Informational && results.Any(r => r.Behavior == g)) ?? Grades.Ok;
                var counts = Grades.Main.Select(g => (Grade: g, Count: results.Count(r => r.Behavior == g))).Where(x => x.Count > 0);
                html.Append("<td class=\"").Append(E(results.Count == 0 ? "" : worst)).Append("\">")
                    .Append(E(results.Count == 0 ? "—" : string.Join(" · ", counts.Select(x => $"{x.Grade} {x.Count}")))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Details(StringBuilder html, CaseResult r, ConformCase? c)
    {
        html.Append("<details id=\"").Append(Anchor(r.Agent, r.Id)).Append("\"><summary><b>").Append(E(r.Agent)).Append(" — case ").Append(E(r.Id))
            .Append("</b> <span class=\"").Append(E(r.Behavior)).Append("\">").Append(E(r.Behavior)).Append("</span> ").Append(E(c?.Description ?? "")).Append("</summary>");
        html.Append("<table>");
        Row(html, "expectation", c?.Expectation);
        Row(html, "rule", c?.Rule);
        Row(html, "behavior", $"{r.Behavior}: {r.Result}");
        Row(html, "close behavior", $"{r.BehaviorClose}: {r.ResultClose}");
        Row(html, "expected", string.Join("\n", r.Expected.Select(e => $"{e.Key}: {(e.Value.Count == 0 ? "nothing" : string.Join("; ", e.Value))}")));
        Row(html, "expected close", r.ExpectedCloseText);
        Row(html, "observed", r.Received.Count == 0 ? "nothing" : string.Join("\n", r.Received));
        Row(html, "close", $"peer's close code {(r.RemoteCloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}{(string.IsNullOrEmpty(r.RemoteCloseReason) ? "" : $" \"{r.RemoteCloseReason}\"")}; ours {(r.LocalCloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}; closed by {(r.ClosedByMe is null ? "nobody (TCP dropped)" : r.ClosedByMe.Value ? "the fuzzer" : "the peer")}; clean: {(r.WasClean ? "yes" : "no")}; duration {r.DurationMs} ms");
        Row(html, "peer violation", r.PeerViolation);
        html.Append("</table>");
        if (r.HttpRequest is not null)
        {
            html.Append("<pre>").Append(E(r.HttpRequest.TrimEnd())).Append("</pre>");
        }

        if (r.HttpResponse is not null)
        {
            html.Append("<pre>").Append(E(r.HttpResponse.TrimEnd())).Append("</pre>");
        }

        html.Append("<table class=\"wire\"><tr><th>ms</th><th></th><th>wire log</th></tr>");
        foreach (var entry in r.WireLog)
        {
            html.Append("<tr class=\"").Append(entry.Direction == "--" ? "muted" : E(entry.Direction)).Append("\"><td>")
                .Append(entry.AtMs.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(entry.Direction))
                .Append("</td><td>").Append(E(entry.Text).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</td></tr>");
        }

        if (r.WireLogDropped > 0)
        {
            html.Append("<tr><td colspan=\"3\" class=\"muted\">… ").Append(r.WireLogDropped).Append(" more entries not kept</td></tr>");
        }

        html.Append("</table></details>");
    }

    private static void Row(StringBuilder html, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</td></tr>");
        }
    }

    private static string Category(string id) => id[..id.IndexOf('.', StringComparison.Ordinal)];

    private static string Anchor(string agent, string id) => E(ReportWriter.FileName(agent, id).Replace(".json", "", StringComparison.Ordinal));

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
