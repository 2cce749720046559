using System.Diagnostics;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>The app layer, after session: which application protocol the server speaks on top of WebSocket (Socket.IO,
/// SignalR, GraphQL, MQTT, STOMP). It reads what the earlier layers saw first; only a hint (the path, a subprotocol, an
/// answer, a message, a close code) leads to a confirming request, so a plain server costs nothing.</summary>
internal static class AppLayer
{
    private static readonly IAppDetector[] Detectors =
        [new SocketIoDetector(), new SignalRDetector(), new GraphqlDetector(), new MqttDetector(), new StompDetector()];

    public static async Task RunAsync(DiagnosisContext ctx, TlsMaterial material)
    {
        if (ctx.UpgradeAnswer is null || ctx.Route is null)
        {
            // The upgrade request never went out: nothing to recognise the server by.
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var signals = AppSignals.From(ctx);
        var probes = new AppProbes(ctx, material);
        var hinted = Detectors.Where(d => d.Hinted(signals)).ToArray();
        foreach (var detector in hinted)
        {
            if (await detector.ConfirmAsync(signals, probes, followUps: !ctx.Options.NoFollowUpProbes).ConfigureAwait(false) is { } finding)
            {
                ctx.Add(finding);
                var by = probes.Count == 0 ? T("from what the connection carried", "根据连接上已有的数据判断") : T($"confirmed with {probes.Count} follow-up request(s)", $"已通过 {probes.Count} 个后续请求确认");
                ctx.Layer(Layer.App, ctx.StatusOf(Layer.App), DiagnosisContext.Ms(start), T($"{detector.Name}: {finding.Message} ({by})", $"{detector.Name}：{finding.Message}（{by}）"));
                return;
            }
        }

        var names = string.Join(", ", hinted.Select(d => d.Name));
        var noProbes = ctx.Options.NoFollowUpProbes ? T(" (--no-probes)", "（--no-probes）") : Text.Empty;
        var summary = hinted.Length == 0
            ? T("no sign of Socket.IO, SignalR, GraphQL, MQTT or STOMP", "没有 Socket.IO、SignalR、GraphQL、MQTT 或 STOMP 的迹象")
            : T($"{names} hinted, not confirmed{noProbes}", $"有 {names} 的迹象，但未确认{noProbes}");
        // Not confirmed: the layer does not apply (and after an earlier failure it must not look like a pass).
        ctx.Layer(Layer.App, LayerStatus.Skipped, probes.Count == 0 ? null : DiagnosisContext.Ms(start), summary);
    }
}
