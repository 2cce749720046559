using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Tls;

using Wsdoctor.Probes.Net;

namespace Wsdoctor.Probes.Http;

/// <summary>Decides whether a 403 is about the Origin header by asking again with other origins:
/// none (what non-browser clients send), the target's own origin, the --origin value, and a typical
/// dev-server origin. A 403 that disappears when only the Origin changes is an allowlist.</summary>
internal static class OriginProbe
{
    public const string NoOrigin = "(no Origin)";
    private const string DevServerOrigin = "http://localhost:3000";

    public static async Task RunAsync(DiagnosisContext ctx, Route route, List<string> evidence, string body, Dictionary<string, object?> data, TlsMaterial material)
    {
        var original = ctx.Options.Origin;
        evidence.Add($"body: {body}");
        evidence.Add($"request Origin: {original ?? NoOrigin} -> 403");
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
                evidence.Add($"Origin {label} -> {(code is null ? "no answer" : code.ToString())}");
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
                evidence.Add("every Origin variant was refused: the 403 does not depend on Origin");
            }

            ctx.Add(Finding.Create(Codes.HttpForbidden, "403 Forbidden, whatever the Origin", evidence, data: data));
            return;
        }

        var page = original ?? DevServerOrigin;
        ctx.Add(Finding.Create(Codes.HttpForbiddenOrigin,
            $"the server refuses Origin {original ?? NoOrigin}; it accepts {string.Join(", ", accepted)}",
            evidence,
            $"Add the page's origin ({page}) to the server's allowlist:\n" +
            $"  Node ws:        verifyClient: (info) => allowed.includes(info.origin)   // allowed = ['{page}', ...]\n" +
            $"  ASP.NET Core:   app.UseWebSockets(new WebSocketOptions {{ AllowedOrigins = {{ \"{page}\" }} }});\n" +
            $"  Python:         websockets.serve(handler, host, port, origins=[\"{page}\", None])",
            data));
    }
}
