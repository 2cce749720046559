using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Tests.Support;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Client.Tests.Opening;

/// <summary>Through a real tinyproxy: CONNECT with Basic credentials, TLS end to end over the tunnel, the 407
/// refusal, and the proxy environment variables.</summary>
public sealed class ProxyTests
{
    [SkippableFact]
    public async Task ExplicitProxyWithCredentials_TunnelsPlainAndTls()
    {
        using var certs = new PeerCertificates();
        using var plain = await EventPeer.StartNodeAsync();
        using var secure = await EventPeer.StartNodeAsync("--cert", certs.CertPath, "--key", certs.KeyPath);
        using var proxy = await Tinyproxy.StartAsync([plain.Port, secure.Port], ("alice", "pa55word"));

        foreach (var url in new[] { $"ws://127.0.0.1:{plain.Port}/p", $"wss://localhost:{secure.Port}/s" })
        {
            await using var live = await Live.OpenAsync(Live.Options(url, o => o with { Proxy = proxy.UrlWith("alice", "pa55word"), CaFile = certs.CaPath }));
            await live.SendTextAsync("via proxy");
            Assert.Equal("via proxy", Live.Text(live.NextIn()));
            Assert.Equal($"http://alice:***@127.0.0.1:{proxy.Port} (from --proxy)", live.Connection.Facts.Proxy);
            Assert.Equal($"127.0.0.1:{proxy.Port}", live.Connection.Facts.RemoteEndPoint);
        }

        Assert.Contains($"CONNECT localhost:{secure.Port}", proxy.Log, StringComparison.Ordinal);
        await secure.WaitForAsync("open");
    }

    [SkippableFact]
    public async Task ProxyWithoutCredentials_407_IsAProxyFailure()
    {
        using var peer = await EventPeer.StartNodeAsync();
        using var proxy = await Tinyproxy.StartAsync([peer.Port], ("alice", "pa55word"));
        using var cts = new CancellationTokenSource(Live.Patience);

        var result = await Opener.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", o => o with { Proxy = proxy.Url }), cts.Token);

        Assert.Equal(OpenStage.Proxy, result.Failure!.Stage);
        Assert.Equal(407, result.Failure.StatusCode);
        Assert.Contains("wants credentials", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, peer.Count("upgrade"));
    }

    [SkippableFact]
    public async Task HttpsProxyVariable_UsedForWss_NoProxyBypassesIt()
    {
        using var certs = new PeerCertificates();
        using var peer = await EventPeer.StartNodeAsync("--cert", certs.CertPath, "--key", certs.KeyPath);
        using var proxy = await Tinyproxy.StartAsync([peer.Port]);
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = proxy.Url };

        await using (var live = await Live.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/", o => o with { CaFile = certs.CaPath, Environment = n => env.GetValueOrDefault(n) })))
        {
            Assert.Equal($"http://127.0.0.1:{proxy.Port} (from HTTPS_PROXY)", live.Connection.Facts.Proxy);
        }

        env["NO_PROXY"] = "localhost";
        await using (var direct = await Live.OpenAsync(Live.Options($"wss://localhost:{peer.Port}/", o => o with { CaFile = certs.CaPath, Environment = n => env.GetValueOrDefault(n) })))
        {
            Assert.Null(direct.Connection.Facts.Proxy);
            await peer.WaitForAsync("open", e => e.GetProperty("n").GetInt32() == 2);
        }

        Assert.Single(proxy.Log.Split('\n'), l => l.Contains("CONNECT localhost", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task HttpProxyVariable_UsedForWs_HttpsProxyNot_NoProxyOptionIgnoresBoth()
    {
        using var peer = await EventPeer.StartNodeAsync();
        using var proxy = await Tinyproxy.StartAsync([peer.Port]);
        var env = new Dictionary<string, string> { ["HTTP_PROXY"] = proxy.Url };

        await using (var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", o => o with { Environment = n => env.GetValueOrDefault(n) })))
        {
            Assert.Equal($"http://127.0.0.1:{proxy.Port} (from HTTP_PROXY)", live.Connection.Facts.Proxy);
        }

        await using (var notForWs = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", o => o with { Environment = n => n == "HTTPS_PROXY" ? proxy.Url : null })))
        {
            Assert.Null(notForWs.Connection.Facts.Proxy);
        }

        await using (var direct = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", o => o with { NoProxy = true, Environment = n => env.GetValueOrDefault(n) })))
        {
            Assert.Null(direct.Connection.Facts.Proxy);
        }
    }
}
