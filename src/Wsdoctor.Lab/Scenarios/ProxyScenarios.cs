using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

/// <summary>An HTTP CONNECT proxy between the checker and the server, as HTTPS_PROXY puts one.</summary>
internal static class ProxyScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return new("proxy-healthy", LabScenario.Healthy, T("healthy echo server reached through a CONNECT proxy", "通过 CONNECT 代理访问正常的 echo 服务端"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                var proxy = ConnectProxy.StartRelay();
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { Proxy = $"http://127.0.0.1:{proxy.Port}" },
                    report => report.Connection.Proxy is null ? T("the report does not name the proxy", "报告中没有写出代理") : null, server, proxy);
            });
        yield return new("proxy-407", Codes.ProxyConnectRefused, T("the proxy wants credentials for CONNECT (407)", "代理要求 CONNECT 提供凭据（407）"),
            (env, _) =>
            {
                var proxy = ConnectProxy.StartRefusing(RawHttp.Response(407, "Proxy Authentication Required", "", "Proxy-Authenticate: Basic realm=\"corp\""));
                return Task.FromResult(new LabInstance(env.Check("ws://127.0.0.1:9/ws") with { Proxy = $"http://127.0.0.1:{proxy.Port}" },
                    Expect.Mentions(Codes.ProxyConnectRefused, "Proxy-Authenticate: Basic realm=\"corp\""), proxy));
            });
        yield return new("proxy-403", Codes.ProxyConnectRefused, T("the proxy's policy forbids CONNECT to the port (403)", "代理策略禁止 CONNECT 到该端口（403）"),
            (env, _) =>
            {
                var proxy = ConnectProxy.StartRefusing(RawHttp.Response(403, "Forbidden", "CONNECT to this port is not allowed", "Server: squid/5.7"));
                return Task.FromResult(new LabInstance(env.Check("ws://127.0.0.1:9/ws") with { Proxy = $"http://127.0.0.1:{proxy.Port}" },
                    Expect.Mentions(Codes.ProxyConnectRefused, "Server: squid/5.7"), proxy));
            });
    }
}
