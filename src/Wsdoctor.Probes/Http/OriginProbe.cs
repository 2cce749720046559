using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Tls;

using Wsdoctor.Probes.Net;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Http;

/// <summary>Decides whether a 403 is about the Origin header by asking again with other origins:
/// none (what non-browser clients send), the target's own origin, the --origin value, and a typical
/// dev-server origin. A 403 that disappears when only the Origin changes is an allowlist.</summary>
internal static class OriginProbe
{
    public const string NoOrigin = "(no Origin)";
    private const string DevServerOrigin = "http://localhost:3000";

    public static async Task RunAsync(DiagnosisContext ctx, Route route, List<Text> evidence, Text body, Dictionary<string, object?> data, TlsMaterial material)
    {
        var original = ctx.Options.Origin;
        evidence.Add(HttpProbe.BodyLine(body));
        evidence.Add(original is null ? T($"request Origin: {NoOrigin} -> 403", $"请求不带 Origin -> 403") : T($"request Origin: {original} -> 403", $"请求的 Origin：{original} -> 403"));
        var accepted = new List<string>();
        var rejected = new List<string> { original ?? NoOrigin };
        if (!ctx.Options.NoFollowUpProbes)
        {
            var variants = new List<string?> { null, ctx.Target.SameHostOrigin, DevServerOrigin }
                .Where(v => v != original)
                .Distinct()
                .ToList();
            foreach (var variant in variants)
            {
                var answer = await FollowUpRequest.SendAsync(ctx, route, ctx.Target, variant, material).ConfigureAwait(false);
                var code = answer?.Head?.StatusCode;
                var label = variant ?? NoOrigin;
                evidence.Add(T($"Origin {label} -> {(code is null ? "no answer" : code.ToString())}",
                    $"{(variant is null ? T("without Origin", "不带 Origin") : Verbatim($"Origin {variant}"))} -> {(code is null ? T("no answer", "无应答") : Verbatim($"{code}"))}"));
                if (code == 101)
                {
                    accepted.Add(label);
                }
                else if (code == 403)
                {
                    rejected.Add(label);
                }
            }
        }

        data["acceptedOrigins"] = accepted.ToArray();
        data["rejectedOrigins"] = rejected.ToArray();
        if (accepted.Count == 0)
        {
            if (!ctx.Options.NoFollowUpProbes)
            {
                evidence.Add(T("every Origin variant was refused: the 403 does not depend on Origin", "所有 Origin 变体都被拒绝：这个 403 与 Origin 无关"));
            }

            ctx.Add(Finding.Create(Codes.HttpForbidden, T("403 Forbidden, whatever the Origin", "403 Forbidden，与 Origin 无关"), evidence, data: data));
            return;
        }

        var page = original ?? DevServerOrigin;
        var acceptedList = Join(T(", ", "、"), accepted.Select(a => Label(a == NoOrigin ? null : a)));
        ctx.Add(Finding.Create(Codes.HttpForbiddenOrigin,
            original is null
                ? T($"the server refuses Origin {NoOrigin}; it accepts {acceptedList}", $"服务端拒绝不带 Origin 的请求，但接受以下 Origin：{acceptedList}")
                : T($"the server refuses Origin {original}; it accepts {acceptedList}", $"服务端拒绝 Origin {original}，但接受以下 Origin：{acceptedList}"),
            evidence,
            T($"Add the page's origin ({page}) to the server's allowlist:\n", $"把页面的源（{page}）加入服务端的 Origin 允许列表：\n") +
            Verbatim($"  Node ws:        verifyClient: (info) => allowed.includes(info.origin)   // allowed = ['{page}', ...]\n" +
                $"  ASP.NET Core:   app.UseWebSockets(new WebSocketOptions {{ AllowedOrigins = {{ \"{page}\" }} }});\n" +
                $"  Python:         websockets.serve(handler, host, port, origins=[\"{page}\", None])"),
            data));
    }

    /// <summary>An Origin value as sent, or "(no Origin)" for none.</summary>
    private static Text Label(string? origin) => origin is null ? T(NoOrigin, "（不带 Origin）") : Verbatim(origin);
}
