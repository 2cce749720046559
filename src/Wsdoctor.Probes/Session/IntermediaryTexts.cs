using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Session;

/// <summary>The setting and the fix of an <see cref="Intermediary"/> in every output language, for the idle findings.
/// The table itself (<see cref="Intermediaries"/>) is English; commands and directives stay verbatim in Chinese.</summary>
internal static class IntermediaryTexts
{
    private static readonly Dictionary<string, (Text Directive, Text Fix)> ZhById = new(StringComparer.Ordinal)
    {
        ["nginx"] = (
            Zh("proxy_read_timeout（以及 proxy_send_timeout），默认 60s；任一方向的流量都会重新计时"),
            Zh("在 WebSocket 的 location 中设置 proxy_read_timeout 3600s; proxy_send_timeout 3600s;，并让心跳间隔低于 30 s")),
        ["ingress-nginx"] = (
            Zh("Ingress 注解 nginx.ingress.kubernetes.io/proxy-read-timeout 和 proxy-send-timeout（单位为秒），默认 60"),
            Zh("在 Ingress 上设置 nginx.ingress.kubernetes.io/proxy-read-timeout: \"3600\" 和 nginx.ingress.kubernetes.io/proxy-send-timeout: \"3600\"")),
        ["haproxy"] = (
            Zh("timeout tunnel（写在 defaults 或 backend 中）；没有它时按 timeout client / timeout server 计时（Debian 自带的 haproxy.cfg 中为 50s）"),
            Zh("在 defaults 或 backend 中设置 timeout tunnel 1h（不要设为 0，也不要写在 frontend 里），并让心跳间隔低于 30 s")),
        ["apache"] = (
            Zh("Timeout（默认 60s）限制升级后隧道的静默时间；在 Apache 2.4.71 中 ProxyTimeout 和 ProxyPass timeout= 不起作用（wsdoctor 的测试实测过）"),
            Zh("在代理 WebSocket 的 server 或 virtual host 中设置 Timeout 3600，并让心跳间隔低于 30 s")),
        ["caddy"] = (
            Zh("reverse_proxy 对 WebSocket 没有空闲超时；stream_timeout（Caddy 2.7+）设置最长存活时间，stream_close_delay 让连接在配置重载时保持"),
            Zh("去掉 stream_timeout 或调大它；stream_close_delay 5m（Caddy 2.7+）可让 WebSocket 在配置重载后继续保持")),
        ["lighttpd"] = (
            Zh("server.max-read-idle（默认 60s），作用于通过 proxy.header = (\"upgrade\" => \"enable\") 升级的连接"),
            Zh("server.max-read-idle = 3600，并让心跳间隔低于 30 s")),
        ["traefik"] = (
            Zh("升级后的连接默认没有空闲超时；entryPoints.*.transport.respondingTimeouts 只作用于普通 HTTP"),
            Zh("WebSocket 入口点的 respondingTimeouts.readTimeout 保持为 0（不限制）")),
        ["envoy"] = (
            Zh("HTTP 连接管理器的 stream_idle_timeout（默认 5m）；升级请求所走路由的 timeout 必须为 0；upgrade_configs 需要包含 websocket"),
            Zh("stream_idle_timeout: 3600s（或路由上的 idle_timeout），路由上设置 timeout: 0s，并配置 upgrade_configs: [{upgrade_type: websocket}]")),
        ["aws-alb"] = (
            Zh("负载均衡器属性 idle_timeout.timeout_seconds（默认 60，最大 4000）"),
            T("", $"{"aws elbv2 modify-load-balancer-attributes --attributes Key=idle_timeout.timeout_seconds,Value=3600"}，并让心跳间隔低于 30 s")),
        ["aws-nlb"] = (
            Zh("TCP 空闲超时 350s（可在监听器上设为 60 到 6000 s）"),
            Zh("心跳（WebSocket ping 或 TCP keepalive）间隔低于 350 s，或调大 tcp.idle_timeout.seconds")),
        ["aws-nat"] = (
            Zh("固定的 350s 空闲超时；超时后的下一个数据包会收到 RST"),
            Zh("心跳间隔低于 350 s（每 30 s 一次 WebSocket ping，或开启 TCP keepalive）")),
        ["cloudflare"] = (
            Zh("经 Cloudflare 代理的 WebSocket 约 100 s 没有数据就会被断开（大多数套餐不可配置）"),
            Zh("让任一方向的心跳间隔低于 100 s（每 30 s 一次 ping）")),
        ["heroku"] = (
            Zh("55s 的空闲窗口，任一方向的任何字节都会重新计时"),
            Zh("至少每 30 s 发送一次心跳（ping 或消息）")),
        ["gcp-lb"] = (
            Zh("后端服务超时（默认 30s）就是 WebSocket 的最长存活时间，无论有无流量"),
            T("", $"{"gcloud compute backend-services update NAME --timeout=86400"}，并在到期前重连")),
        ["azure-lb"] = (
            Zh("TCP 空闲超时 4 min（可设为 4 到 100 min），除非启用 \"TCP reset on idle\"，否则超时断开时没有任何通知"),
            Zh("心跳间隔低于 4 min，或调大空闲超时并启用 TCP reset")),
        ["azure-appgw"] = (
            Zh("默认支持 WebSocket；升级之后，后端 HTTP 设置中的请求超时不再生效"),
            Zh("发送心跳；检查后端健康探测以及该路径对应的监听器")),
    };

    /// <summary>The setting that changes the intermediary's timeout.</summary>
    public static Text Directive(Intermediary intermediary)
    {
        ArgumentNullException.ThrowIfNull(intermediary);
        return ZhById.TryGetValue(intermediary.Id, out var zh) ? T(intermediary.Directive, $"{zh.Directive}") : Verbatim(intermediary.Directive);
    }

    /// <summary>The concrete change.</summary>
    public static Text Fix(Intermediary intermediary)
    {
        ArgumentNullException.ThrowIfNull(intermediary);
        return ZhById.TryGetValue(intermediary.Id, out var zh) ? T(intermediary.Fix, $"{zh.Fix}") : Verbatim(intermediary.Fix);
    }

    private static Text Zh(string zh) => T("", zh);
}
